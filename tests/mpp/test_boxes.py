"""Box bundles (docs/boxes.md): `mpp provision --boxes` makes one per box, `mpp box
install` puts one in a box's root (a scratch root here), and a tampered or corrupt one
is refused before anything of it lands on the box."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import tomllib
from pathlib import Path

import pytest

from mpp.box.bundle import BoxChoice, BoxOptions, make_boxes
from mpp.box.install import BadBundle, NoBundle, PickNeeded, firstboot, install_from
from mpp.cli import main
from mpp.provision import provision
from mpp.provision.run import TlsRequest
from queue_server.config import default_site_path, load_site
from tests.support.site import small_site

SITE = load_site(default_site_path())


def members(bundle: Path) -> dict[str, tuple[bytes, int]]:
    with tarfile.open(bundle) as tar:
        return {m.name: (tar.extractfile(m).read(), stat.S_IMODE(m.mode))  # type: ignore[union-attr]
                for m in tar if m.isfile()}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- making


def test_provision_with_boxes_makes_a_bundle_per_box(tmp_path: Path, capsys) -> None:
    # WHEN the sample site is provisioned with TLS and boxes, one display made a counter
    # display above loket-03 and the other the wall of lantai-1
    rc = main(["provision", "--out", str(tmp_path), "--tls", "--tls-name", "mpp.local",
               "--boxes", "--box", "display-lantai-2=counter:loket-03",
               "--box", "display-hall=wall:lantai-1"])
    assert rc == 0
    out = capsys.readouterr().out
    assert f"bundles: 39 in {tmp_path / 'boxes'}" in out
    assert "no bundle: supervisor-01" in out
    boxes = tmp_path / "boxes"
    made = sorted(p.name for p in boxes.iterdir())
    assert len(made) == 39 and "server.mppbox" in made and "kiosk-01.mppbox" in made
    assert all(mode(p) == 0o600 for p in boxes.iterdir()), "a bundle holds a secret"
    # THEN a kiosk's bundle: box.toml, its own credentials (0600), the CA, its drop-in
    kiosk = members(boxes / "kiosk-01.mppbox")
    assert set(kiosk) == {"box.toml", "credentials.toml", "ca.crt",
                          "units/mpp-kiosk.service.d/box.conf"}
    assert kiosk["credentials.toml"] == (
        (tmp_path / "devices/kiosk-01/credentials.toml").read_bytes(), 0o600)
    box = tomllib.loads(kiosk["box.toml"][0].decode())["box"]
    assert box == {"role": "kiosk", "device": "kiosk-01", "site": "mpp-makassar",
                   "app": "mpp kiosk --lang id", "language": "id", "tls": True,
                   "credentials": "credentials/mqtt.toml",
                   "name": "Anjungan Antrean 1 (Pintu Utama)"}  # no address: zeroconf
    # the counter PC runs the console; the displays what they were given
    assert "units/mpp-console.service.d/box.conf" in members(boxes / "counter-05.mppbox")
    counter = members(boxes / "display-lantai-2.mppbox")
    assert b'Environment="MPP_APP_ARGS=--counter loket-03 --lang id"' in \
        counter["units/mpp-counter-display.service.d/box.conf"][0]
    assert 'counter = "loket-03"' in counter["box.toml"][0].decode()
    wall = members(boxes / "display-hall.mppbox")
    assert b"--zone lantai-1 --lang id" in wall["units/mpp-wall.service.d/box.conf"][0]
    # the server's: the site file, its accounts, HTTPS and the broker's files at the
    # paths they get on the server box
    server = members(boxes / "server.mppbox")
    assert server["site.toml"][0] == Path(SITE.source).read_bytes()
    assert server["web.key"][1] == server["broker/server.key"][1] == 0o600
    assert server["broker/passwd"][1] == server["credentials.toml"][1] == 0o600
    conf = server["broker/mpp.conf"][0].decode()
    assert "password_file /etc/mpp/broker/passwd" in conf and str(tmp_path) not in conf
    assert b"--advertise-mqtt mqtts://mpp.local:8883" in \
        server["units/mpp-server.service.d/box.conf"][0]


def test_a_wrong_box_choice_is_refused(tmp_path: Path, capsys) -> None:
    rc = main(["provision", "--out", str(tmp_path), "--boxes",
               "--box", "display-hall=counter:loket-99"])
    assert rc == 2
    assert "name a counter of mpp-makassar" in capsys.readouterr().err


# --------------------------------------------------------------------------- installing


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """A USB stick holding the bundles of the small site's kiosk-01, kiosk-02 and
    counter-01, made without TLS."""
    site = small_site("mpp-box")
    done = provision(site, tmp_path / "provision")
    make_boxes(site, done, BoxOptions(fallback_mqtt="mqtt://127.0.0.2:1883"))
    folder = tmp_path / "stick"
    folder.mkdir()
    for device in ("kiosk-01", "kiosk-02", "counter-01"):
        name = f"{device}.mppbox"
        (folder / name).write_bytes((tmp_path / "provision/boxes" / name).read_bytes())
    return folder


def test_a_box_takes_the_bundle_named_like_it_and_marks_it_taken(stick: Path,
                                                                   tmp_path: Path) -> None:
    root = tmp_path / "root"
    done = install_from(stick, root, hostname="kiosk-02.local")
    assert (done.bundle.device, done.bundle.role.name) == ("kiosk-02", "kiosk")
    box = tomllib.loads((root / "etc/mpp/box.toml").read_text())["box"]
    assert (box["device"], box["site"], box["mqtt"]) == ("kiosk-02", "mpp-box",
                                                         "mqtt://127.0.0.2:1883")
    creds = root / "etc/mpp/credentials/mqtt.toml"
    assert 'user = "kiosk-02"' in creds.read_text() and mode(creds) == 0o600
    assert mode(creds.parent) == 0o700
    assert (root / "etc/systemd/system/mpp-kiosk.service.d/box.conf").is_file()
    assert not (root / "etc/mpp/credentials/ca.crt").exists()  # no TLS, no CA
    assert sorted(p.name for p in stick.iterdir()) == [
        "counter-01.mppbox", "kiosk-01.mppbox", "kiosk-02.mppbox.taken"]
    # no target installed in this root: said, not failed
    assert any("mpp-kiosk.target" in note for note in done.notes) and not done.enabled


def test_several_bundles_and_no_name_asks_for_pick(stick: Path, tmp_path: Path) -> None:
    with pytest.raises(PickNeeded) as err:
        install_from(stick, tmp_path / "root", hostname="raspberrypi")
    assert ("3 bundles and none named like this host (raspberrypi): counter-01, kiosk-01, "
            "kiosk-02; say which one with --pick ID") in str(err.value)
    assert not (tmp_path / "root").exists()
    done = install_from(stick, tmp_path / "root", pick="counter-01", hostname="raspberrypi")
    assert done.bundle.role.name == "console"
    assert (tmp_path / "root/etc/systemd/system/mpp-console.service.d/box.conf").is_file()
    with pytest.raises(NoBundle, match="--pick counter-01: no bundle"):  # taken already
        install_from(stick, tmp_path / "root2", pick="counter-01")


def test_the_only_bundle_left_is_taken_and_then_none(stick: Path, tmp_path: Path) -> None:
    for name in ("kiosk-01", "kiosk-02"):
        install_from(stick, tmp_path / name, pick=name)
    done = install_from(stick, tmp_path / "last", hostname="raspberrypi")
    assert done.bundle.device == "counter-01"
    with pytest.raises(NoBundle, match="no box bundle"):
        install_from(stick, tmp_path / "none", hostname="raspberrypi")


def test_the_command_installs_and_says_what(stick: Path, tmp_path: Path, capsys) -> None:
    root = tmp_path / "root"
    rc = main(["box", "install", str(stick / "kiosk-01.mppbox"), "--root", str(root)])
    assert rc == 0
    out = capsys.readouterr().out
    assert f"installed box kiosk-01 (kiosk) of site mpp-box from {stick}/kiosk-01.mppbox" \
        in out
    assert main(["box", "install", str(stick), "--root", str(root)]) == 2
    assert "mpp: pick_needed: 2 bundles" in capsys.readouterr().err


def test_systemctl_enables_the_roles_target_in_the_root(stick: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    units = root / "usr/lib/systemd/system"
    units.mkdir(parents=True)
    (units / "mpp-kiosk.target").write_text("[Unit]\nDescription=kiosk\n[Install]\n"
                                            "WantedBy=multi-user.target\n")
    done = install_from(stick, root, pick="kiosk-01")
    assert done.enabled, done.notes
    assert (root / "etc/systemd/system/multi-user.target.wants/mpp-kiosk.target").is_symlink()


def test_firstboot_takes_the_bundle_from_a_stick_once(stick: Path, tmp_path: Path,
                                                      capsys) -> None:
    root = tmp_path / "root"
    empty = tmp_path / "other-stick"
    empty.mkdir()
    with pytest.raises(NoBundle, match="no box bundle"):
        firstboot([empty], root, hostname="x")
    done = firstboot([empty, stick], root, hostname="kiosk-01")
    assert done.bundle.device == "kiosk-01" and (root / "etc/mpp/box.toml").is_file()
    # the unit runs again at the next boot only without box.toml; the command agrees
    assert main(["box", "firstboot", "--media", str(stick), "--root", str(root)]) == 0
    assert "already a box" in capsys.readouterr().out
    assert (stick / "kiosk-02.mppbox").exists()


# --------------------------------------------------------------------------- refusing


def forged(path: Path, extra: dict[str, bytes] | None = None, *,
           drop: str | None = None, link: tuple[str, str] | None = None,
           base: Path | None = None) -> Path:
    """A copy of `base` (a real bundle) with members added, one left out or a link."""
    kept = members(base) if base else {}
    with tarfile.open(path, "w") as tar:
        for name, (data, m) in kept.items():
            if name != drop:
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), m
                tar.addfile(info, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo(link[0])
            info.type, info.linkname = tarfile.SYMTYPE, link[1]
            tar.addfile(info)
    return path


@pytest.mark.parametrize(("change", "reason"), [
    ({"extra": {"../../etc/cron.d/evil": b"* * * * * root sh"}}, "points outside"),
    ({"extra": {"/etc/shadow": b"root::0:0"}}, "points outside"),
    ({"link": ("units/mpp-kiosk.service.d/box.conf", "/etc/shadow")},
     "not a regular file"),
    ({"extra": {"units/ssh.service.d/box.conf": b"[Service]\nExecStart=/bin/sh\n"}},
     "has no place on a kiosk box"),
    ({"extra": {"site.toml": b"[site]\n"}}, "site.toml has no place on a kiosk box"),
    ({"drop": "credentials.toml"}, "credentials.toml is missing"),
    ({"extra": {"credentials.toml": b"[mqtt]\nuser = 'kiosk-01'\n"}}, "twice"),
])
def test_a_tampered_bundle_is_refused_and_nothing_lands(stick: Path, tmp_path: Path,
                                                        change: dict, reason: str) -> None:
    bad = forged(tmp_path / "kiosk-01.mppbox", base=stick / "kiosk-01.mppbox", **change)
    with pytest.raises(BadBundle, match=reason):
        install_from(bad, tmp_path / "root")
    assert not (tmp_path / "root").exists() and bad.exists()  # not marked taken


def test_a_bundle_whose_credentials_do_not_parse_or_agree_is_refused(stick: Path,
                                                                    tmp_path: Path) -> None:
    base = stick / "kiosk-01.mppbox"
    bad = forged(tmp_path / "a.mppbox", {"credentials.toml": b"[mqtt]\nuser = 'kiosk-01'\n"},
                 drop="credentials.toml", base=base)
    with pytest.raises(BadBundle, match=r"credentials do not parse: .*password"):
        install_from(bad, tmp_path / "root")
    other = members(stick / "kiosk-02.mppbox")["credentials.toml"][0]
    bad = forged(tmp_path / "b.mppbox", {"credentials.toml": other},
                 drop="credentials.toml", base=base)
    with pytest.raises(BadBundle, match=r"broker account of kiosk-02, but box\.toml names "
                                        r"the device kiosk-01"):
        install_from(bad, tmp_path / "root")


def test_a_corrupt_bundle_is_refused(stick: Path, tmp_path: Path, capsys) -> None:
    whole = (stick / "kiosk-01.mppbox").read_bytes()
    cut = tmp_path / "cut.mppbox"
    cut.write_bytes(whole[:700])
    with pytest.raises(BadBundle, match="not a box bundle"):
        install_from(cut, tmp_path / "root")
    junk = tmp_path / "junk.mppbox"
    junk.write_bytes(os.urandom(4096))
    assert main(["box", "install", str(junk), "--root", str(tmp_path / "root")]) == 2
    assert f"mpp: bad_bundle: {junk}: not a box bundle" in capsys.readouterr().err
    assert not (tmp_path / "root").exists()


def test_a_tls_bundle_brings_its_ca(tmp_path: Path) -> None:
    site = small_site("mpp-box-tls")
    tls = TlsRequest(names=["localhost"], ips=[])
    done = provision(site, tmp_path / "p", tls=tls)
    boxes = make_boxes(site, done, BoxOptions(choices=(BoxChoice("display-01", "counter",
                                                                  "loket-02"),)), tls=tls)
    assert any("server" in line for line in boxes.skipped)  # the site is not a file here
    root = tmp_path / "root"
    install_from(tmp_path / "p/boxes/display-01.mppbox", root)
    ca = root / "etc/mpp/credentials/ca.crt"
    assert ca.read_bytes() == (tmp_path / "p/ca/ca.crt").read_bytes()
    assert (root / "etc/systemd/system/mpp-counter-display.service.d/box.conf"
            ).read_text().endswith('Environment="MPP_APP_ARGS=--counter loket-02 --lang id"\n')


@pytest.mark.parametrize(("credentials", "reason"), [
    (b'[mqtt]\nuser = "kiosk-01"\npassword_file = "/etc/shadow"\n',
     r"password_file: a bundle carries its secret itself"),
    ((b'[mqtt]\nuser = "kiosk-01"\npassword = "x-secret-of-twenty-chars"\n'
      b'ca = "/etc/ssl/certs/ca-certificates.crt"\n'), r"ca must be the bundle's own ca\.crt"),
])
def test_credentials_that_reach_out_of_the_bundle_are_refused(
        stick: Path, tmp_path: Path, credentials: bytes, reason: str) -> None:
    bad = forged(tmp_path / "kiosk-01.mppbox", {"credentials.toml": credentials},
                 drop="credentials.toml", base=stick / "kiosk-01.mppbox")
    with pytest.raises(BadBundle, match=reason):
        install_from(bad, tmp_path / "root")


def test_a_reprovisioned_box_drops_its_old_role(stick: Path, tmp_path: Path) -> None:
    # GIVEN a box installed as kiosk-01, its target enabled
    root = tmp_path / "root"
    units = root / "usr/lib/systemd/system"
    units.mkdir(parents=True)
    for role in ("kiosk", "console"):
        (units / f"mpp-{role}.target").write_text(
            f"[Unit]\nDescription={role}\n[Install]\nWantedBy=multi-user.target\n")
    assert install_from(stick, root, pick="kiosk-01").enabled
    wants = root / "etc/systemd/system/multi-user.target.wants"
    # WHEN it is made the counter PC of loket-01 with that bundle
    done = install_from(stick, root, pick="counter-01")
    # THEN it is that box only: the kiosk's drop-in and target are gone
    assert "replaced the box kiosk-01 (kiosk) of site mpp-box" in done.notes
    assert "disabled mpp-kiosk.target" in done.notes and done.enabled
    assert sorted(p.name for p in wants.iterdir()) == ["mpp-console.target"]
    assert not (root / "etc/systemd/system/mpp-kiosk.service.d/box.conf").exists()
    assert 'device = "counter-01"' in (root / "etc/mpp/box.toml").read_text()


def test_the_server_box_gets_site_accounts_https_and_broker(tmp_path: Path) -> None:
    from queue_server.protocol.credentials import load_credentials, load_https

    assert main(["provision", "--out", str(tmp_path / "p"), "--tls", "--tls-name",
                 "mpp.local", "--boxes"]) == 0
    root = tmp_path / "root"
    done = install_from(tmp_path / "p/boxes/server.mppbox", root)
    assert (done.bundle.role.name, done.bundle.device) == ("server", "server")
    etc = root / "etc/mpp"
    assert (etc / "site.toml").read_bytes() == Path(SITE.source).read_bytes()
    # the server's credentials, as its unit loads them: accounts, CA and HTTPS beside
    creds = etc / "credentials/mqtt.toml"
    assert load_credentials(creds).user == "server"
    assert load_credentials(creds, "follower").user == "dashboard"
    https = load_https(creds)
    assert https is not None and mode(https.key) == 0o600
    assert (etc / "credentials/ca.crt").read_bytes() == (tmp_path / "p/ca/ca.crt").read_bytes()
    # the broker's files, and its drop-in pointing at them
    conf = (root / "etc/mosquitto/conf.d/mpp.conf").read_text()
    assert "password_file /etc/mpp/broker/passwd" in conf
    assert "keyfile /etc/mpp/broker/server.key" in conf
    for name in ("passwd", "acl", "server.key"):
        assert mode(etc / "broker" / name) & 0o007 == 0, name  # nobody else reads them
    assert not (root / "ca").exists() and not any(root.rglob("ca.key"))  # the CA stays home


def test_a_server_bundle_with_a_broken_or_foreign_site_file_is_refused(tmp_path: Path) -> None:
    assert main(["provision", "--out", str(tmp_path / "p"), "--boxes"]) == 0
    base = tmp_path / "p/boxes/server.mppbox"
    broken = forged(tmp_path / "a.mppbox", {"site.toml": b"[site]\nid = 3\n"},
                    drop="site.toml", base=base)
    with pytest.raises(BadBundle, match=r"its site file does not load: site\.toml"):
        install_from(broken, tmp_path / "root")
    other = Path(SITE.source).read_text().replace('id = "mpp-makassar"', 'id = "mpp-gowa"', 1)
    foreign = forged(tmp_path / "b.mppbox", {"site.toml": other.encode()},
                     drop="site.toml", base=base)
    with pytest.raises(BadBundle, match=r"its site file is mpp-gowa, but box\.toml names the "
                                        r"site mpp-makassar"):
        install_from(foreign, tmp_path / "root")
    assert not (tmp_path / "root").exists()


def test_a_root_that_cannot_be_written_is_said_and_the_bundle_stays(
        stick: Path, tmp_path: Path, capsys) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    bundle = stick / "kiosk-01.mppbox"
    assert main(["box", "install", str(bundle), "--root", str(blocked)]) == 2
    assert f"mpp: box_failed: cannot install under {blocked}: " in capsys.readouterr().err
    assert bundle.exists()  # not marked taken: another try takes it


# --------------------------------------------------------------------------- sticks

LSBLK = """{"blockdevices": [
  {"path": "/dev/mmcblk0", "tran": null, "rm": false, "type": "disk", "fstype": null,
   "mountpoint": null, "children": [
     {"path": "/dev/mmcblk0p1", "tran": null, "rm": false, "type": "part",
      "fstype": "vfat", "mountpoint": "/boot/firmware"},
     {"path": "/dev/mmcblk0p3", "tran": null, "rm": false, "type": "part",
      "fstype": "ext4", "mountpoint": null}]},
  {"path": "/dev/sda", "tran": "usb", "rm": true, "type": "disk", "fstype": null,
   "mountpoint": null, "children": [
     {"path": "/dev/sda1", "tran": null, "rm": true, "type": "part", "fstype": "vfat",
      "mountpoint": null},
     {"path": "/dev/sda2", "tran": null, "rm": true, "type": "part", "fstype": "swap",
      "mountpoint": null}]},
  {"path": "/dev/sdb", "tran": "usb", "rm": false, "type": "disk", "fstype": "exfat",
   "mountpoint": "/media/ssd"}
]}"""


def test_only_the_usb_sticks_unmounted_file_systems_are_looked_at() -> None:
    from mpp.box.sticks import usb_partitions

    # not the SD card's unmounted data partition, not swap, not a disk already mounted
    assert usb_partitions(LSBLK) == ["/dev/sda1"]


def test_firstboot_mounts_a_stick_nobody_mounted(stick: Path, tmp_path: Path) -> None:
    """A Lite image mounts no stick: first boot mounts it (a real ext4 file system on a
    loop device), takes the bundle, marks it taken on the stick and unmounts it."""
    import subprocess

    from mpp.box.sticks import firstboot_from_sticks

    image = tmp_path / "stick.img"
    subprocess.run(["mkfs.ext4", "-q", "-d", str(stick), str(image), "16M"], check=True)
    loop = subprocess.run(["losetup", "--find", "--show", str(image)], check=True,
                          capture_output=True, text=True).stdout.strip()
    mount_dir = tmp_path / "run"
    try:
        done = firstboot_from_sticks(tmp_path / "root", devices=[loop], mount_dir=mount_dir,
                                     hostname="kiosk-02")
    finally:
        subprocess.run(["losetup", "--detach", loop], check=True)
    assert done.bundle.device == "kiosk-02"
    assert (tmp_path / "root/etc/mpp/box.toml").is_file()
    assert list(mount_dir.iterdir()) == []  # unmounted and tidied
    listing = subprocess.run(["debugfs", "-R", "ls -l /", str(image)], check=True,
                             capture_output=True, text=True).stdout
    assert "kiosk-02.mppbox.taken" in listing and "kiosk-01.mppbox" in listing
