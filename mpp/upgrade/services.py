"""The service manager `mpp upgrade` stops, starts and asks: systemctl on a box. Any
command that takes `stop|start|is-active UNIT...` the way systemctl does will do
(--service-manager, $MPP_SERVICE_MANAGER): the tests run a real process through a tiny
script instead of systemd."""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass

# the unit a box of each role runs (systemd/), when box.toml names the role
ROLE_UNITS = {
    "server": ("mpp-server.service",),
    "kiosk": ("mpp-kiosk.service",),
    "wall": ("mpp-wall.service",),
    "counter": ("mpp-counter-display.service",),
    "console": ("mpp-console.service",),
}


class ServiceError(Exception):
    code = "service_error"


@dataclass(frozen=True)
class Services:
    command: str  # e.g. "systemctl", split like a shell would
    units: tuple[str, ...]

    def stop(self) -> None:
        self._run("stop")

    def start(self) -> None:
        self._run("start")

    def inactive(self) -> list[str]:
        """The units that are not running."""
        return [u for u in self.units if self._call("is-active", u).returncode != 0]

    def _run(self, action: str) -> None:
        done = self._call(action, *self.units)
        if done.returncode != 0:
            raise ServiceError(f"{self.command} {action} {' '.join(self.units)} failed "
                               f"(exit {done.returncode}): {done.stderr.strip()}")

    def _call(self, *args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run([*shlex.split(self.command), *args], capture_output=True,
                                  text=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise ServiceError(f"cannot run {self.command} {args[0]}: {err}") from None
