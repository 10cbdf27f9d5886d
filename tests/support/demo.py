"""`mpp demo` as a child process for the end-to-end tests: its output is read as it comes,
and a test waits for what its assertion needs (a ticket issued, a call made, an app
connected), then stops the demo with Ctrl-C, as a person would. Never a fixed duration:
a fast machine would stop before the hall opens and a slow one before the first call."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 90.0  # a hall's first call on a busy 2-core machine, Qt apps included

PROGRESS = re.compile(r"^\[\d\d:\d\d\] issued (\d+) served (\d+) waiting (\d+) "
                      r"open counters \d+/\d+ last call (\S+)", re.MULTILINE)


class Demo:
    """Started on enter, stopped (Ctrl-C) on exit unless stop() was called."""

    def __init__(self, *args: str, cwd: Path = ROOT,
                 env_extra: dict[str, str] | None = None,
                 env_drop: tuple[str, ...] = ()) -> None:
        env = {k: v for k, v in os.environ.items() if k not in env_drop}
        env = {**env, "PYTHONPATH": str(ROOT), **(env_extra or {})}
        self.cmd = [sys.executable, "-m", "mpp", "demo", "--plain", *args]
        self.cwd, self.env = cwd, env
        self.out: list[str] = []
        self.err: list[str] = []
        self.changed = threading.Condition()
        self.proc: subprocess.Popen[str] | None = None
        self.returncode: int | None = None
        self._readers: list[threading.Thread] = []

    def __enter__(self) -> Demo:
        self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            reader = threading.Thread(target=self._read, args=(stream, lines), daemon=True)
            reader.start()
            self._readers.append(reader)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _read(self, stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            with self.changed:
                lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()  # end of output: the waiters look once more

    @property
    def stdout(self) -> str:
        with self.changed:
            return "".join(self.out)

    @property
    def stderr(self) -> str:
        with self.changed:
            return "".join(self.err)

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_output(self, pattern: str | Callable[[str], bool],
                    timeout: float = WAIT_S) -> bool:
        """Until stdout matches `pattern` (a regex, or a test of the whole output); False
        when the demo ended or `timeout` passed first."""
        test = pattern if callable(pattern) else (
            lambda text: re.search(pattern, text, re.MULTILINE) is not None)
        deadline = time.monotonic() + timeout
        with self.changed:
            while not test("".join(self.out)):
                left = deadline - time.monotonic()
                if left <= 0 or not any(r.is_alive() for r in self._readers):
                    return test("".join(self.out))
                self.changed.wait(left)
        return True

    def wait_until(self, condition: Callable[[], bool], timeout: float = WAIT_S) -> bool:
        """Until `condition()` (a file, a database: polled, there is no event to wait on)."""
        deadline = time.monotonic() + timeout
        while not condition():
            if not self.running() or time.monotonic() > deadline:
                return condition()
            with self.changed:
                self.changed.wait(0.2)
        return True

    def stop(self) -> int:
        """Ctrl-C, then wait for the clean stop; the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.returncode = self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.returncode = self.proc.wait(10)
        for reader in self._readers:
            reader.join(10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return self.returncode

    def progress(self) -> list[tuple[int, int, int, str]]:
        """(issued, served, waiting, last call) of each summary line so far."""
        return [(int(a), int(b), int(c), d) for a, b, c, d in PROGRESS.findall(self.stdout)]


def hall_has_called(text: str) -> bool:
    """A summary line shows tickets issued and a call made."""
    return any(int(issued) > 0 and last != "none"
               for issued, _s, _w, last in PROGRESS.findall(text))


def final_numbers(out: str) -> dict[str, int]:
    line = next(x for x in out.splitlines() if x.startswith("final summary"))
    return {k: int(v) for k, v in re.findall(r"(issued|served|waiting) (\d+)", line)}
