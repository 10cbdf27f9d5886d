"""`mpp server` as a process of its own (to kill or freeze), on the shipped site without
its per-kiosk rate limit (as tests/server/test_crash.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.server_load import unlimited_site
from mpp.broker import BrokerHandle
from tests.support.hall import broker_args

ROOT = Path(__file__).resolve().parents[2]


def start_server(broker: BrokerHandle, db: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    site = unlimited_site(log.parent)
    with log.open("ab") as err:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "mpp", "--log-level", "WARNING", "server",
             *broker_args(broker), "--db", f"sqlite:///{db}",
             "--start-at", "2026-11-30T09:00", "--no-zeroconf", "--site", str(site)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
