"""Where announcements go on a real machine: a speaker through whichever command-line player
exists (paplay, aplay, sox's `play`), or, with no audio device, one WAV file per call named
by order, time and number. Stdlib only."""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

from drivers.audio import Audio, Played, write_wav
from drivers.audio.sinks import (  # the players live in drivers.audio; named here too
    ASOUND_CARDS,
    PLAYERS,
    PlayerSink,
    alsa_card_present,
    find_player,
    pulse_present,
)

from .phrases import Call

__all__ = ["ASOUND_CARDS", "PLAYERS", "CallWavSink", "PlayerSink", "alsa_card_present",
           "call_file_name", "find_player", "pulse_present"]

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def call_file_name(n: int, call: Call, at: str | None = None) -> str:
    """`0007_081205_A-012.wav` (7th announcement, called at 08:12:05), a recall
    `0008_081300_A-012_recall1.wav`. The running number first: names sort in call order."""
    hhmmss = at[11:19].replace(":", "") if at and len(at) >= 19 else time.strftime("%H%M%S")
    name = f"{n:04d}_{hhmmss}_{_UNSAFE.sub('', call.number) or 'call'}"
    if call.recalls:
        name += f"_recall{call.recalls}"
    return name + ".wav"


class CallWavSink:
    """One WAV per announcement in `folder`, named by `call_file_name` (the event's `at`
    from `call.extra`, the server's clock). Keeps the newest `keep` files of its own (a long
    demo would otherwise fill the disk). `latest` is the last file written.

    realtime=True: after writing, `play` lasts as long as the sound, like a speaker (the
    wall's "announcing" highlight, a queue that builds up as it would aloud); `close()`
    ends that wait at once (shutting down)."""

    def __init__(self, folder: str | Path, *, keep: int = 200, realtime: bool = False) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.realtime = realtime
        self._closed = threading.Event()
        self.history: list[Played] = []
        self._lock = threading.Lock()
        self._n = 0
        self.latest: Path | None = None

    @property
    def paths(self) -> list[Path]:
        return [p.path for p in self.history if p.path is not None]

    @property
    def count(self) -> int:
        return self._n

    def play(self, audio: Audio) -> None:
        self.play_call(audio, None)

    def play_call(self, audio: Audio, call: Call | None) -> None:
        started = time.monotonic()
        with self._lock:
            self._n += 1
            n = self._n
        if call is None:
            name = f"{n:04d}_{time.strftime('%H%M%S')}_call.wav"
        else:
            at = call.extra.get("at")
            name = call_file_name(n, call, at if isinstance(at, str) else None)
        path = write_wav(audio, self.folder / name)
        self.latest = path
        if self.realtime:  # a simulated speaker, not synchronisation
            self._closed.wait(max(0.0, audio.duration_s - (time.monotonic() - started)))
        self.history.append(Played(path, started, time.monotonic(), audio.duration_s))
        self._prune()

    def close(self) -> None:
        self._closed.set()

    def _prune(self) -> None:
        if len(self.history) <= self.keep:
            return
        old, self.history = self.history[:-self.keep], self.history[-self.keep:]
        for played in old:
            if played.path is not None:
                played.path.unlink(missing_ok=True)
