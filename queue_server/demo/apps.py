"""The demo's app windows: where there is a display, `mpp demo` also opens the counter
display, the staff console, the kiosk and the wall display on the demo's broker. The
console's counter is then left to the person at the keyboard, not to the simulator."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from queue_server.config import SiteConfig

DEMO_OFFICER = ("petugas-01", "1234")  # the sample site's demo officer and PIN


@dataclass(frozen=True)
class AppSpec:
    name: str
    module: str  # must be importable for the app to be started
    argv: tuple[str, ...]  # after `python -m queue_server`
    counter: str | None = None  # a counter taken away from the simulator


def display_present(env: Mapping[str, str]) -> bool:
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def plan_apps(cfg: SiteConfig, mqtt_url: str) -> list[AppSpec]:
    """What to open, for the installed apps only."""
    common = ("--site-id", cfg.site.id, "--mqtt", mqtt_url)
    counter = cfg.counters[0]
    console_device = next(d.id for d in cfg.devices
                          if d.role == "counter" and counter.id in d.counters)
    kiosk = [d.id for d in cfg.devices if d.role == "kiosk"][-1]
    zone = cfg.zones[0].id if cfg.zones else ""
    specs = [
        AppSpec(f"counter display {counter.name}", "counter_display.counter.app",
                ("display", "counter", "--counter", counter.id, *common)),
        AppSpec(f"staff console {counter.name} (officer {DEMO_OFFICER[0]}, PIN "
                f"{DEMO_OFFICER[1]})", "counter_display.console.app",
                ("console", "--device", console_device, *common), counter=counter.id),
        AppSpec(f"kiosk {kiosk}", "kiosk.app", ("kiosk", "--device", kiosk, *common)),
        AppSpec(f"wall display {zone or 'hall'}", "counter_display.wall.app",
                ("display", "wall", *(("--zone", zone) if zone else ()), *common)),
    ]
    return [s for s in specs if importlib.util.find_spec(s.module) is not None]


class AppRunner:
    """Starts the apps as child processes, their output in log files; stops them all."""

    def __init__(self, log_dir: Path, extra_args: tuple[str, ...] = ()) -> None:
        self.log_dir, self.extra_args = log_dir, extra_args
        self.procs: list[tuple[AppSpec, subprocess.Popen[bytes]]] = []

    def start(self, spec: AppSpec) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / (spec.module.rsplit(".", 2)[-2] + ".log")
        with log.open("wb") as out:  # the child keeps its own descriptor
            proc = subprocess.Popen([sys.executable, "-m", "queue_server", *spec.argv,
                                     *self.extra_args], stdout=out, stderr=subprocess.STDOUT,
                                    env=os.environ.copy())
        self.procs.append((spec, proc))

    def exited(self) -> list[tuple[AppSpec, int]]:
        return [(s, p.returncode) for s, p in self.procs if p.poll() is not None]

    def stop(self) -> None:
        for _spec, proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for _spec, proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
