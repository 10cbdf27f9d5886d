"""hardware/pi/provision.sh against a scratch root: the CI check of issue #13's Pi script.

The release is a real bundle in the BRIEF's layout (VERSION, requirements.lock, wheels/,
systemd/, hardware/, SHA256SUMS) with one shortcut, said here plainly: wheels/ holds only the
project's own wheel, and the script runs with MPP_PROVISION_DEPS_FROM pointing at this test
run's own site-packages (pip --no-deps, then a .pth file), because building every locked
dependency's wheel would take minutes. The venv, the units, users, udev rules, fstab, the box
bundle (made by `mpp provision --boxes`, installed by the release's own `mpp box install`)
and target enabling are all real; only the apt step is a record (--root never installs
packages on the machine running it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "hardware" / "pi" / "provision.sh"
VERSION = "0.1.0"
PACKAGES = ["mpp", "queue_server", "qtkit", "kiosk", "counter_display", "drivers"]
UNITS = REPO / "systemd"
CMDLINE = "console=serial0,115200 root=PARTUUID=1234-02 rootfstype=ext4 rootwait\n"


def shell_scripts() -> list[Path]:
    """Every shell script under hardware/ and scripts/: *.sh, or a sh/bash shebang."""
    found = []
    for path in sorted([*REPO.glob("hardware/**/*"), *REPO.glob("scripts/**/*")]):
        if not path.is_file():
            continue
        head = path.read_bytes()[:64]
        if path.suffix == ".sh" or head.startswith((b"#!/bin/sh", b"#!/bin/bash",
                                                    b"#!/usr/bin/env bash")):
            found.append(path)
    return found


def test_shellcheck_passes_on_every_shell_script() -> None:
    # GIVEN shellcheck (scripts/install-system-deps.sh installs it: missing fails, no skip)
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is missing: run bash scripts/install-system-deps.sh"
    scripts = shell_scripts()
    assert SCRIPT in scripts
    # WHEN it reads every script
    done = subprocess.run([shellcheck, "--severity=style", *map(str, scripts)],
                          capture_output=True, text=True, check=False)
    # THEN it finds nothing
    assert done.returncode == 0, done.stdout + done.stderr


# ------------------------------------------------------------------ the release


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """mpp-VERSION.tar: the project wheel (built from a copy of the sources, so the
    worktree gets no build/ folder), an empty lock, the units and hardware/ of the repo."""
    base = tmp_path_factory.mktemp("release")
    src = base / "src"
    src.mkdir()
    for name in ["pyproject.toml", "README.md"]:
        shutil.copy2(REPO / name, src / name)
    for name in PACKAGES:
        shutil.copytree(REPO / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    top = base / f"mpp-{VERSION}"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "--disable-pip-version-check", "-w", str(top / "wheels"),
                    str(src)], check=True, capture_output=True, timeout=120)
    (top / "VERSION").write_text(f"{VERSION}\n", encoding="utf-8")
    (top / "requirements.lock").write_text("", encoding="utf-8")  # see the module's doc
    shutil.copytree(UNITS, top / "systemd")
    shutil.copytree(REPO / "hardware", top / "hardware")
    write_sums(top)
    bundle = base / f"mpp-{VERSION}.tar"
    with tarfile.open(bundle, "w") as tar:
        tar.add(top, arcname=top.name)
    return bundle


def write_sums(top: Path) -> None:
    """SHA256SUMS as `sha256sum` writes it, as `mpp release build` does."""
    files = sorted(p for p in top.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    (top / "SHA256SUMS").write_text("".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(top).as_posix()}\n"
        for p in files), encoding="utf-8")


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OUT/boxes of `mpp provision --boxes --tls` for the sample site."""
    out = tmp_path_factory.mktemp("provision")
    subprocess.run([sys.executable, "-m", "mpp", "provision", "--out", str(out), "--boxes",
                    "--tls", "--tls-name", "mpp-server"],
                   check=True, capture_output=True, timeout=60)
    return out / "boxes"


def make_box_bundle(bundles: Path, into: Path) -> Path:
    """A copy of kiosk-01.mppbox (installing it marks the one given as taken)."""
    into.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(bundles / "kiosk-01.mppbox", into / "kiosk-01.mppbox"))


def make_root(tmp_path: Path) -> Path:
    """A scratch root shaped like a freshly flashed Raspberry Pi OS card."""
    scratch = tmp_path / "root"
    (scratch / "boot" / "firmware").mkdir(parents=True)
    (scratch / "boot" / "firmware" / "cmdline.txt").write_text(CMDLINE, encoding="utf-8")
    (scratch / "etc").mkdir()
    (scratch / "etc" / "fstab").write_text("proc /proc proc defaults 0 0\n", encoding="utf-8")
    return scratch


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path)


@pytest.fixture
def box_bundle(bundles: Path, tmp_path: Path) -> Path:
    return make_box_bundle(bundles, tmp_path / "stick")


def provision(root: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPP_PROVISION_DEPS_FROM": sysconfig.get_path("purelib")}
    return subprocess.run(["bash", str(SCRIPT), "--root", str(root), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def provision_ok(root: Path, *args: str | Path) -> str:
    done = provision(root, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def snapshot(root: Path) -> dict[str, tuple[str, int, bytes]]:
    """Every entry below root: kind, mode and content (a link's target)."""
    entries: dict[str, tuple[str, int, bytes]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        name = str(path.relative_to(root))
        if path.is_symlink():
            entries[name] = ("link", 0, os.readlink(path).encode())
        elif path.is_dir():
            entries[name] = ("dir", stat.S_IMODE(info.st_mode), b"")
        else:
            entries[name] = ("file", stat.S_IMODE(info.st_mode), path.read_bytes())
    return entries


# ------------------------------------------------------------------ a kiosk box


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory: pytest.TempPathFactory, release: Path,
          bundles: Path) -> tuple[Path, str, Path]:
    """A kiosk box provisioned from the release and its bundle (once: the venv takes
    seconds): its root, the script's output, the bundle it was given."""
    base = tmp_path_factory.mktemp("kiosk")
    scratch = make_root(base)
    bundle = make_box_bundle(bundles, base / "stick")
    out = provision_ok(scratch, "--role", "kiosk", "--release", release, "--box", bundle)
    return scratch, out, bundle


def test_a_kiosk_box_gets_everything_installed_and_enabled(
        kiosk: tuple[Path, str, Path]) -> None:
    # WHEN a kiosk box is provisioned from the release and its bundle
    root, out, bundle = kiosk

    # THEN the target is enabled, by the symlink systemctl itself made
    enabled = subprocess.run(["systemctl", f"--root={root}", "is-enabled", "mpp-kiosk.target"],
                             capture_output=True, text=True, check=False)
    assert enabled.stdout.strip() == "enabled", enabled.stdout + enabled.stderr
    system = root / "etc/systemd/system"
    assert [d for d in system.glob("*.wants") if (d / "mpp-kiosk.target").is_symlink()]
    for unit in UNITS.glob("mpp-*.service"):
        assert (root / "etc/systemd/system" / unit.name).read_bytes() == unit.read_bytes()
    # the broker's drop-in belongs to the server box only
    assert not (root / "etc/systemd/system/mosquitto.service.d").exists()
    # AND the release sits in /opt/mpp, its scripts pointing at /opt/mpp, not the scratch root
    assert os.readlink(root / "opt/mpp/current") == f"releases/{VERSION}"
    mpp = root / "opt/mpp/current/venv/bin/mpp"
    assert mpp.read_text(encoding="utf-8").splitlines()[0] == (
        f"#!/opt/mpp/releases/{VERSION}/venv/bin/python")
    assert (root / f"opt/mpp/releases/{VERSION}/VERSION").read_text().strip() == VERSION
    # AND the users, with their device groups
    passwd = (root / "etc/passwd").read_text(encoding="utf-8")
    assert {"mpp-server", "mpp-kiosk", "mpp-display"} <= {
        line.split(":")[0] for line in passwd.splitlines()}
    groups = {line.split(":")[0]: line.split(":")[3].split(",")
              for line in (root / "etc/group").read_text(encoding="utf-8").splitlines()}
    assert "mpp-kiosk" in groups["video"] and "mpp-kiosk" in groups["lp"]
    assert "mpp-display" in groups["gpio"]  # hardware/pi/sysusers-pi.conf
    # AND the udev rules, the sysusers and tmpfiles files
    for rules in (REPO / "hardware/udev").glob("*.rules"):
        assert (root / "etc/udev/rules.d" / rules.name).read_bytes() == rules.read_bytes()
    assert (root / "etc/sysusers.d/mpp.conf").is_file()
    assert (root / "etc/tmpfiles.d/mpp.conf").is_file()
    # AND the data partition in fstab, which every mpp service waits for
    fstab = (root / "etc/fstab").read_text(encoding="utf-8").splitlines()
    assert fstab[0] == "proc /proc proc defaults 0 0"
    assert [line.split()[:3] for line in fstab if "mpp-data" in line] == [
        ["LABEL=mpp-data", "/var/lib/mpp", "ext4"]]
    assert "RequiresMountsFor=/var/lib/mpp" in (
        root / "etc/systemd/system/mpp-kiosk.service.d/data-partition.conf").read_text()
    assert not (root / "etc/systemd/system/mpp-firstboot.service.d").exists()
    # AND the box's identity and secret, the secret for root only
    assert 'device = "kiosk-01"' in (root / "etc/mpp/box.toml").read_text()
    secret = root / "etc/mpp/credentials/mqtt.toml"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret.parent.stat().st_mode) == 0o700
    assert (root / "etc/systemd/system/mpp-kiosk.service.d/box.conf").is_file()
    # by the release's own `mpp box install`, which marks the bundle as taken
    assert "mpp box install --root" in out
    assert not bundle.exists() and bundle.with_name(bundle.name + ".taken").is_file()
    # AND no console blanking, the packages recorded, the overlay left for the box
    cmdline = (root / "boot/firmware/cmdline.txt").read_text(encoding="utf-8")
    assert cmdline == CMDLINE.rstrip("\n") + " consoleblank=0 vt.global_cursor_default=0\n"
    packages = (root / "var/lib/mpp-provision/packages.txt").read_text().split()
    assert {"cage", "libusb-1.0-0", "python3-venv", "overlayroot"} <= set(packages)
    assert "mosquitto" not in packages
    assert (root / "var/lib/mpp-provision/pending-readonly").is_file()
    assert "TO DO:     read-only root" in out


def test_a_second_run_changes_nothing(kiosk: tuple[Path, str, Path], release: Path) -> None:
    # GIVEN a provisioned box, its bundle marked as taken on the stick
    root, _, bundle = kiosk
    before = snapshot(root)
    # WHEN the technician runs the same command again
    out = provision_ok(root, "--role", "kiosk", "--release", release, "--box", bundle)
    # THEN every file, mode and link is as it was, and the summary says so
    assert snapshot(root) == before
    assert "was taken (by this box" in out
    assert "changes:   none" in out


def test_a_taken_bundle_is_refused_to_another_box(root: Path, release: Path,
                                                  kiosk: tuple[Path, str, Path]) -> None:
    _, _, bundle = kiosk
    done = provision(root, "--role", "kiosk", "--release", release, "--box", bundle,
                     "--dry-run")
    assert done.returncode != 0
    assert "was taken by another box already" in done.stderr


def test_a_dry_run_changes_nothing_and_shows_every_step(root: Path, release: Path,
                                                        box_bundle: Path) -> None:
    before = snapshot(root)
    out = provision_ok(root, "--role", "kiosk", "--release", release, "--box", box_bundle,
                       "--dry-run")
    assert snapshot(root) == before
    for step in range(1, 11):
        assert f"== {step}/10 " in out
    assert f"systemctl --root={root} enable mpp-kiosk.target" in out
    assert f"systemd-sysusers --root={root}" in out
    assert "dry run: nothing was changed" in out


HOST_PATHS = ["/opt/mpp", "/etc/mpp", "/etc/systemd/system/mpp-kiosk.target",
              "/etc/sysusers.d", "/etc/tmpfiles.d", "/etc/fstab", "/etc/passwd", "/etc/group",
              "/etc/udev/rules.d", "/var/lib/mpp-provision", "/var/lib/mpp"]


def host_state() -> dict[str, object]:
    """What a provisioning would change on this machine, file by file."""
    state: dict[str, object] = {}
    for name in HOST_PATHS:
        path = Path(name)
        if path.is_dir():
            state[name] = sorted(os.listdir(path))
        elif path.is_file():
            state[name] = path.read_bytes()
        else:
            state[name] = None
    return state


def test_a_dry_run_on_this_machine_changes_nothing(release: Path, box_bundle: Path) -> None:
    # GIVEN no --root: the script aims at the machine it runs on (which has no mpp box)
    before = host_state()
    # WHEN it runs with --dry-run
    done = subprocess.run(["bash", str(SCRIPT), "--role", "kiosk", "--release", str(release),
                           "--box", str(box_bundle), "--dry-run"],
                          capture_output=True, text=True, timeout=120, check=False)
    # THEN it shows the host's commands and does none of them
    assert done.returncode == 0, done.stdout + done.stderr
    assert host_state() == before
    assert "$ systemctl enable mpp-kiosk.target" in done.stdout
    assert "$ systemd-sysusers\n" in done.stdout
    assert "$ /usr/bin/python3 -m venv /opt/mpp/releases/0.1.0.partial/venv" in done.stdout


# ------------------------------------------------------------------ other roles, errors


def test_a_server_box_gets_the_broker_drop_in_and_a_writable_root(root: Path,
                                                                   release: Path) -> None:
    # WHEN a server box is provisioned without the read-only root
    out = provision_ok(root, "--role", "server", "--release", release, "--no-readonly")
    # THEN it runs the broker with our drop-in and no screen packages
    assert (root / "etc/systemd/system/mosquitto.service.d/mpp.conf").read_bytes() == (
        UNITS / "mosquitto.service.d/mpp.conf").read_bytes()
    enabled = subprocess.run(["systemctl", f"--root={root}", "is-enabled", "mpp-server.target"],
                             capture_output=True, text=True, check=False)
    assert enabled.stdout.strip() == "enabled"
    packages = (root / "var/lib/mpp-provision/packages.txt").read_text().split()
    assert "mosquitto" in packages and "cage" not in packages
    # AND, without a bundle, the box takes one at first boot
    firstboot = subprocess.run(["systemctl", f"--root={root}", "is-enabled",
                                "mpp-firstboot.service"], capture_output=True, text=True,
                               check=False)
    assert firstboot.stdout.strip() == "enabled"
    # AND --no-readonly leaves fstab and the overlay alone
    assert "mpp-data" not in (root / "etc/fstab").read_text()
    assert not (root / "var/lib/mpp-provision/pending-readonly").exists()
    assert "skipped (--no-readonly)" in out
    assert "vt.global_cursor_default" not in (root / "boot/firmware/cmdline.txt").read_text()


def test_a_box_without_its_bundle_keeps_a_writable_root(root: Path, release: Path) -> None:
    done = provision(root, "--role", "wall", "--release", release, "--dry-run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "root stays writable" in done.stderr
    assert not (root / "var/lib/mpp-provision/pending-readonly").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "toaster", "--release", "x"], "--role must be one of"),
    (["--role", "kiosk"], "--release DIR_OR_TAR is required"),
    (["--role", "kiosk", "--release", "/nonexistent"], "release not found"),
])
def test_wrong_arguments_are_named(root: Path, args: list[str], message: str) -> None:
    done = provision(root, *args)
    assert done.returncode != 0
    assert message in done.stderr
    assert not (root / "opt").exists()


def test_packages_missing_from_an_image_are_named(root: Path, release: Path) -> None:
    # GIVEN an image whose dpkg database holds python3 and python3-venv only
    status = root / "var/lib/dpkg/status"
    status.parent.mkdir(parents=True)
    status.write_text("".join(
        f"Package: {name}\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n\n"
        for name in ("python3", "python3-venv")), encoding="utf-8")
    # WHEN the script looks at it for a wall display
    done = provision(root, "--role", "wall", "--release", release, "--dry-run")
    # THEN it names what the box still lacks, and only that
    assert done.returncode == 0, done.stdout + done.stderr
    warning = next(line for line in done.stderr.splitlines() if "not installed in" in line)
    assert "cage" in warning and "espeak-ng" in warning
    assert " python3 " not in warning and "python3-venv" not in warning


def test_a_bundle_of_another_role_is_refused(root: Path, release: Path,
                                             box_bundle: Path) -> None:
    done = provision(root, "--role", "wall", "--release", release, "--box", box_bundle,
                     "--dry-run")
    assert done.returncode != 0
    assert "bundle of a kiosk box, and this is a wall box" in done.stderr


def test_a_damaged_release_is_refused_before_anything_changes(root: Path, release: Path,
                                                               tmp_path: Path) -> None:
    # GIVEN the release unpacked as a folder, one wheel damaged in the copy
    with tarfile.open(release) as tar:
        tar.extractall(tmp_path, filter="data")
    folder = tmp_path / f"mpp-{VERSION}"
    wheel = next((folder / "wheels").glob("*.whl"))
    wheel.write_bytes(wheel.read_bytes()[:-10])
    before = snapshot(root)
    # WHEN it is given to the script
    done = provision(root, "--role", "kiosk", "--release", folder)
    # THEN the script refuses it and the box is untouched
    assert done.returncode != 0
    assert "does not match its SHA256SUMS" in done.stderr
    assert snapshot(root) == before


def test_list_packages_prints_the_role_s_packages() -> None:
    done = subprocess.run(["bash", str(SCRIPT), "--list-packages", "--role", "counter"],
                          capture_output=True, text=True, check=True)
    assert {"cage", "espeak-ng", "sox"} <= set(done.stdout.split())
