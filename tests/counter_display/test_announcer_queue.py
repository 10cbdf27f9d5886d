"""Announcer: order, no loss, no overlap, duplicates, recalls, clean stop."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pytest

from counter_display.announcer import (
    Announcer,
    AnnounceStyle,
    Audio,
    Call,
    EspeakVoice,
    NullSink,
    PhraseError,
    ToneVoice,
    VoiceError,
    WavFileSink,
    read_wav,
)


class SlowSink(WavFileSink):
    """WavFileSink that also holds the "speaker" for a short time, and flags overlaps."""

    def __init__(self, folder: Path, hold_s: float = 0.01) -> None:
        super().__init__(folder)
        self.hold_s = hold_s
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()

    def play(self, audio: Audio) -> None:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            super().play(audio)
            time.sleep(self.hold_s)
        finally:
            with self._lock:
                self.active -= 1


def _no_overlap(history: list) -> None:
    for a, b in itertools.pairwise(history):
        assert a.finished <= b.started


def test_burst_from_threads_in_order_no_loss_no_overlap(tmp_path: Path) -> None:
    sink = SlowSink(tmp_path / "out")
    started: list[str] = []
    finished: list[str] = []
    ann = Announcer(ToneVoice(token_ms=5, gap_ms=1), sink,
                    AnnounceStyle(chime=False, chime_gap_ms=0),
                    on_started=lambda c, at: started.append(c.number),
                    on_finished=lambda c, at: finished.append(c.number))
    ann.start()
    submitted: list[str] = []
    lock = threading.Lock()
    go = threading.Barrier(4)

    def producer(k: int) -> None:
        go.wait()
        for i in range(5):
            number = f"{'ABCD'[k]}-{i + 1:03d}"
            with lock:                       # the order of acceptance is the reference order
                assert ann.submit(Call(number, k + 1, ticket_id=number))
                submitted.append(number)

    threads = [threading.Thread(target=producer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ann.wait_idle(10)
    ann.stop()
    assert len(submitted) == 20
    assert started == submitted and finished == submitted
    assert len(sink.paths) == 20 and sink.max_active == 1
    _no_overlap(sink.history)
    assert not ann.running


def test_duplicates_ignored_recall_announced_again(tmp_path: Path) -> None:
    sink = NullSink()
    ann = Announcer(ToneVoice(token_ms=2, gap_ms=0), sink, AnnounceStyle(chime=False))
    called = {"seq": 1, "type": "ticket.called", "counter": "loket-03",
              "ticket": {"id": "t1", "number": "A-001", "recalls": 0}}
    recalled = {"seq": 2, "type": "ticket.recalled", "counter": "loket-03",
                "ticket": {"id": "t1", "number": "A-001", "recalls": 1}}
    heard: list[tuple[str, int]] = []
    ann.on_started = lambda c, at: heard.append((c.number, c.recalls))
    with ann:
        assert ann.submit(called)
        assert not ann.submit(called)            # retained + queued delivery
        assert ann.submit(recalled)
        assert not ann.submit(dict(recalled))
        transferred = {**called, "seq": 3, "counter": "loket-07"}   # same recalls, new counter
        assert ann.submit(transferred)
        with pytest.raises(PhraseError):
            ann.submit({"number": "not a number", "counter": 1})
        assert ann.wait_idle(5)
    assert heard == [("A-001", 0), ("A-001", 1), ("A-001", 0)]
    assert len(sink.history) == 3 and ann.announced == 3


def test_stop_without_drain_abandons_and_leaves_no_thread(tmp_path: Path) -> None:
    sink = NullSink(realtime=True)
    playing = threading.Event()
    ann = Announcer(ToneVoice(token_ms=20), sink, AnnounceStyle(chime=False),
                    on_started=lambda c, at: playing.set()).start()
    for i in range(10):
        ann.submit(Call(f"A-{i + 1:03d}", 1))
    assert playing.wait(5)
    abandoned = ann.stop(drain=False)
    assert 1 <= len(sink.history) < 10
    assert len(sink.history) + len(abandoned) == 10
    assert not ann.running
    assert not [t for t in threading.enumerate() if t.name.startswith("announcer-")]
    assert not ann.submit(Call("A-099", 1))      # stopped: refused, not silently queued


def test_stop_drains_by_default() -> None:
    sink = NullSink()
    ann = Announcer(ToneVoice(token_ms=2, gap_ms=0), sink, AnnounceStyle(chime=False))
    for i in range(5):
        ann.submit(Call(f"A-{i + 1:03d}", 1))   # queued before start: kept
    ann.start()
    assert ann.stop() == []
    assert len(sink.history) == 5


def test_voice_failure_still_chimes_and_worker_survives() -> None:
    sink = NullSink()
    errors: list[str] = []
    ann = Announcer(EspeakVoice(binary="espeak-ng-not-installed"), sink,
                    on_error=lambda c, exc: errors.append(getattr(exc, "code", "?")))
    with ann:
        ann.submit(Call("A-001", 1))
        ann.submit(Call("A-002", 1))
        assert ann.wait_idle(5)
    assert errors == ["voice_unavailable", "voice_unavailable"]
    assert len(sink.history) == 2
    assert all(0.5 < p.duration_s < 2.0 for p in sink.history)      # the chime alone


def test_warning_above_threshold_but_nothing_dropped(caplog) -> None:  # type: ignore[no-untyped-def]
    ann = Announcer(ToneVoice(token_ms=1, gap_ms=0), NullSink(), warn_above=3)
    for i in range(6):
        assert ann.submit(Call(f"A-{i + 1:03d}", 1))
    assert ann.pending() == 6
    assert any("above 3" in r.getMessage() for r in caplog.records)
    ann.start()
    ann.stop()
    assert ann.announced == 6


def test_real_espeak_burst_of_three(tmp_path: Path) -> None:
    sink = WavFileSink(tmp_path / "out")
    times: dict[str, list[float]] = {}
    press = time.time()
    ann = Announcer(EspeakVoice(), sink, AnnounceStyle(),
                    on_started=lambda c, at: times.setdefault(c.number, []).append(at),
                    on_finished=lambda c, at: times[c.number].append(at))
    with ann:
        for number, counter in [("A-001", 3), ("B-012", 4), ("C-123", 12)]:
            ann.submit(Call(number, counter))
        assert ann.wait_idle(30)
    assert list(times) == ["A-001", "B-012", "C-123"]
    assert times["A-001"][0] - press < 2.0           # press-to-chime (render time)
    _no_overlap(sink.history)
    assert [p.name for p in sink.paths] == [
        "announce-0001.wav", "announce-0002.wav", "announce-0003.wav"]
    for path in sink.paths:
        audio = read_wav(path)
        assert 3.0 < audio.duration_s < 12.0 and audio.rms() > 500


def test_error_code_of_voice_error() -> None:
    assert VoiceError("clip_missing", "x").code == "clip_missing"
