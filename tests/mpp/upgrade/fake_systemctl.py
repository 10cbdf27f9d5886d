"""A service manager for the upgrade tests, in place of systemctl: `fake_systemctl.py
STATE ROOT stop|start|is-active UNIT...`. Each unit is a real process,
ROOT/opt/mpp/current/venv/bin/mpp server, started detached with its pid in STATE/UNIT.pid;
whatever `current` points at when it starts is what runs (as under systemd)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"  # a zombie has exited


def pid_of(state: Path, unit: str) -> int | None:
    path = state / f"{unit}.pid"
    return int(path.read_text()) if path.exists() else None


def start(state: Path, root: Path, unit: str) -> None:
    pid = pid_of(state, unit)
    if pid is not None and alive(pid):
        return
    with (state / f"{unit}.log").open("a") as log:
        proc = subprocess.Popen([str(root / "opt/mpp/current/venv/bin/mpp"), "server"],
                                stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    (state / f"{unit}.pid").write_text(str(proc.pid))


def stop(state: Path, unit: str) -> None:
    pid = pid_of(state, unit)
    if pid is None or not alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while alive(pid):  # systemctl stop also returns once the process is gone
        if time.monotonic() > deadline:
            sys.exit(f"{unit} ({pid}) did not stop")
        time.sleep(0.02)


def main(argv: list[str]) -> int:
    state, root, action, units = Path(argv[0]), Path(argv[1]), argv[2], argv[3:]
    state.mkdir(parents=True, exist_ok=True)
    for unit in units:
        if action == "start":
            start(state, root, unit)
        elif action == "stop":
            stop(state, unit)
        elif action == "is-active":
            pid = pid_of(state, unit)
            return 0 if pid is not None and alive(pid) else 3
        else:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
