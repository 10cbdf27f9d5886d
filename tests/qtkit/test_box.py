"""An app on a box takes what the command line leaves out from the box file
(qtkit/box.py, docs/boxes.md): device, site, credentials, and a static URL that is only
the fallback to zeroconf."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from qtkit.cli import base_parser, endpoint_of
from queue_server.protocol.discovery import Advertiser

LOOPBACK = ["127.0.0.1"]
SECRET = "the-secret-of-kiosk-05"


def _args(*argv: str):
    return base_parser("mpp kiosk", "test", device="kiosk-01").parse_args(list(argv))


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """/etc/mpp as `mpp box install` leaves it, in a scratch root, named by $MPP_BOX."""
    monkeypatch.delenv("MPP_CREDENTIALS", raising=False)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    etc = tmp_path / "etc/mpp"
    (etc / "credentials").mkdir(parents=True)
    creds = etc / "credentials/mqtt.toml"
    creds.write_text(f'[mqtt]\nuser = "kiosk-05"\npassword = "{SECRET}"\n')
    creds.chmod(0o600)
    site = f"mpp-box-{uuid.uuid4().hex[:8]}"
    (etc / "box.toml").write_text(
        f'[box]\nrole = "kiosk"\ndevice = "kiosk-05"\nsite = "{site}"\n'
        'credentials = "credentials/mqtt.toml"\nmqtt = "mqtt://192.0.2.77:1883"\n')
    monkeypatch.setenv("MPP_BOX", str(etc / "box.toml"))
    return etc / "box.toml"


def site_of(box: Path) -> str:
    return box.read_text().split('site = "')[1].split('"')[0]


@pytest.mark.mdns
def test_the_box_file_names_device_site_and_credentials(box: Path) -> None:
    # GIVEN a server of the box's site on the LAN WHEN the app starts with no option
    site = site_of(box)
    with Advertiser(site, "192.0.2.10", 18831, 18081, addresses=["127.0.0.1"],
                    interfaces=LOOPBACK):
        ep = endpoint_of(_args("--discover-timeout", "10"), role="kiosk",
                         interfaces=LOOPBACK)
    # THEN it is the box's device, with its account, at the advertised server, not the
    # box's fallback URL
    assert (ep.device_id, ep.site, ep.host, ep.port) == ("kiosk-05", site, "192.0.2.10",
                                                         18831)
    assert ep.credentials is not None and ep.credentials.password == SECRET
    assert ep.credentials.source == box.parent / "credentials/mqtt.toml"


def test_the_box_url_is_only_the_fallback(box: Path) -> None:
    ep = endpoint_of(_args("--discover-timeout", "0.3"), role="kiosk", interfaces=LOOPBACK)
    assert (ep.host, ep.port, ep.site, ep.device_id) == ("192.0.2.77", 1883, site_of(box),
                                                         "kiosk-05")


def test_systemds_copy_of_the_credentials_wins(box: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = tmp_path / "run-credentials"
    loaded.mkdir()
    (loaded / "mqtt.toml").write_text((box.parent / "credentials/mqtt.toml").read_text())
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(loaded))
    ep = endpoint_of(_args("--mqtt", "mqtt://127.0.0.2", "--site-id", "s"))
    assert ep.credentials is not None and ep.credentials.source == loaded / "mqtt.toml"
    assert ep.device_id == "kiosk-05"


def test_the_command_line_wins_over_the_box(box: Path, tmp_path: Path) -> None:
    # --device given: the box file is not read at all (a technician's manual run)
    ep = endpoint_of(_args("--device", "kiosk-02", "--mqtt", "mqtt://127.0.0.2",
                           "--site-id", "mpp-x"))
    assert (ep.device_id, ep.site, ep.credentials) == ("kiosk-02", "mpp-x", None)
    # --mqtt and --site-id given: used as given, no browsing, the box's device still
    ep = endpoint_of(_args("--mqtt", "mqtt://127.0.0.2:1884", "--site-id", "mpp-y"))
    assert (ep.host, ep.port, ep.site, ep.device_id) == ("127.0.0.2", 1884, "mpp-y",
                                                         "kiosk-05")


def test_a_box_file_that_is_missing_or_broken_is_a_clear_error(
        box: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPP_BOX", str(box.parent / "nope.toml"))
    with pytest.raises(SystemExit, match=r"no box file .*nope\.toml"):
        endpoint_of(_args("--mqtt", "mqtt://127.0.0.2", "--site-id", "s"))
    box.write_text('[box]\nrole = "kiosk"\n')
    monkeypatch.setenv("MPP_BOX", str(box))
    with pytest.raises(SystemExit, match=r"box.toml: \[box\] device is missing"):
        endpoint_of(_args("--mqtt", "mqtt://127.0.0.2", "--site-id", "s"))
    monkeypatch.setenv("MPP_BOX", "")  # empty: no box file, the old defaults
    assert endpoint_of(_args("--mqtt", "mqtt://127.0.0.2", "--site-id", "s")
                       ).device_id == "kiosk-01"
