"""Announcements for the wall: ticket events of the zone's counters -> the Announcer.

Only events announce (ticket.called / ticket.recalled); retained state never does, so a
wall that boots or reconnects shows the current calls without re-announcing them. The
events come through the wall's one MQTT client, its StateBridge (made with events=True),
on the Qt thread: the slot filters by zone (the config is there) and submits to the
Announcer, whose worker plays chime + voice through a blocking Sink, one at a time, in
order, none dropped.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from counter_display.announcer import (
    Announcer,
    AnnounceStyle,
    Audio,
    Call,
    NullSink,
    PhraseError,
    Sink,
    Voice,
    write_wav,
)
from counter_display.announcer.outputs import CallWavSink, PlayerSink, find_player
from counter_display.announcer.zones import zone_call
from counter_display.wall.model import WallModel, call_row
from qtkit.bridge import StateBridge

log = logging.getLogger("mpp.display.wall.announce")

class AplaySink:
    """Plays through ALSA's `aplay` (blocking until the sound is done)."""

    def __init__(self, binary: str = "aplay", device: str | None = None) -> None:
        self.binary = binary
        self.device = device
        self.history: list[Any] = []

    def play(self, audio: Audio) -> None:
        with tempfile.TemporaryDirectory(prefix="mpp-wall-") as tmp:
            path = write_wav(audio, Path(tmp) / "call.wav")
            cmd = [self.binary, "-q", *(["-D", self.device] if self.device else []), str(path)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                                  timeout=audio.duration_s + 30)
            if proc.returncode != 0:
                raise RuntimeError(f"aplay failed: {proc.stderr.strip()[:200]}")


def default_sound() -> str:
    """The speaker when this machine has an audio output and a player, else nothing."""
    return "play" if find_player() is not None else "none"


def make_sink(spec: str) -> Sink | None:
    """`none` (no announcements), `wav-dir:PATH` (one WAV per call, named by order, time
    and number), `play` (the speaker through paplay, aplay or sox's play, whichever this
    machine has), `aplay`, `null` (silent, for benches)."""
    if spec == "none":
        return None
    if spec == "play":
        player = find_player()
        if player is None:
            raise ValueError("--sound play: no audio output or no player (paplay, aplay, "
                             "play) on this machine; use wav-dir:PATH")
        return PlayerSink(player)
    if spec == "aplay":
        binary = shutil.which("aplay")
        if binary is None:
            raise ValueError("--sound aplay: aplay is not installed (apt-get install alsa-utils)")
        return AplaySink(binary)
    if spec.startswith("wav-dir:") and len(spec) > len("wav-dir:"):
        return CallWavSink(spec[len("wav-dir:"):], realtime=True)  # paced like a speaker
    if spec == "null":
        return NullSink()
    raise ValueError(f"--sound must be none, wav-dir:PATH, play or aplay, not {spec!r}")


class WallAnnouncer(QObject):
    """Follows the events of the wall's bridge and announces the zone's calls."""

    _started = Signal(object)    # (call, at) from the announcer's worker
    _finished = Signal(object)
    announced = Signal(object)   # the call row (QML-ready dict), on the Qt thread

    def __init__(self, bridge: StateBridge, model: WallModel, voice: Voice | None, sink: Sink,
                 style: AnnounceStyle | None = None, *,
                 max_queue: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        # None: every call is announced (a hall). A number: a call arriving while that many
        # wait is skipped (a sped-up demo would otherwise fall ever further behind)
        self.max_queue = max_queue
        self.dropped = 0
        self.submitted: list[Call] = []   # in submit order (tests, benchmarks)
        self.played: list[Call] = []      # in the order the sink started them
        self.last_seq: int | None = None
        self.gaps = 0
        self.announcer = Announcer(voice, sink, style, zone=model.zone or "hall",
                                   on_started=self._hook_started,
                                   on_finished=self._hook_finished,
                                   on_error=self._hook_error)
        self._bridge = bridge
        self._started.connect(self._on_started, Qt.ConnectionType.QueuedConnection)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def sink(self) -> Sink:
        return self.announcer.sink

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Announce from now on (before the bridge starts: no early event is missed)."""
        self.announcer.start()
        self._bridge.eventReceived.connect(self._on_event)

    def stop(self) -> None:
        """Stop listening, then let the announcer finish what it has (never cut a call)."""
        try:
            self._bridge.eventReceived.disconnect(self._on_event)
        except (RuntimeError, TypeError):
            pass  # never started
        close = getattr(self.sink, "close", None)
        if callable(close):
            close()  # a simulated speaker stops waiting
        self.announcer.stop(drain=False, timeout=60)

    @property
    def listening(self) -> bool:
        """The bridge's client is connected (its events come here)."""
        return self._bridge.client.link.connected.is_set()

    # -- events (Qt thread) -------------------------------------------------------------

    @Slot(object)
    def _on_event(self, event: Any) -> None:
        if not isinstance(event, dict):
            return
        seq = event.get("seq")
        if isinstance(seq, int):
            if self.last_seq is not None and seq > self.last_seq + 1:
                self.gaps += 1  # missed events: the retained state is the truth, shown as is
                log.warning("event gap: seq %d after %d", seq, self.last_seq)
            self.last_seq = seq if self.last_seq is None else max(seq, self.last_seq)
        try:
            call = zone_call(event, self.model.config(), self.model.zone)
        except PhraseError as err:
            log.warning("event not announced: %s", err)
            return
        if call is None:
            return
        if self.max_queue is not None and self.announcer.pending() >= self.max_queue:
            self.dropped += 1
            return
        try:
            if self.announcer.submit(call):
                self.submitted.append(call)
        except PhraseError as err:
            log.warning("call %s not announced: %s", call.number, err)

    # -- announcer hooks ----------------------------------------------------------------

    def _hook_started(self, call: Call, at: float) -> None:
        self.played.append(call)  # list.append is atomic; read by tests on the Qt thread
        self._started.emit((call, at))

    def _hook_finished(self, call: Call, at: float) -> None:
        self._finished.emit((call, at))

    def _hook_error(self, call: Call, _exc: BaseException) -> None:
        self._finished.emit((call, 0.0))  # a failed sink must not leave the panel lit

    def _row(self, call: Call) -> dict[str, Any]:
        counter = str(call.extra.get("counter_id") or "")
        return call_row({"number": call.number, "counter": counter,
                         "counter_number": call.counter, "recall_count": call.recalls,
                         "ticket": call.ticket_id or ""}, {})

    @Slot(object)
    def _on_started(self, payload: tuple[Call, float]) -> None:
        row = self._row(payload[0])
        self.model.set_announcing(row)
        self.announced.emit(row)

    @Slot(object)
    def _on_finished(self, _payload: tuple[Call, float]) -> None:
        # nothing else submitted (all started, this one over): back to the newest call
        if len(self.played) >= len(self.submitted):
            self.model.set_announcing(None)
