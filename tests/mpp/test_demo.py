"""`mpp demo`: the whole thing as a subprocess (own broker, and an external one), plus the
pure parts (the date, the arrival rates, the counters' day, the summary frames)."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from mpp.broker import BrokerHandle, free_port
from mpp.demo import day as dayplan
from mpp.demo.simulator import HallClock, Stats
from mpp.demo.summary import Snapshot, final_lines, plain_line, render
from mpp.provision import Provisioned
from mpp.provision.accounts import read_secrets
from queue_server.config import default_site_path, load_site, parse_site
from tests.support.demo import ROOT, Demo, final_numbers, hall_has_called
from tests.support.probe import REFUSED, Probe

SUNDAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def cfg():
    return load_site(default_site_path())


def run_demo(tmp_path: Path, *extra: str, duration: float,
             env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A demo that runs for `duration` seconds: only where the test needs no hall figure."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    cmd = [sys.executable, "-m", "mpp", "demo", "--duration", str(duration),
           "--plain", "--speed", "600", "--data-dir", str(tmp_path / "demo"), *extra]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def assert_ran_a_hall(demo: Demo) -> None:
    """Tickets issued and a call made, then a clean stop on Ctrl-C."""
    called = demo.wait_output(hall_has_called)
    rc = demo.stop()
    out = demo.stdout
    assert called, out + demo.stderr
    assert rc == 0, out + demo.stderr
    assert final_numbers(out)["issued"] > 0, out
    assert re.search(r"last call [A-Z]{1,2}-\d{3} -> Loket \d+", out), out
    assert "stopped cleanly" in out
    assert "Traceback" not in demo.stderr, demo.stderr


# --------------------------------------------------------------------------- end to end


BROKER_LINE = (r"broker: Mosquitto (127\.0\.0\.1):(\d+), TLS and one account per device "
               r"\((\S+), CA (\S+)\)")


def test_demo_runs_a_hall_and_stops_cleanly(tmp_path: Path) -> None:
    with Demo("--speed", "600", "--data-dir", str(tmp_path / "demo")) as demo:
        assert demo.wait_output(BROKER_LINE), demo.stdout + demo.stderr
        host, port, folder, ca = re.search(BROKER_LINE, demo.stdout).groups()
        # secured by default: a stranger on the broker's port gets nothing, a box of the
        # site with its own account does
        assert_refuses_strangers(host, int(port), Path(ca))
        assert_ran_a_hall(demo)
    out = demo.stdout
    assert re.search(r"^\[\d\d:\d\d\] issued \d+ served \d+ waiting \d+ open counters \d+/32"
                     r" last call ", out, re.MULTILINE), out
    assert (tmp_path / "demo" / "demo.db").exists()
    assert Path(folder) == tmp_path / "demo" / "provision"
    secrets = read_secrets(Path(folder) / "secrets.toml")

    # A second run starts from an empty database, and says so; it keeps the accounts.
    again = run_demo(tmp_path, duration=2)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "deleted the previous demo database" in again.stdout
    assert read_secrets(Path(folder) / "secrets.toml") == secrets


def assert_refuses_strangers(host: str, port: int, ca: Path) -> None:
    with Probe(host, port, None, None, ca=ca) as anonymous:
        assert anonymous.connack in REFUSED
    with Probe(host, port, "kiosk-01", "not-the-secret", ca=ca) as wrong:
        assert wrong.connack in REFUSED
    with Probe(host, port, None, None) as plain:  # no TLS: no MQTT at all
        assert plain.connack is None or plain.connack != 0


def test_the_insecure_demo_says_so(tmp_path: Path) -> None:
    done = run_demo(tmp_path, "--insecure", "--apps", "off", duration=2)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"broker: .*anonymous \(--insecure\)", done.stdout), done.stdout
    assert "WARNING mpp.demo anonymous MQTT (--insecure)" in done.stderr
    assert not (tmp_path / "demo" / "provision").exists()


@pytest.mark.parametrize("broker", ["mosquitto", "amqtt"])
def test_demo_as_make_demo_runs_it(tmp_path: Path, broker: str) -> None:
    """No --data-dir: the default, relative `data/demo`, from the folder it is started in
    (tmp_path stands for the repository root of a fresh clone), twice in a row as a
    newcomer does (`make demo`, `make test`, `make demo`)."""
    env = {"MPP_BROKER": "amqtt"} if broker == "amqtt" else {}
    label = "embedded amqtt broker" if broker == "amqtt" else "Mosquitto 127.0.0.1:"
    for _run in range(2):
        with Demo("--speed", "600", "--apps", "off", cwd=tmp_path, env_extra=env) as demo:
            assert_ran_a_hall(demo)
        assert f"broker: {label}" in demo.stdout
    assert (tmp_path / "data" / "demo" / "demo.db").exists()
    if broker == "mosquitto":
        assert (tmp_path / "data" / "demo" / "broker" / "mosquitto.conf").exists()


def test_demo_on_an_external_broker(tmp_path: Path, tls_mosquitto: BrokerHandle,
                                    broker_accounts: Provisioned) -> None:
    # the suite's broker over TLS, and its provisioning folder: every account of the site
    with Demo("--speed", "600", "--data-dir", str(tmp_path / "demo"),
              "--mqtt", tls_mosquitto.url, "--credentials", str(broker_accounts.out)) as demo:
        assert_ran_a_hall(demo)
    assert (f"broker: external {tls_mosquitto.host}:{tls_mosquitto.port} (TLS, accounts "
            f"from {broker_accounts.out})") in demo.stdout
    assert not (tmp_path / "demo" / "broker").exists()  # no broker of its own


def test_demo_on_an_external_broker_needs_the_accounts(tmp_path: Path,
                                                      mosquitto: BrokerHandle) -> None:
    alone = run_demo(tmp_path, "--mqtt", mosquitto.url, duration=2)
    assert alone.returncode == 2
    assert "--credentials DIR" in alone.stderr and "--insecure" in alone.stderr
    empty = run_demo(tmp_path, "--mqtt", mosquitto.url, "--credentials", str(tmp_path),
                     duration=2)
    assert empty.returncode == 2
    assert f"{tmp_path}/devices/server/credentials.toml: no such credentials file" in \
        empty.stderr
    assert "Traceback" not in alone.stderr + empty.stderr


def test_demo_without_a_broker_fails_in_one_line(tmp_path: Path) -> None:
    proc = run_demo(tmp_path, "--mqtt", f"mqtt://127.0.0.1:{free_port()}", "--insecure",
                    duration=2)
    assert proc.returncode == 1
    errors = [x for x in proc.stderr.splitlines() if x.startswith("mpp demo:")]
    assert len(errors) == 1 and "cannot connect" in errors[0], proc.stderr
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- the date


def test_demo_date_is_the_next_regular_weekday(cfg) -> None:
    # The standard schedule keeps the same hours Mon-Thu; Friday has the prayer break.
    assert dayplan.pick_demo_date(cfg, SUNDAY) == dt.date(2026, 11, 30)  # Monday
    assert dayplan.pick_demo_date(cfg, dt.date(2026, 12, 2)) == dt.date(2026, 12, 2)
    assert dayplan.pick_demo_date(cfg, dt.date(2026, 12, 4)) == dt.date(2026, 12, 7)
    assert dayplan.pick_demo_date(cfg, dt.date(2026, 12, 5)) == dt.date(2026, 12, 7)


def site_with_hours(**days: list[str]):
    data = {
        "site": {"id": "mpp-uji", "name": "MPP Uji"},
        "schedules": {"standard": days},
        "agencies": [{"id": "bank", "name_id": "Bank", "name_en": "Bank"}],
        "services": [{"id": "setor", "agency": "bank", "name_id": "Setor", "name_en": "Deposit",
                      "prefix": "A", "avg_service_min": 5, "daily_quota": 40}],
        "counters": [{"id": "loket-01", "name": "Loket 1", "number": 1, "agency": "bank",
                      "services": ["setor"]}],
        "devices": [{"id": "kiosk-01", "role": "kiosk"},
                    {"id": "counter-01", "role": "counter", "counters": ["loket-01"]}],
    }
    return parse_site(data)


def test_demo_date_follows_the_configuration() -> None:
    weekend = site_with_hours(sat=["08:00-12:00"], sun=["08:00-12:00"], wed=["09:00-10:00"])
    assert dayplan.pick_demo_date(weekend, SUNDAY) == SUNDAY
    assert dayplan.pick_demo_date(weekend, dt.date(2026, 11, 30)) == dt.date(2026, 12, 5)
    with pytest.raises(ValueError, match="never open"):
        dayplan.pick_demo_date(site_with_hours(), SUNDAY)


# --------------------------------------------------------------------------- arrivals


def test_day_shape_peaks_in_the_morning() -> None:
    assert dayplan.day_shape(7 * 60) == 0 == dayplan.day_shape(17 * 60)
    morning = [dayplan.day_shape(m) for m in range(8 * 60 + 30, 11 * 60)]
    afternoon = [dayplan.day_shape(m) for m in range(13 * 60, 16 * 60)]
    assert min(morning) > max(afternoon)
    assert dayplan.day_shape(12 * 60 + 15) < dayplan.day_shape(13 * 60)  # the lunch lull


def test_arrival_rate_adds_up_to_the_daily_volume(cfg) -> None:
    monday = dt.date(2026, 11, 30)
    demands = {d.service: d for d in dayplan.demands(cfg, monday)}
    assert set(demands) == {s.id for s in cfg.services}
    for d in demands.values():
        quota = cfg.service(d.service).daily_quota
        assert 0 < d.volume <= (quota or 10**6) * 1.02
        in_hours = sum(d.rate(m + 0.5) for m in range(24 * 60)
                       if dayplan.is_open(list(d.open_spans), m + 0.5))
        assert in_hours == pytest.approx(d.volume, rel=1e-6)
        assert d.peak == pytest.approx(d.max_rate())
    ktp = demands["ktp-el"]
    assert ktp.rate(9 * 60) > ktp.rate(14 * 60) > 0
    assert 0 < ktp.rate(7 * 60 + 55) < ktp.rate(8 * 60 + 5) * 0.2  # closed: a few refused
    assert ktp.rate(12 * 60 + 30) < ktp.rate(13 * 60 + 30) * 0.1  # lunch break
    assert demands["paspor-baru"].rate(14 * 60) < demands["paspor-baru"].rate(9 * 60) * 0.1


def test_the_whole_hall_gets_a_plausible_day(cfg) -> None:
    total = sum(d.volume for d in dayplan.demands(cfg, dt.date(2026, 11, 30)))
    assert 1000 < total < 3000
    assert dayplan.demands(cfg, SUNDAY) == []


# --------------------------------------------------------------------------- counters


def test_counters_pause_for_lunch_and_friday_prayer(cfg) -> None:
    monday = {p.counter: p for p in dayplan.counter_plans(cfg, dt.date(2026, 11, 30))}
    friday = {p.counter: p for p in dayplan.counter_plans(cfg, dt.date(2026, 12, 4))}
    assert monday["loket-01"].open_at == 8 * 60
    assert monday["loket-01"].breaks == ((12 * 60, 13 * 60, "break"),)
    assert monday["loket-01"].close_at == 16 * 60
    assert friday["loket-01"].breaks == ((11 * 60 + 30, 13 * 60 + 30, "prayer"),)
    assert monday["loket-13"].breaks == () and monday["loket-13"].close_at == 12 * 60
    # Bank tellers have no lunch gap: some of them take a rotating break, not all.
    bank = [monday[c] for c in ("loket-28", "loket-29", "loket-30", "loket-32")]
    assert 0 < sum(1 for p in bank if p.breaks) < len(bank)
    assert Counter(r for p in monday.values() for *_, r in p.breaks) == {"break": 26}
    assert dayplan.counter_plans(cfg, SUNDAY) == []


def test_hall_clock_stands_still_until_the_hall_is_ready() -> None:
    clock = HallClock(1_000_000.0, speed=60)
    assert clock.now() == 1_000_000.0
    time.sleep(0.02)
    assert clock.now() == 1_000_000.0
    clock.run()
    time.sleep(0.05)
    assert 1_000_000.0 + 2.0 < clock.now() < 1_000_000.0 + 60


# --------------------------------------------------------------------------- the summary


def snapshot(cfg) -> Snapshot:
    state = {
        "queue/ktp-el": {"service": "ktp-el", "waiting": 12, "longest_wait_s": 1100,
                         "est_wait_s": 840, "open": True, "closed_reason": None,
                         "open_counters": 4, "issued_today": 120, "quota": 400},
        "queue/paspor-baru": {"service": "paspor-baru", "waiting": 0, "longest_wait_s": 0,
                              "est_wait_s": 0, "open": False, "closed_reason": "hours",
                              "open_counters": 0, "issued_today": 40, "quota": 90},
        "counter/loket-03": {"status": "open", "reason": None,
                             "ticket": {"number": "A-041", "status": "serving"}},
        "counter/loket-07": {"status": "paused", "reason": "break", "ticket": None},
        "calls": [{"number": "A-041", "counter_name": "Loket 3",
                   "at": "2026-11-30T09:12:10.000+08:00", "recall_count": 0}],
    }
    stats = Stats(issued=143, served=97, no_shows=4, refused_closed=2)
    return Snapshot(cfg=cfg, hall_time=dt.datetime(2026, 11, 30, 9, 12, 30,
                                                   tzinfo=cfg.site.tz),
                    speed=60, broker="Mosquitto 127.0.0.1:1883", db="data/demo/demo.db",
                    elapsed_s=151, stats=stats, state=state)


def test_live_screen_fits_100_by_40(cfg) -> None:
    lines = render(snapshot(cfg))
    assert len(lines) <= 40
    assert all(len(x) <= 100 for x in lines)
    text = "\n".join(lines)
    assert "09:12:30" in text
    assert "Waiting (menunggu) 12" in text
    assert "L03 A-041  serving" in text and "L07 paused (break)" in text
    assert "09:12:10  A-041 -> Loket 3" in text
    assert re.search(r"ktp-el\s+A\s+12\s+18m\s+14m\s+120/400\s+4\s+open", text)
    assert "closed: hours" in text


def test_plain_and_final_lines(cfg) -> None:
    snap = snapshot(cfg)
    assert plain_line(snap) == ("[09:12] issued 143 served 97 waiting 12 open counters 1/32 "
                                "last call A-041 -> Loket 3")
    lines = final_lines(snap)
    assert lines[0] == ("final summary [Mon 2026-11-30 09:12]: issued 143 served 97 waiting 12 "
                        "no-shows 4")
    assert "last call A-041 -> Loket 3" in lines[-1]
    assert all(len(x) < 100 for x in lines)


def apps_connected(apps: Path) -> bool:
    logs = list(apps.glob("*.log"))
    return len(logs) == 4 and all("connected" in log.read_text() for log in logs)


def test_demo_opens_the_app_windows_when_asked(tmp_path: Path) -> None:
    # offscreen stands for the screen a kiosk PC would have (tests/test_demo_windows.py
    # opens them on a real X server)
    apps = tmp_path / "demo" / "apps"
    with Demo("--speed", "600", "--apps", "on", "--http-port", "0", "--data-dir",
              str(tmp_path / "demo"), env_extra={"QT_QPA_PLATFORM": "offscreen"}) as demo:
        assert demo.wait_until(lambda: apps_connected(apps)), demo.stdout + demo.stderr
        assert_ran_a_hall(demo)
    out = demo.stdout
    assert "window: counter display Loket 1" in out
    assert "window: staff console Loket 1 (officer petugas-01, PIN 1234)" in out
    assert "exited with code" not in out, out
    logs = list(apps.glob("*.log"))
    assert len(logs) == 4  # counter display, console, kiosk, wall display
    for log in logs:
        text = log.read_text()
        assert "Traceback" not in text and "usage:" not in text, (log.name, text[-2000:])
        assert "connected" in text, (log.name, text[-2000:])


def test_demo_reports_an_app_that_exits(tmp_path: Path) -> None:
    """Windows asked on an X display that is not there: every app dies at start, and the
    demo says so in its own output (it once printed "window: ..." and carried on)."""
    with Demo("--speed", "600", "--apps", "on", "--http-port", "0", "--data-dir",
              str(tmp_path / "demo"), env_drop=("WAYLAND_DISPLAY",),
              env_extra={"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":9"}) as demo:
        exited = demo.wait_output(
            lambda text: len(set(re.findall(r"window (.+?) exited with code", text))) == 4)
        assert demo.stop() == 0, demo.stdout + demo.stderr
    out = demo.stdout
    assert exited, out
    for name in ("counter display Loket 1", "staff console Loket 1", "kiosk", "wall display"):
        assert re.search(rf"window {name}.* exited with code -?[1-9]\d*: .*display", out), out
    assert "stopped cleanly" in out


def feedback_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM feedback").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_demo_serves_the_dashboard_and_citizens_answer_the_survey(tmp_path: Path) -> None:
    db = tmp_path / "demo" / "demo.db"
    with Demo("--speed", "600", "--apps", "off", "--http-port", "0",
              "--data-dir", str(tmp_path / "demo")) as demo:
        pattern = (r"dashboard: (http://127\.0\.0\.1:\d+)/ \(sign in as (\w+), "
                   r"password (\S+)\)")
        assert demo.wait_output(pattern), demo.stdout + demo.stderr
        url, user, password = re.search(pattern, demo.stdout).groups()
        with httpx.Client(base_url=url, timeout=10) as web:
            form = web.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token
            signed = web.post("/login", data={"username": user, "password": password,
                                              "csrf_token": token.group(1), "next": "/"})
            assert signed.status_code == 303
            assert web.get("/api/snapshot").status_code == 200
        rated = demo.wait_until(lambda: feedback_count(db) > 0)
        assert demo.stop() == 0, demo.stdout + demo.stderr
    assert rated, "the simulated citizens answer the survey"
