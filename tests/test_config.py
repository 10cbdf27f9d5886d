"""Site configuration: the shipped Makassar sample, schedules, and every kind of bad file."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import tomllib
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from queue_server.config import (
    ConfigError,
    Schedule,
    SiteConfig,
    default_site_path,
    load_site,
    parse_site,
)

if TYPE_CHECKING:
    from pathlib import Path

WITA = ZoneInfo("Asia/Makassar")

# Smallest valid site; each bad-config test changes one line of it.
MINIMAL = """\
[site]
id = "mpp-uji"
name = "MPP Uji"
timezone = "Asia/Makassar"

[schedules.standard]
mon = ["08:00-12:00", "13:00-16:00"]
fri = ["08:00-11:30", "13:30-16:00"]

[[agencies]]
id = "dukcapil"
name_id = "Dinas Kependudukan dan Pencatatan Sipil"
name_en = "Population and Civil Registration Office"

[[services]]
id = "ktp-el"
agency = "dukcapil"
name_id = "Perekaman KTP-el"
name_en = "Electronic ID card"
prefix = "A"

[[services]]
id = "kk"
agency = "dukcapil"
name_id = "Kartu Keluarga"
name_en = "Family card"
prefix = "B"

[[counters]]
id = "loket-01"
name = "Loket 1"
number = 1
agency = "dukcapil"
services = ["ktp-el", "kk"]

[[devices]]
id = "kiosk-01"
role = "kiosk"

[[devices]]
id = "counter-01"
role = "counter"
counters = ["loket-01"]
"""


@pytest.fixture(scope="module")
def sample() -> SiteConfig:
    return load_site(default_site_path())


def write_site(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def with_change(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, f"test setup: {old!r} must occur once"
    return MINIMAL.replace(old, new)


# --- the shipped sample ------------------------------------------------------------------


def test_sample_loads_with_realistic_counts(sample: SiteConfig) -> None:
    assert sample.site.id == "mpp-makassar"
    assert sample.site.tz == WITA
    assert sample.source == str(default_site_path())
    assert len(sample.agencies) >= 8
    assert 25 <= len(sample.services) <= 26
    assert 30 <= len(sample.counters) <= 34


def test_sample_prefixes_are_single_unique_letters(sample: SiteConfig) -> None:
    prefixes = [s.prefix for s in sample.services]
    assert all(len(p) == 1 for p in prefixes)
    assert len(set(prefixes)) == len(prefixes)


def test_sample_counters_are_numbered_like_their_ids(sample: SiteConfig) -> None:
    for counter in sample.counters:
        assert counter.id == f"loket-{counter.number:02d}"
        assert counter.name == f"Loket {counter.number}"


def test_sample_every_service_is_served(sample: SiteConfig) -> None:
    served = {s for counter in sample.counters for s in counter.services}
    assert {s.id for s in sample.services} <= served


def test_sample_devices(sample: SiteConfig) -> None:
    for i in range(1, 5):
        kiosk = sample.device(f"kiosk-{i:02d}")
        assert kiosk is not None
        assert kiosk.role == "kiosk"
    for counter in sample.counters:
        device = sample.device(f"counter-{counter.number:02d}")
        assert device is not None
        assert (device.role, device.counters) == ("counter", (counter.id,))
    roles = {d.id: d.role for d in sample.devices}
    assert roles["display-hall"] == roles["display-lantai-2"] == "display"
    assert roles["supervisor-01"] == "supervisor"


def test_sample_lookups(sample: SiteConfig) -> None:
    assert sample.service("ktp-el").daily_quota == 400
    assert sample.counter("loket-07").number == 7
    assert sample.agency("disdukcapil").name_en
    assert {s.id for s in sample.services_of_agency("disdukcapil")} >= {"ktp-el", "kk"}
    assert sample.services_of_agency("no-such-agency") == ()
    assert sample.device("kiosk-99") is None
    with pytest.raises(KeyError):
        sample.service("ktp-x")


def test_public_dict_is_json_ready_and_hides_devices_but_the_kiosks(sample: SiteConfig) -> None:
    public = json.loads(json.dumps(sample.public_dict()))
    assert set(public) == {"site", "agencies", "services", "counters", "zones", "kiosks"}
    ktp = next(s for s in public["services"] if s["id"] == "ktp-el")
    assert ktp["name"] == {
        "id": "Perekaman & Pencetakan KTP-el",
        "en": "Electronic ID card (KTP-el)",
    }
    assert ktp["hours"]["fri"] == ["08:00-11:30", "13:30-16:00"]
    assert ktp["hours"]["sun"] == []
    # the kiosks by id and name (where a kiosk whose printer is out sends citizens), and
    # no other device: not the counters' boxes, the displays or the supervisor tools
    assert public["kiosks"][1] == {"id": "kiosk-02", "name": "Anjungan Antrean 2 (Pintu Utama)"}
    assert {k["id"] for k in public["kiosks"]} == {
        d.id for d in sample.devices if d.role == "kiosk"}
    others = [d.id for d in sample.devices if d.role != "kiosk"]
    assert others and not any(f'"{d}"' in json.dumps(public) for d in others)


def test_config_is_frozen(sample: SiteConfig) -> None:
    with pytest.raises(ValidationError):
        sample.site.id = "other"  # type: ignore[misc]


# --- schedules ---------------------------------------------------------------------------

FRIDAY = dt.date(2025, 1, 3)
SUNDAY = dt.date(2025, 1, 5)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


@pytest.mark.parametrize(
    ("hhmm", "open_"),
    [
        ("07:59", False),
        ("08:00", True),  # start is inclusive
        ("11:29", True),
        ("11:30", False),  # end is exclusive: Friday prayer break begins
        ("13:29", False),
        ("13:30", True),
        ("15:59", True),
        ("16:00", False),
    ],
)
def test_friday_prayer_break(sample: SiteConfig, hhmm: str, open_: bool) -> None:
    # GIVEN the standard schedule WHEN asked on a Friday in Makassar THEN the break is closed
    assert sample.schedules["standard"].is_open(at(FRIDAY, hhmm)) is open_


def test_closed_on_sunday(sample: SiteConfig) -> None:
    for schedule in sample.schedules.values():
        assert not schedule.is_open(at(SUNDAY, "10:00"))


def test_service_open_converts_to_site_time(sample: SiteConfig) -> None:
    # GIVEN a UTC instant: 03:29 UTC is 11:29 WITA, 03:30 UTC is 11:30 WITA (prayer break)
    utc = dt.UTC
    assert sample.is_service_open("ktp-el", dt.datetime(2025, 1, 3, 3, 29, tzinfo=utc))
    assert not sample.is_service_open("ktp-el", dt.datetime(2025, 1, 3, 3, 30, tzinfo=utc))


def test_schedule_parses_sorts_and_describes() -> None:
    schedule = Schedule.model_validate({"mon": ["13:00-16:00", "08:00-12:00"]})
    assert schedule.intervals(0) == (
        (dt.time(8), dt.time(12)),
        (dt.time(13), dt.time(16)),
    )
    assert schedule.intervals(6) == ()
    assert schedule.describe()["mon"] == ["08:00-12:00", "13:00-16:00"]
    assert set(schedule.describe()) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def test_is_open_refuses_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        Schedule().is_open(dt.datetime(2025, 1, 3, 9, 0))  # naive on purpose


# --- bad configurations ------------------------------------------------------------------


def test_minimal_site_is_valid(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, MINIMAL))
    assert site.policy.priority_ratio == 2
    assert site.schedules["standard"].intervals(1) == ()  # tue left out: closed


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        pytest.param(
            'prefix = "B"',
            'prefix = "B"\ncolour = "red"',
            "services[1].colour",
            "unknown key 'colour'",
            id="unknown-key",
        ),
        pytest.param(
            'prefix = "B"',
            'prefix = "b1"',
            "services[1].prefix",
            "'b1' is not a valid prefix",
            id="bad-prefix",
        ),
        pytest.param(
            'prefix = "B"',
            'prefix = "A"',
            "services[1].prefix",
            "prefix 'A' already used by service 'ktp-el'",
            id="duplicate-prefix",
        ),
        pytest.param(
            'id = "kk"',
            'id = "ktp-el"',
            "services[1].id",
            "id 'ktp-el' already used by services[0]",
            id="duplicate-id",
        ),
        pytest.param(
            'services = ["ktp-el", "kk"]',
            'services = ["ktp-el", "ktp-x"]',
            "counters[0].services[1]",
            "unknown service 'ktp-x'",
            id="unknown-service",
        ),
        pytest.param(
            'counters = ["loket-01"]',
            'counters = ["loket-09"]',
            "devices[1].counters[0]",
            "unknown counter 'loket-09'",
            id="unknown-counter",
        ),
        pytest.param(
            'counters = ["loket-01"]',
            "counters = []",
            "devices[1].counters",
            "needs at least one counter",
            id="counter-device-empty",
        ),
        pytest.param(
            'role = "kiosk"',
            'role = "kiosk"\ncounters = ["loket-01"]',
            "devices[0].counters",
            "a kiosk device has no counters",
            id="kiosk-with-counters",
        ),
        pytest.param(
            'role = "kiosk"',
            'role = "printer"',
            "devices[0].role",
            "Input should be",
            id="bad-role",
        ),
        pytest.param(
            'prefix = "A"',
            'prefix = "A"\nschedule = "night"',
            "services[0].schedule",
            "unknown schedule 'night'",
            id="unknown-schedule",
        ),
        pytest.param(
            'timezone = "Asia/Makassar"',
            'timezone = "Asia/Makasar"',
            "site.timezone",
            "not a valid time zone",
            id="bad-timezone",
        ),
        pytest.param(
            'timezone = "Asia/Makassar"',
            'timezone = "Asia"',
            "site.timezone",
            "not a valid time zone",
            id="timezone-folder",
        ),
        pytest.param(
            'mon = ["08:00-12:00", "13:00-16:00"]',
            'mon = ["16:00-08:00"]',
            "schedules.standard.mon[0]",
            "start 16:00 is not before end 08:00",
            id="reversed-interval",
        ),
        pytest.param(
            'mon = ["08:00-12:00", "13:00-16:00"]',
            'mon = ["8-12"]',
            "schedules.standard.mon[0]",
            "'8' is not a time HH:MM",
            id="bad-time",
        ),
        pytest.param(
            'mon = ["08:00-12:00", "13:00-16:00"]',
            "mon = [8]",
            "schedules.standard.mon[0]",
            "8 is not an interval HH:MM-HH:MM",
            id="interval-not-text",
        ),
        pytest.param(
            '[[agencies]]\nid = "dukcapil"',
            '[agencies]\nid = "dukcapil"',
            "agencies",
            "Input should be an array",
            id="table-instead-of-array",
        ),
        pytest.param(
            'mon = ["08:00-12:00", "13:00-16:00"]',
            'mon = ["08:00-12:00", "11:00-13:00"]',
            "schedules.standard.mon",
            "'08:00-12:00' overlaps '11:00-13:00'",
            id="overlap",
        ),
        pytest.param(
            "number = 1",
            "number = 0",
            "counters[0].number",
            "greater than or equal to 1",
            id="counter-number",
        ),
        pytest.param(
            'timezone = "Asia/Makassar"',
            'timezone = "Asia/Makassar"\nfeedback_url = "http://127.0.0.2:8080/f/"',
            "site.feedback_url",
            "must end with /f/{ticket}",
            id="feedback-url-without-ticket",
        ),
        pytest.param(
            'timezone = "Asia/Makassar"',
            'timezone = "Asia/Makassar"\npublic_url = "127.0.0.2:8080"',
            "site.public_url",
            "is not an http(s) address",
            id="public-url-without-scheme",
        ),
        pytest.param(
            'timezone = "Asia/Makassar"',
            'timezone = "Asia/Makassar"\npublic_url = "http://127.0.0.2:8080/?x=1"',
            "site.public_url",
            "is not an http(s) address",
            id="public-url-with-query",
        ),
        pytest.param(
            'timezone = "Asia/Makassar"',
            'timezone = "Asia/Makassar"\npublic_url = "http://127.0.0.2:99999"',
            "site.public_url",
            "has no valid port",
            id="public-url-bad-port",
        ),
        pytest.param(
            'id = "mpp-uji"',
            'id = "MPP Uji"',
            "site.id",
            "'MPP Uji' is not a valid id",
            id="bad-slug",
        ),
    ],
)
def test_bad_config_names_file_key_and_reason(
    tmp_path: Path, old: str, new: str, key: str, reason: str
) -> None:
    # GIVEN a site file with one mistake
    path = write_site(tmp_path, with_change(old, new))
    # WHEN it is loaded
    with pytest.raises(ConfigError) as caught:
        load_site(path)
    # THEN the error names the file, the key path and the reason
    err = caught.value
    assert (err.file, err.key) == (str(path), key)
    assert reason in err.reason
    assert str(err) == f"{path}: {key}: {err.reason}"
    assert err.code == "config_invalid"


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    path = write_site(tmp_path, with_change('timezone = "Asia/Makassar"', 'timezone "Asia"'))
    with pytest.raises(ConfigError) as caught:
        load_site(path)
    assert str(path) in str(caught.value)
    assert "TOML syntax error at line 4: " in str(caught.value)
    assert "(at line" not in str(caught.value)  # moved to the front, not repeated


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_site(path)
    assert (caught.value.file, caught.value.key) == (str(path), "")
    assert str(caught.value) == f"{path}: file not found"


def test_missing_section_is_named() -> None:
    data = tomllib.loads(MINIMAL)
    del data["counters"]
    with pytest.raises(ConfigError) as caught:
        parse_site(data, source="mem.toml")
    assert str(caught.value) == "mem.toml: counters: required key is missing"


def test_source_key_in_file_is_refused() -> None:
    data = {**tomllib.loads(MINIMAL), "source": "elsewhere"}
    with pytest.raises(ConfigError, match="unknown key 'source'"):
        parse_site(data)


def test_config_error_survives_pickling() -> None:
    err = pickle.loads(pickle.dumps(ConfigError("a.toml", "site.id", "bad")))
    assert (err.file, err.key, err.reason) == ("a.toml", "site.id", "bad")


def test_officers_are_checked(tmp_path):
    from queue_server.config import ConfigError, load_site
    sample = default_site_path().read_text(encoding="utf-8")
    bad_agency = sample.replace('agency = "disdukcapil"\npin_hash',
                                'agency = "nowhere"\npin_hash', 1)
    path = tmp_path / "site.toml"
    path.write_text(bad_agency, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_site(path)
    assert "officers[0].agency" in str(err.value) and "nowhere" in str(err.value)
    bad_hash = sample.replace('pin_hash = "pbkdf2', 'pin_hash = "1234" #', 1)
    path.write_text(bad_hash, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_site(path)
    assert "officers[0].pin_hash" in str(err.value) and "mpp hash-pin" in str(err.value)


def test_zones_pick_their_counters():
    cfg = load_site(default_site_path())
    one, two = cfg.zone_counters("lantai-1"), cfg.zone_counters("lantai-2")
    assert one and two and not set(one) & set(two)
    assert set(one) | set(two) == {c.id for c in cfg.counters}
    assert cfg.zone_counters("no-such-zone") == tuple(c.id for c in cfg.counters)
    assert [z["id"] for z in cfg.public_dict()["zones"]] == ["lantai-1", "lantai-2"]


def _with_site_lines(tmp_path: Path, lines: str) -> SiteConfig:
    return load_site(write_site(tmp_path, with_change(
        'timezone = "Asia/Makassar"', f'timezone = "Asia/Makassar"\n{lines}')))


def test_the_public_address_of_the_ticket_pages(tmp_path: Path) -> None:
    # public_url as written, without a trailing slash
    site = _with_site_lines(tmp_path, 'public_url = "https://antrian.mpp.example/hall/"')
    assert site.site.page_base == "https://antrian.mpp.example/hall"
    # the older feedback_url is read as the public address before /f/{ticket}
    older = _with_site_lines(tmp_path, 'feedback_url = "http://127.0.0.2:8080/f/{ticket}"')
    assert older.site.page_base == "http://127.0.0.2:8080"
    # the sample site names none: the server's own HTTP address is used
    assert load_site(default_site_path()).site.page_base == ""


def test_no_topic_carries_a_survey_address_to_open_by_ticket_id(tmp_path: Path) -> None:
    # state/config keeps feedback_url for older devices, always empty: the ticket id that
    # topics carry must open nothing, and a template built on it would
    site = _with_site_lines(tmp_path, 'feedback_url = "http://127.0.0.2:8080/f/{ticket}"')
    assert site.public_dict()["site"]["feedback_url"] == ""
    assert "127.0.0.2" not in json.dumps(site.public_dict())


def test_privacy_retention_is_typed_with_a_default(tmp_path: Path) -> None:
    assert load_site(default_site_path()).privacy.retention_days == 90
    path = write_site(tmp_path, with_change(
        "[schedules.standard]", "[privacy]\nretention_days = 0\n\n[schedules.standard]"))
    with pytest.raises(ConfigError) as caught:
        load_site(path)
    assert caught.value.key == "privacy.retention_days"
