"""What the server unit's hardening takes away, the server does without: it serves with
writable+executable memory refused (MemoryDenyWriteExecute=yes), here by the kernel's
own switch (prctl PR_SET_MDWE, Linux 6.3+), which the process keeps across exec."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mpp.broker import free_port
from tests.support.hall import broker_args
from tests.support.notify import NotifyListener

ROOT = Path(__file__).resolve().parents[2]
PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
# sets the switch, proves it holds (a W+X mapping is refused), then becomes `mpp server`
UNDER_MDWE = f"""
import ctypes, mmap, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl({PR_SET_MDWE}, {PR_MDWE_REFUSE_EXEC_GAIN}, 0, 0, 0) != 0:
    sys.exit("this kernel has no PR_SET_MDWE (Linux 6.3+): errno %d" % ctypes.get_errno())
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    sys.exit("a writable+executable mapping was allowed")
except OSError:
    pass
os.execv(sys.executable, [sys.executable, "-m", "mpp", *sys.argv[1:]])
"""


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)


def _wait_line(lines: queue.Queue[str], words: tuple[str, ...], timeout: float,
               seen: list[str]) -> str:
    while True:
        line = lines.get(timeout=timeout)
        seen.append(line)
        if any(w in line for w in words):
            return line


@pytest.mark.mdns  # `mpp server` advertises itself on every interface, loopback too
def test_the_server_serves_without_writable_code(fresh_mosquitto, tmp_path):
    broker = fresh_mosquitto()
    seen: list[str] = []
    with NotifyListener(on_disk=True) as systemd:
        # GIVEN `mpp server` as its unit runs it (zeroconf, the dashboard), W^X enforced
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NOTIFY_SOCKET": systemd.address,
               "WATCHDOG_USEC": "3000000", "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.Popen(
            [sys.executable, "-c", UNDER_MDWE, "server", *broker_args(broker),
             "--db", f"sqlite:///{tmp_path / 'x.db'}", "--http-port", str(free_port())],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True)
        reader.start()
        try:
            # THEN it serves, advertises itself and keeps pinging
            ready = systemd.wait_for("READY", 30)
            assert ready["STATUS"].startswith("serving site"), seen
            line = _wait_line(lines, ("on zeroconf", "zeroconf advertisement unavailable"),
                              20, seen)
            assert "advertised" in line, seen
            systemd.wait_for("WATCHDOG", 3)
        finally:
            proc.terminate()
            proc.wait(20)
            reader.join(10)  # the pipe's end: the child is gone
            assert proc.stderr is not None
            proc.stderr.close()
    while not lines.empty():
        seen.append(lines.get())
    assert proc.returncode == 0, "".join(seen)
