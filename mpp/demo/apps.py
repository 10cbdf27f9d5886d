"""The demo's app windows: where there is a display, `mpp demo` also opens the counter
display, the staff console, the kiosk and the wall display on the demo's broker. The
console's counter is then left to the person at the keyboard, not to the simulator."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from queue_server.config import SiteConfig

if TYPE_CHECKING:
    from counter_display.announcer.follow import ZoneAnnouncer
    from queue_server.protocol.credentials import Credentials

DEMO_OFFICER = ("petugas-01", "1234")  # the sample site's demo officer and PIN


@dataclass(frozen=True)
class AppSpec:
    name: str
    module: str  # must be importable for the app to be started
    argv: tuple[str, ...]  # after `python -m mpp`
    counter: str | None = None  # a counter taken away from the simulator
    device: str = ""  # the device it connects as: taken away from the simulator too


def display_present(env: Mapping[str, str]) -> bool:
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


COUNTER_DISPLAY = "display-counter"  # the counter display's default device id


def plan_apps(cfg: SiteConfig, mqtt_url: str, wall_sound: tuple[str, ...] = (),
              credentials: Callable[[str], Path | None] = lambda _device: None
              ) -> list[AppSpec]:
    """What to open, for the installed apps only (`wall_sound`: the wall's --sound). Each
    app connects as a device of the site with that device's credentials file
    (`credentials(device)`; None: anonymous): the wall as the first display, the counter
    display as the second (else as display-counter), the kiosk as the last kiosk."""
    common = ("--site-id", cfg.site.id, "--mqtt", mqtt_url)
    counter = cfg.counters[0]
    console_device = next(d.id for d in cfg.devices
                          if d.role == "counter" and counter.id in d.counters)
    kiosk = [d.id for d in cfg.devices if d.role == "kiosk"][-1]
    displays = [d.id for d in cfg.devices if d.role == "display"] or ["display-hall"]
    zone = cfg.zones[0].id if cfg.zones else ""

    def device(device_id: str) -> tuple[str, ...]:
        path = credentials(device_id)
        return ("--device", device_id, *(("--credentials", str(path)) if path else ()))

    specs = [
        AppSpec(f"counter display {counter.name}", "counter_display.counter.app",
                ("display", "counter", "--counter", counter.id,
                 *device(displays[1] if len(displays) > 1 else COUNTER_DISPLAY), *common)),
        AppSpec(f"staff console {counter.name} (officer {DEMO_OFFICER[0]}, PIN "
                f"{DEMO_OFFICER[1]})", "counter_display.console.app",
                ("console", *device(console_device), *common), counter=counter.id,
                device=console_device),
        AppSpec(f"kiosk {kiosk}", "kiosk.app",
                ("kiosk", *device(kiosk), "--orientation", "landscape", *common),
                device=kiosk),
        AppSpec(f"wall display {zone or 'hall'}", "counter_display.wall.app",
                ("display", "wall", *(("--zone", zone) if zone else ()), *wall_sound,
                 *device(displays[0]), *common)),
    ]
    installed = [s for s in specs if importlib.util.find_spec(s.module) is not None]
    # side by side on the screen, a cell of a 2x2 grid each, not stacked at one corner
    return [replace(s, argv=(*s.argv, "--tile", f"{n}/{len(installed)}"))
            for n, s in enumerate(installed, start=1)]


class AppRunner:
    """Starts the apps as child processes, their output in log files; stops them all."""

    def __init__(self, log_dir: Path, extra_args: tuple[str, ...] = ()) -> None:
        self.log_dir, self.extra_args = log_dir, extra_args
        self.procs: list[tuple[AppSpec, subprocess.Popen[bytes], Path]] = []

    def start(self, spec: AppSpec) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / (spec.module.rsplit(".", 2)[-2] + ".log")
        with log.open("wb") as out:  # the child keeps its own descriptor
            proc = subprocess.Popen([sys.executable, "-m", "mpp", *spec.argv,
                                     *self.extra_args], stdout=out, stderr=subprocess.STDOUT,
                                    env=os.environ.copy())
        self.procs.append((spec, proc, log))

    def exited(self) -> list[str]:
        """One line per app that is no longer running: name, exit code, and the line of
        its log that says why, so a window that never opened does not go unnoticed."""
        return [f"window {spec.name.split(' (')[0]} exited with code {proc.returncode}: "
                f"{why_exited(log)} (log {log})"
                for spec, proc, log in self.procs if proc.poll() is not None]

    def stop(self) -> None:
        for _spec, proc, _log in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for _spec, proc, _log in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def why_exited(log: Path) -> str:
    """The first line of an app's log that reads like the cause of its exit."""
    try:
        lines = [x.strip() for x in log.read_text(errors="replace").splitlines() if x.strip()]
    except OSError:
        return "no log"
    for line in lines:
        if any(mark in line.casefold() for mark in ("qt.qpa", "error", "cannot")):
            return line[:200]
    return lines[-1][:200] if lines else "no output"


# --------------------------------------------------------------------------- wall sound

SOUND_DIR = "sound"
PLAY_QUEUE = 2  # calls waiting in the demo before new ones are skipped


class DemoSound:
    """The wall's announcements in the demo. With an audio output they are played (paplay,
    aplay or sox's play); without one each is written to `{data}/sound/` as
    `0007_081205_A-012.wav` (order, hall time, number), at speaking pace like a speaker.
    The hall is sped up: a call arriving while two wait is skipped. The wall window does it
    when it opens; otherwise a headless ZoneAnnouncer in this process does. `notes()` feeds
    the summary: the latest file or the latest call played."""

    def __init__(self, cfg: SiteConfig, data_dir: Path, env: Mapping[str, str],
                 *, window: bool) -> None:
        from counter_display.announcer.outputs import find_player

        self.cfg = cfg
        self.folder = data_dir / SOUND_DIR
        self.player = find_player(env)
        self.window = window and importlib.util.find_spec("counter_display.wall.app") is not None
        self.zone = cfg.zones[0].id if cfg.zones else None
        self.headless: ZoneAnnouncer | None = None  # when there is no wall window
        self.voice_note = ""
        self.played = 0  # by the headless announcer, kept after stop() for summary()
        for old in self.folder.glob("*.wav") if self.folder.is_dir() else ():
            old.unlink()  # the previous demo's calls would mix with this one's

    @property
    def wall_args(self) -> tuple[str, ...]:
        """--sound for the wall window."""
        return ("--sound", "play" if self.player else f"wav-dir:{self.folder}",
                "--skip-behind", str(PLAY_QUEUE))

    @property
    def device(self) -> str:
        """The device it listens as: the site's first display (the wall's, when the wall
        window does the announcing)."""
        return next((d.id for d in self.cfg.devices if d.role == "display"), "display-hall")

    def start(self, broker_host: str, broker_port: int, protocol: str = "3.1.1", *,
              credentials: Credentials | None = None, tls: bool = False) -> None:
        """Without a wall window: follow the zone's calls here, as `self.device` with its
        `credentials` (None: anonymous). Raises LinkError."""
        if self.window:
            return
        from counter_display.announcer import EspeakVoice, Voice, VoiceError
        from counter_display.announcer.follow import ZoneAnnouncer
        from counter_display.announcer.outputs import CallWavSink, PlayerSink

        voice: Voice | None = EspeakVoice()
        try:
            EspeakVoice().check()  # espeak-ng present and knows Indonesian
        except VoiceError as err:
            voice, self.voice_note = None, f" (chime only: {err})"
        sink = PlayerSink(self.player) if self.player else CallWavSink(self.folder,
                                                                        realtime=True)
        # the sped-up hall calls faster than a voice can speak: skip, do not lag
        self.headless = ZoneAnnouncer(broker_host, broker_port, self.cfg.site.id, self.device,
                                      zone=self.zone, voice=voice, sink=sink, protocol=protocol,
                                      max_queue=PLAY_QUEUE, credentials=credentials, tls=tls)
        self.headless.start()

    def describe(self) -> str:
        where = f"played by {Path(self.player[0]).name}" if self.player else \
            f"written to {self.folder}"
        who = "the wall window" if self.window else "a headless announcer"
        return (f"announcements of zone {self.zone or 'hall'}: {who}, {where}"
                f"{self.voice_note}")

    def latest_file(self) -> Path | None:
        files = sorted(self.folder.glob("*.wav")) if self.folder.is_dir() else []
        return files[-1] if files else None

    def notes(self) -> tuple[str, ...]:
        skipped = self.headless.dropped if self.headless is not None else 0
        more = f" ({skipped} skipped: the hall is sped up)" if skipped else ""
        if self.player is None:
            latest = self.latest_file()
            return (f"sound: latest {latest}{more}",) if latest else ()
        if self.headless is not None and self.headless.submitted:
            call = self.headless.submitted[-1]
            return (f"sound: played {call.number} -> counter {call.counter}{more}",)
        return ()

    def summary(self) -> str:
        """The closing line: how many calls were written and the last file, or played."""
        if self.player is not None:
            if self.window:
                return f"sound: {self.describe()}"
            return f"sound: {self.played} calls played ({self.describe()})"
        files = sorted(self.folder.glob("*.wav")) if self.folder.is_dir() else []
        if not files:
            return f"sound: no call of zone {self.zone or 'hall'} announced yet"
        return f"sound: {len(files)} calls written, latest {files[-1]}"

    def stop(self) -> None:
        if self.headless is not None:
            self.headless.stop()
            self.played = len(self.headless.submitted)
            self.headless = None
