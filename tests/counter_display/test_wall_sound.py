"""The wall's sound outputs: `wav-dir:` files written at speaking pace like a speaker (and a
shutdown that does not wait for the sound to end); `--skip-behind N` skips calls arriving
while N wait (sped-up demos), over a real server and broker."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from counter_display.announcer import Call, chime, silence
from counter_display.announcer.outputs import CallWavSink
from counter_display.wall.announce import make_sink
from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer
from tests.counter_display.wall_fixtures import (  # noqa: F401  (fixtures)
    GateSink,
    wall_factory_fixture,
    zoned_site_fixture,
)

WAIT_MS = 10000




def test_wav_dir_is_paced_like_a_speaker_and_close_cuts_the_wait(tmp_path: Path):
    sink = make_sink(f"wav-dir:{tmp_path}")
    assert isinstance(sink, CallWavSink) and sink.realtime
    # a call is written at once, then "plays" for the whole sound (never less), like a
    # speaker: the wall's announcing highlight lasts that long
    sound = chime()
    sink.play_call(sound, Call("A-001", 1, extra={"at": "2026-11-30T09:00:00+08:00"}))
    assert (tmp_path / "0001_090000_A-001.wav").exists()
    paced = sink.history[0]
    assert paced.finished - paced.started >= sound.duration_s
    # WHEN the wall shuts down while a minute-long sound plays THEN play returns without
    # the rest of it (close before or during the wait: either way it ends it)
    long = silence(60_000)
    done = threading.Event()

    def play() -> None:
        sink.play_call(long, Call("A-002", 1, extra={"at": "2026-11-30T09:00:01+08:00"}))
        done.set()

    worker = threading.Thread(target=play)
    worker.start()
    sink.close()
    assert done.wait(WAIT_MS / 1000), "close() did not cut the sound short"
    worker.join()
    cut = sink.history[1]
    assert cut.finished - cut.started < long.duration_s / 2
    assert (tmp_path / "0002_090001_A-002.wav").exists()


def test_skip_behind_skips_calls_while_the_speaker_is_busy(
        qtbot, wall_factory, server: QueueServer, client_factory: Callable[..., QueueClient],
        tmp_path: Path):
    sink = GateSink(tmp_path / "sound")
    wall = wall_factory("lantai-1", sink=sink, skip_behind=1)
    announcer = wall.announcer
    assert announcer is not None
    qtbot.waitUntil(lambda: wall.bridge.online and announcer.listening, timeout=WAIT_MS)
    kiosk = client_factory("kiosk-01", "kiosk", follow_state=False)
    desk = client_factory("counter-01", "counter", follow_state=False)
    desk.request("counter.open", {"counter": "loket-01"})

    def call_next() -> str:
        kiosk.request("ticket.issue", {"service": "ktp"})
        return str(desk.request("counter.call_next", {"counter": "loket-01"})
                   ["ticket"]["number"])

    first = call_next()
    qtbot.waitUntil(sink.playing.is_set, timeout=WAIT_MS)  # events reach it via Qt's loop
    call_next()  # WHEN a call comes while one plays THEN it is skipped
    qtbot.waitUntil(lambda: announcer.dropped == 1, timeout=WAIT_MS)
    sink.gate.set()
    qtbot.waitUntil(lambda: len(announcer.played) == 1
                    and announcer.announcer.pending() == 0, timeout=WAIT_MS)
    third = call_next()  # the speaker is free again
    qtbot.waitUntil(lambda: [c.number for c in announcer.played] == [first, third],
                    timeout=WAIT_MS)
    assert [c.number for c in announcer.submitted] == [first, third]
