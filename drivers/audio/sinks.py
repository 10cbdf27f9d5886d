"""Where audio goes: a speaker through whichever command-line player this machine has
(paplay, aplay, sox's `play`), WAV files (headless boxes, tests), or nowhere. A sink's
`play` blocks until the sound is done; `stop()`, where a sink has it, cuts the sound playing
now (the kiosk's voice guidance moves on at a key press). Stdlib only."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from drivers.audio.pcm import Audio, write_wav


@runtime_checkable
class Sink(Protocol):
    def play(self, audio: Audio) -> None:
        """Play ``audio``; return only when it has finished."""


@dataclass(frozen=True)
class Played:
    path: Path | None
    started: float       # time.monotonic()
    finished: float
    duration_s: float


class NullSink:
    """Discards audio. ``realtime=True`` sleeps for the audio's duration (simulated speaker)."""

    def __init__(self, *, realtime: bool = False) -> None:
        self.realtime = realtime
        self.history: list[Played] = []

    def play(self, audio: Audio) -> None:
        started = time.monotonic()
        if self.realtime:
            time.sleep(audio.duration_s)
        self.history.append(Played(None, started, time.monotonic(), audio.duration_s))


class WavFileSink:
    """Writes each announcement to ``{folder}/announce-0001.wav``, ``-0002``... (headless
    halls, tests, debugging). ``realtime=True`` also sleeps for the audio's duration."""

    def __init__(self, folder: str | Path, *, realtime: bool = False,
                 prefix: str = "announce") -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.realtime = realtime
        self.prefix = prefix
        self.history: list[Played] = []
        self._n = 0

    def play(self, audio: Audio) -> None:
        started = time.monotonic()
        self._n += 1
        path = write_wav(audio, self.folder / f"{self.prefix}-{self._n:04d}.wav")
        if self.realtime:
            time.sleep(max(0.0, audio.duration_s - (time.monotonic() - started)))
        self.history.append(Played(path, started, time.monotonic(), audio.duration_s))

    @property
    def paths(self) -> list[Path]:
        return [p.path for p in self.history if p.path is not None]


#: Players in order of preference, with their "quiet" flag. paplay reaches PulseAudio /
#: PipeWire (shared with the desktop); aplay goes straight to ALSA; sox's `play` to either.
PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("paplay", ()), ("aplay", ("-q",)), ("play", ("-q",)))
ASOUND_CARDS = Path("/proc/asound/cards")


def pulse_present(env: Mapping[str, str]) -> bool:
    """A PulseAudio/PipeWire server this user can reach (its socket or PULSE_SERVER)."""
    if env.get("PULSE_SERVER"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR")
    if not runtime:
        return False
    return Path(runtime, "pulse", "native").exists()


def alsa_card_present(cards: Path = ASOUND_CARDS) -> bool:
    try:
        text = cards.read_text()
    except OSError:
        return False
    return bool(text.strip()) and "no soundcards" not in text


def find_player(env: Mapping[str, str] | None = None,
                which: Callable[[str], str | None] = shutil.which,
                cards: Path = ASOUND_CARDS) -> list[str] | None:
    """The command (without the file) that plays a WAV on this machine's speaker, or None
    when there is no audio output or no player. paplay needs a sound server; aplay and
    play also work on a bare ALSA card."""
    env = os.environ if env is None else env
    pulse, alsa = pulse_present(env), alsa_card_present(cards)
    if not (pulse or alsa):
        return None
    for name, flags in PLAYERS:
        if name == "paplay" and not pulse:
            continue
        path = which(name)
        if path:
            return [path, *flags]
    return None


class PlayerSink:
    """Plays each sound with a command-line player, blocking until it ends; `stop()` from
    another thread ends the sound playing now (that `play` returns without an error)."""

    def __init__(self, command: list[str], env: Mapping[str, str] | None = None) -> None:
        self.command = list(command)
        self.env = dict(env) if env is not None else None
        self.history: list[Played] = []
        self._lock = threading.Lock()
        self._playing: subprocess.Popen[str] | None = None
        self._stopped = False

    def play(self, audio: Audio) -> None:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="mpp-play-") as tmp:
            path = write_wav(audio, Path(tmp) / "sound.wav")
            with self._lock:
                self._stopped = False
                proc = self._playing = subprocess.Popen(
                    [*self.command, str(path)], stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE, text=True, env=self.env,
                    start_new_session=True)  # its own group: stop() ends its children too
            try:
                _, err = proc.communicate(timeout=audio.duration_s + 30)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
            finally:
                with self._lock:
                    self._playing = None
                    stopped = self._stopped
        if proc.returncode != 0 and not stopped:
            name = Path(self.command[0]).name
            raise RuntimeError(f"{name} failed ({proc.returncode}): {err.strip()[:200]}")
        self.history.append(Played(None, started, time.monotonic(), audio.duration_s))

    @property
    def playing(self) -> bool:
        with self._lock:
            return self._playing is not None and self._playing.poll() is None

    def stop(self) -> None:
        with self._lock:
            if self._playing is not None and self._playing.poll() is None:
                self._stopped = True
                try:
                    os.killpg(self._playing.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass  # it has just ended by itself
