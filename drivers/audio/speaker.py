"""Speaker: phrases spoken one after another on a thread of their own, never blocking the
caller; a new prompt cuts the old one (a talking cash machine's manners: a key press moves
on at once). Used by the kiosk's voice guidance; stdlib only."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from drivers.audio.espeak import VoiceError
from drivers.audio.pcm import Audio
from drivers.audio.sinks import Sink

log = logging.getLogger(__name__)


class TextVoice(Protocol):
    def render_text(self, text: str, lang: str) -> Audio: ...


@dataclass(frozen=True)
class Phrase:
    text: str
    lang: str  # the voice's language: "id" or "en"


@dataclass(frozen=True)
class Spoken:
    phrase: Phrase
    duration_s: float
    path: Path | None  # the WAV file, for a sink that writes them


class Speaker:
    """`say(phrases)` returns at once; the worker renders each phrase and plays it.
    `interrupt=True` (the default) drops what was still to be said and stops the sound
    playing now. `spoken` lists what was played, in order. A voice that fails is reported
    to `on_error` and the next phrase is tried: the screen never depends on speech."""

    def __init__(self, voice: TextVoice, sink: Sink, *, name: str = "speaker",
                 on_error: Callable[[Phrase, BaseException], None] | None = None) -> None:
        self.voice, self.sink, self.name, self.on_error = voice, sink, name, on_error
        self._cond = threading.Condition()
        self._queue: deque[tuple[int, Phrase]] = deque()
        self._prompt = 0  # counts interruptions: a phrase of an older prompt is not played
        self._spoken: list[Spoken] = []
        self._busy = self._closing = False
        self._thread: threading.Thread | None = None
        self.errors = 0

    def start(self) -> Speaker:
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"{self.name}-speech")
                self._thread.start()
        return self

    def close(self, timeout: float = 10.0) -> None:
        """Stop at once (what was to be said is dropped); the thread has ended on return."""
        with self._cond:
            self._closing = True
            self._queue.clear()
            self._cond.notify_all()
            thread = self._thread
        self._cut()
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError(f"{self.name}-speech did not stop within {timeout} s")

    def say(self, phrases: Sequence[Phrase], *, interrupt: bool = True) -> None:
        with self._cond:
            if self._closing:
                return
            if interrupt:
                self._queue.clear()
                self._prompt += 1
            self._queue.extend((self._prompt, p) for p in phrases if p.text.strip())
            self._cond.notify_all()
        if interrupt:
            self._cut()

    def silence(self) -> None:
        self.say([], interrupt=True)

    @property
    def spoken(self) -> list[Spoken]:
        with self._cond:
            return list(self._spoken)

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is queued or playing (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def _cut(self) -> None:
        stop = getattr(self.sink, "stop", None)
        if callable(stop):
            stop()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closing:
                    self._cond.wait()
                if self._closing:
                    return
                prompt, phrase = self._queue.popleft()
                self._busy = True
            try:
                self._speak(prompt, phrase)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _speak(self, prompt: int, phrase: Phrase) -> None:
        try:
            audio = self.voice.render_text(phrase.text, phrase.lang)
            with self._cond:
                if prompt != self._prompt or self._closing:
                    return  # interrupted while it was rendered
            self.sink.play(audio)
        except (VoiceError, RuntimeError, OSError) as err:
            self.errors += 1
            log.warning("%s: %r not spoken: %s", self.name, phrase.text[:60], err)
            if self.on_error is not None:
                self.on_error(phrase, err)
            return
        paths = getattr(self.sink, "paths", None)
        path = paths[-1] if isinstance(paths, list) and paths else None
        with self._cond:
            self._spoken.append(Spoken(phrase, audio.duration_s, path))
