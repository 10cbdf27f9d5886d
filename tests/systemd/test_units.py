"""The systemd units of systemd/ (systemd/README.md), checked by systemd's own tools in a
scratch root: Debian's units, ours, and stub programs at the paths ours start.
`systemd-analyze verify` must say nothing, `systemd-analyze security` must stay under
each unit's threshold, and the server's ExecStart must parse with the real `mpp` parser.
A missing systemd-analyze FAILS (scripts/install-system-deps.sh installs it)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mpp.cli import APP_MODULES, build_parser, cmd_server

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "systemd"
SYSTEM_UNITS = Path("/lib/systemd/system")
SCREENS = ("mpp-kiosk.service", "mpp-wall.service", "mpp-counter-display.service",
           "mpp-console.service")
SERVICES = ("mpp-server.service", *SCREENS)
TARGETS = ("mpp-server.target", "mpp-kiosk.target", "mpp-wall.target", "mpp-counter.target",
           "mpp-console.target")
# the exposure `systemd-analyze security` may score (0 = locked down, 10 = exposed): the
# screens need the GPU, the inputs, a tty and a JIT; Mosquitto keeps what it drops to its user
THRESHOLDS = {"mpp-server.service": 2.0, **dict.fromkeys(SCREENS, 2.5),
              "mosquitto.service": 3.0}


def tool(name: str) -> str:
    """A systemd program, or a failed test (never a skip) naming how to get it."""
    found = shutil.which(name) or f"/usr/bin/{name}"
    if not Path(found).is_file():
        pytest.fail(f"{name} is missing: run scripts/install-system-deps.sh (the Debian "
                    "package systemd)")
    return found


def analyze() -> str:
    return tool("systemd-analyze")


def directives(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) of a unit file, in order, repeated keys kept."""
    found, section = [], ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        found.append((section, key.strip(), value.strip()))
    return found


def values(path: Path, key: str) -> list[str]:
    return [v for _, k, v in directives(path) if k == key]


def one(path: Path, key: str) -> str:
    found = values(path, key)
    assert len(found) == 1, f"{path.name}: {key}= {found}"
    return found[0]


def _stub_programs(root: Path, units: list[Path]) -> None:
    """An executable at every absolute path an Exec*= line of `units` starts."""
    for unit in units:
        for _, key, value in directives(unit):
            if key.startswith("Exec") and value:
                program = shlex.split(value)[0].lstrip("-@:+!")
                stub = root / program.lstrip("/")
                stub.parent.mkdir(parents=True, exist_ok=True)
                stub.write_text("#!/bin/sh\n")
                stub.chmod(0o755)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch root: Debian's units in /lib, ours in /etc, stubs at their programs."""
    analyze()
    root = tmp_path_factory.mktemp("root")
    shutil.copytree(SYSTEM_UNITS, root / "lib/systemd/system", symlinks=True)
    shutil.copytree(UNITS, root / "etc/systemd/system",
                    ignore=shutil.ignore_patterns("*.md", "sysusers.d", "tmpfiles.d"))
    units = [p for p in (root / "etc/systemd/system").rglob("*") if p.is_file()]
    _stub_programs(root, [*units, SYSTEM_UNITS / "mosquitto.service"])
    return root


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([analyze(), *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_every_unit_verifies_silently(root: Path):
    done = _run("verify", f"--root={root}", "--man=no", *SERVICES, *TARGETS,
                "mpp-firstboot.service", "mosquitto.service")
    assert done.stdout + done.stderr == ""


def test_verify_does_see_a_mistake(root: Path):
    # GIVEN a unit with an unknown key: the silence above is systemd's, not ours
    bad = root / "etc/systemd/system/mpp-broken.service"
    bad.write_text("[Service]\nType=notify\nExecStart=/nowhere/mpp\nRestrt=always\n")
    try:
        done = _run("verify", f"--root={root}", "--man=no", "mpp-broken.service")
    finally:
        bad.unlink()
    assert "Restrt" in done.stderr and "/nowhere/mpp" in done.stderr


@pytest.mark.parametrize("unit", sorted(THRESHOLDS))
def test_exposure_stays_under_its_threshold(root: Path, unit: str):
    # --threshold takes tenths: 20 is an exposure of 2.0
    done = _run("security", "--offline=yes", f"--root={root}",
                f"--threshold={round(THRESHOLDS[unit] * 10)}", unit)
    level = re.search(r"Overall exposure level for \S+: ([0-9.]+)", done.stdout)
    assert level, done.stdout + done.stderr
    assert done.returncode == 0, f"{unit}: {level[1]} > {THRESHOLDS[unit]}\n{done.stdout}"


def test_the_mosquitto_drop_in_is_what_makes_it_safe(root: Path):
    drop_in = root / "etc/systemd/system/mosquitto.service.d"
    aside = root / "mosquitto.service.d"
    drop_in.rename(aside)
    try:
        done = _run("security", "--offline=yes", f"--root={root}", "--threshold=30",
                    "mosquitto.service")
    finally:
        aside.rename(drop_in)
    assert done.returncode != 0  # Debian's unit alone is exposed


@pytest.mark.parametrize("unit", SERVICES)
def test_services_notify_restart_and_run_as_their_user(unit: str):
    path = UNITS / unit
    assert one(path, "Type") == "notify"
    assert one(path, "WatchdogSec") == "30"
    assert one(path, "Restart") == "always"
    assert one(path, "StartLimitIntervalSec") == "0" and one(path, "RestartSec") == "5"
    sysusers = (UNITS / "sysusers.d/mpp.conf").read_text().split()
    assert one(path, "User") in ("mpp-server", "mpp-kiosk", "mpp-display")
    assert one(path, "User") in sysusers
    credentials = dict(v.split(":", 1) for v in values(path, "LoadCredential"))
    assert credentials["mqtt.toml"] == "/etc/mpp/credentials/mqtt.toml"


def test_the_server_unit_has_its_credentials_and_data():
    path = UNITS / "mpp-server.service"
    credentials = dict(v.split(":", 1) for v in values(path, "LoadCredential"))
    assert credentials == {name: f"/etc/mpp/credentials/{name}"
                           for name in ("mqtt.toml", "ca.crt", "web.crt", "web.key")}
    environment = " ".join(values(path, "Environment"))
    assert "MPP_DATA_DIR=/var/lib/mpp/server" in environment
    assert "MPP_BACKUP_DIR=/var/lib/mpp/backups" in environment
    assert one(path, "EnvironmentFile") == "-/etc/mpp/server.env"


def test_the_server_unit_names_only_options_mpp_server_has():
    path = UNITS / "mpp-server.service"
    words = shlex.split(one(path, "ExecStart"))
    assert words[0] == "/opt/mpp/current/venv/bin/mpp" and words[-1] == "$MPP_SERVER_ARGS"
    # $MPP_SERVER_ARGS as the unit sets it (%H: the host's name), word by word
    default = dict(shlex.split(v)[0].split("=", 1) for v in values(path, "Environment")
                   if v.startswith('"MPP_SERVER_ARGS='))["MPP_SERVER_ARGS"]
    extra = default.replace("%H", "mpp-server").split()
    args = build_parser().parse_args([*words[1:-1], *extra])  # an unknown option exits
    assert args.func is cmd_server
    assert args.site == "/etc/mpp/site.toml"
    assert args.advertise_mqtt == "mqtts://mpp-server.local:8883"


@pytest.mark.parametrize("unit", SCREENS)
def test_screens_run_their_app_under_cage(unit: str):
    path = UNITS / unit
    words = shlex.split(one(path, "ExecStart"))
    assert words[:3] == ["/usr/bin/cage", "-d", "--"]
    assert words[3] == "/opt/mpp/current/venv/bin/mpp" and words[-1] == "$MPP_APP_ARGS"
    app = " ".join(w for w in words[4:-1] if not w.startswith("-"))
    assert app in APP_MODULES, app
    assert "--fullscreen" in words
    assert one(path, "NotifyAccess") == "all"  # the app is cage's child, not the main pid
    assert one(path, "PAMName") == "login" and one(path, "TTYPath") == "/dev/tty1"
    assert "MPP_BOX=/etc/mpp/box.toml" in " ".join(values(path, "Environment"))


def test_the_apps_take_fullscreen():
    for app in APP_MODULES:
        done = subprocess.run([sys.executable, "-m", "mpp", *app.split(), "--help"],
                              capture_output=True, text=True, cwd=ROOT, timeout=60,
                              check=False)
        assert done.returncode == 0 and "--fullscreen" in done.stdout, app


def test_sysusers_makes_the_users_in_their_groups(tmp_path: Path):
    # GIVEN a root with the host's users and groups (video, lp... as Debian has them)
    (tmp_path / "etc").mkdir()
    for name in ("passwd", "group"):
        shutil.copy(Path("/etc") / name, tmp_path / "etc" / name)
    sysusers = tool("systemd-sysusers")
    # WHEN systemd-sysusers reads our file there
    done = subprocess.run([sysusers, f"--root={tmp_path}", str(UNITS / "sysusers.d/mpp.conf")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    # THEN the three users exist, with no shell, each screen user in the screen's groups
    users = {line.split(":")[0]: line.split(":") for line in
             (tmp_path / "etc/passwd").read_text().splitlines()}
    for user in ("mpp-server", "mpp-kiosk", "mpp-display"):
        assert users[user][6] == "/usr/sbin/nologin"
    members = {line.split(":")[0]: set(line.split(":")[3].split(",")) for line in
               (tmp_path / "etc/group").read_text().splitlines()}
    for group in ("video", "render", "input", "audio"):
        assert {"mpp-kiosk", "mpp-display"} <= members[group], group
    for group in ("lp", "dialout", "plugdev"):
        assert "mpp-kiosk" in members[group] and "mpp-display" not in members[group]
    # AND each screen unit's state folder is its user's home
    for unit in SCREENS:
        user = one(UNITS / unit, "User")
        assert users[user][5] == f"/var/lib/{one(UNITS / unit, 'StateDirectory')}"


def test_tmpfiles_keeps_the_credentials_to_root():
    lines = [line.split() for line in (UNITS / "tmpfiles.d/mpp.conf").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert all(len(fields) == 6 and fields[0] == "d" for fields in lines), lines
    by_path = {fields[1]: fields[2:5] for fields in lines}
    assert by_path["/etc/mpp/credentials"] == ["0700", "root", "root"]
    assert by_path["/var/lib/mpp"] == ["0755", "root", "root"]
