"""Announcements without a screen: the headless zone announcer over a real server and broker
writes one WAV per call of its zone (order, server time, number in the name; real espeak-ng
speech, non-silent, of a call's length); `mpp demo` without a display or audio output does
the same in its data folder and its log names the latest file; the speaker path plays
through a real command-line player (sox's `play` on ALSA's null device)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter_display.announcer import Call, EspeakVoice, chime, read_wav
from counter_display.announcer.follow import ZoneAnnouncer
from counter_display.announcer.outputs import (
    CallWavSink,
    PlayerSink,
    call_file_name,
    find_player,
)
from counter_display.announcer.zones import zone_call
from counter_display.wall.announce import make_sink
from mpp.broker import BrokerHandle
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer
from tests.counter_display.wall_fixtures import (  # noqa: F401  (fixtures)
    GateSink,
    zoned_site_fixture,
)
from tests.support.demo import Demo

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^(\d{4})_(\d{6})_([A-Z]{1,3}-\d{3})(?:_recall(\d+))?\.wav$")


@pytest.fixture
def follower(mosquitto: BrokerHandle, site: SiteConfig, server: QueueServer, tmp_path: Path
             ) -> Iterator[Callable[[str | None], ZoneAnnouncer]]:
    made: list[ZoneAnnouncer] = []

    def make(zone: str | None) -> ZoneAnnouncer:
        sink = CallWavSink(tmp_path / f"sound-{len(made)}")
        z = ZoneAnnouncer(mosquitto.host, mosquitto.port, site.site.id, "display-01",
                          zone=zone, voice=EspeakVoice(), sink=sink,
                          credentials=mosquitto.credentials("display-01"), tls=mosquitto.tls)
        made.append(z.start())
        return z

    yield make
    for z in made:
        z.stop()


def call_next(counter: QueueClient, kiosk: QueueClient, n: int, service: str) -> str:
    kiosk.request("ticket.issue", {"service": service})
    return str(counter.request("counter.call_next", {"counter": f"loket-0{n}"})
               ["ticket"]["number"])


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_headless_announcer_writes_each_zone_call_to_a_wav_in_call_order(
        follower, client_factory, clock: ManualClock, server: QueueServer):
    zone = follower("lantai-1")
    assert zone.client.wait_state(lambda s: isinstance(s.get("config"), dict), timeout=10)
    kiosk = client_factory("kiosk-01", "kiosk", follow_state=False)
    desks = {n: client_factory(f"counter-0{n}", "counter", follow_state=False) for n in (1, 2, 4)}
    for n, desk in desks.items():
        desk.request("counter.open", {"counter": f"loket-0{n}"})
    expected: list[tuple[str, int]] = []
    expected.append((call_next(desks[1], kiosk, 1, "ktp"), 0))
    clock.advance(65)
    call_next(desks[4], kiosk, 4, "pbb")  # lantai-2: not this zone's
    expected.append((call_next(desks[2], kiosk, 2, "kk"), 0))
    clock.advance(65)
    desks[1].request("counter.recall", {"counter": "loket-01"})
    expected.append((expected[0][0], 1))
    sink = zone.sink
    assert isinstance(sink, CallWavSink)
    assert zone.wait_finished(3, timeout=30)
    assert zone.announcer.wait_idle(10) and sink.count == 3
    assert zone.announcer.errors == 0 and zone.skipped == 0
    files = sorted(p.name for p in sink.folder.glob("*.wav"))
    assert len(files) == 3, files
    parsed = [NAME.match(f) for f in files]
    assert all(parsed), files
    assert [(m.group(3), int(m.group(4) or 0)) for m in parsed] == expected  # type: ignore[union-attr]
    times = [m.group(2) for m in parsed]  # type: ignore[union-attr]
    assert times == sorted(times) and len(set(times)) == 3  # the server's clock, advancing
    assert times[0] == "090000"  # the test clock starts at 09:00:00
    for path in sink.paths:
        audio = read_wav(path)
        assert 4.0 < audio.duration_s < 15.0  # chime 1.2 s + one Indonesian sentence
        assert audio.rms() > 500
        # speech after the chime, not silence
        voice = audio.samples[int(2.0 * audio.rate):]
        assert max(abs(s) for s in voice) > 3000




def test_a_demo_played_aloud_skips_calls_rather_than_fall_behind(
        mosquitto: BrokerHandle, site: SiteConfig, server: QueueServer, client_factory,
        tmp_path: Path):
    sink = GateSink(tmp_path / "sound")
    zone = ZoneAnnouncer(mosquitto.host, mosquitto.port, site.site.id, "display-01",
                         zone="lantai-1", voice=None, sink=sink, max_queue=1,
                         credentials=mosquitto.credentials("display-01"),
                         tls=mosquitto.tls).start()
    try:
        assert zone.client.wait_state(lambda s: isinstance(s.get("config"), dict), timeout=10)
        kiosk = client_factory("kiosk-01", "kiosk", follow_state=False)
        desk = client_factory("counter-01", "counter", follow_state=False)
        desk.request("counter.open", {"counter": "loket-01"})
        first = call_next(desk, kiosk, 1, "ktp")
        assert sink.playing.wait(10)           # the first one is on the speaker
        call_next(desk, kiosk, 1, "ktp")       # WHEN another comes meanwhile
        assert zone.wait(lambda: zone.dropped == 1, timeout=10)  # THEN it is skipped
        sink.gate.set()
        assert zone.wait_finished(1, timeout=10)
        third = call_next(desk, kiosk, 1, "ktp")  # the speaker is free again
        assert zone.wait_finished(2, timeout=10)
        assert [c.number for c in zone.submitted] == [first, third]
    finally:
        sink.gate.set()
        zone.stop()


def test_a_zone_call_is_built_only_for_the_zones_counters(site: SiteConfig):
    config = {"counters": [{"id": c.id, "number": c.number, "name": c.name}
                           for c in site.counters],
              "zones": [{"id": "lantai-2", "counters": ["loket-04", "loket-05"]}]}
    event = {"seq": 7, "type": "ticket.called", "counter": "loket-04", "at":
             "2026-11-30T09:12:05+08:00", "ticket": {"id": "t1", "number": "F-001"}}
    call = zone_call(event, config, "lantai-2")
    assert call is not None and (call.number, call.counter, call.recalls) == ("F-001", 4, 0)
    assert call.extra["at"] == event["at"]
    assert zone_call(event, config, "basement") is not None  # unknown zone: the whole hall
    assert zone_call({**event, "counter": "loket-01"}, config, "lantai-2") is None
    assert zone_call({**event, "type": "ticket.completed"}, config, "lantai-2") is None
    assert call_file_name(7, call, event["at"]) == "0007_091205_F-001.wav"
    recall = Call("AB-012", 3, recalls=2)
    assert call_file_name(12, recall, "2026-11-30T14:00:59+08:00") == \
        "0012_140059_AB-012_recall2.wav"


def test_the_call_sink_keeps_only_the_newest_files(tmp_path: Path):
    sink = CallWavSink(tmp_path, keep=3)
    for n in range(5):
        sink.play_call(chime(), Call(f"A-00{n + 1}", 1, extra={"at": f"2026-11-30T09:0{n}:00"}))
    assert sorted(p.name for p in tmp_path.glob("*.wav")) == [
        "0003_090200_A-003.wav", "0004_090300_A-004.wav", "0005_090400_A-005.wav"]
    assert sink.latest == tmp_path / "0005_090400_A-005.wav"


def test_the_player_is_chosen_by_what_this_machine_has(tmp_path: Path):
    cards = tmp_path / "cards"
    cards.write_text("--- no soundcards ---\n")
    runtime = tmp_path / "run"
    (runtime / "pulse").mkdir(parents=True)
    everything = {"paplay": "/usr/bin/paplay", "aplay": "/usr/bin/aplay",
                  "play": "/usr/bin/play"}.get
    # no card, no sound server: nothing plays (the demo writes files instead)
    assert find_player({}, everything, cards) is None
    assert find_player({"XDG_RUNTIME_DIR": str(runtime)}, everything, cards) is None
    # a sound server: paplay first
    (runtime / "pulse" / "native").write_text("")
    assert find_player({"XDG_RUNTIME_DIR": str(runtime)}, everything, cards) == \
        ["/usr/bin/paplay"]
    # a bare ALSA card: aplay, else sox's play
    cards.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert find_player({}, everything, cards) == ["/usr/bin/aplay", "-q"]
    only_sox = {"play": "/usr/bin/play"}.get
    assert find_player({}, only_sox, cards) == ["/usr/bin/play", "-q"]
    assert find_player({}, {}.get, cards) is None


@pytest.mark.skipif(shutil.which("play") is None, reason="sox not installed")
def test_the_player_sink_plays_through_sox_and_reports_a_failing_device():
    play = str(shutil.which("play"))
    sink = PlayerSink([play, "-q"], env={**os.environ, "AUDIODEV": "null"})
    sink.play(chime())
    assert len(sink.history) == 1 and sink.history[0].duration_s > 1.0
    broken = PlayerSink([play, "-q"], env={**os.environ, "AUDIODEV": "no-such-device"})
    with pytest.raises(RuntimeError, match="play failed"):
        broken.play(chime())
    with pytest.raises(ValueError, match="wav-dir"):
        make_sink("speaker")


def demo_env(tmp_path: Path) -> dict[str, str]:
    """No display, no sound server, no card visible to the player: the headless case."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PULSE_SERVER")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path / "no-runtime")
    env["PYTHONPATH"] = str(ROOT)
    return env


def _written(out: str) -> int:
    """The most calls the demo's lines say it has written as sound files: the 5 s lines
    name the latest file, whose name starts with its order."""
    return max((int(n) for n in re.findall(r"sound: latest \S*/(\d{4})_", out)), default=0)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
@pytest.mark.skipif(Path("/proc/asound/cards").exists(), reason="this machine has a card")
@pytest.mark.parametrize("where", ["headless", "window"])
def test_the_demo_without_audio_writes_the_walls_calls_to_files(tmp_path: Path, where: str):
    """No display: a headless announcer in the demo; a display (offscreen standing for it):
    the wall window. Either way, no audio output: files in the demo's data folder."""
    data = tmp_path / "demo"
    stale = data / "sound" / "0001_070000_Z-999.wav"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    env = demo_env(tmp_path)
    apps = "auto"
    if where == "window":  # four Qt apps start on two cores: the wall comes up later
        env["QT_QPA_PLATFORM"] = "offscreen"
        apps = "on"
    need = 2 if where == "headless" else 1
    # until the demo's own lines say the calls are written (not for a fixed time)
    with Demo("--speed", "300", "--apps", apps, "--data-dir", str(data), env_extra=env) as demo:
        heard = demo.wait_output(lambda text: _written(text) >= need, timeout=75)
        returncode = demo.stop()
    out = demo.stdout
    assert heard and returncode == 0, out + demo.stderr
    who = "a headless announcer" if where == "headless" else "the wall window"
    assert f"{who}, written to {data / 'sound'}" in out
    assert not stale.exists()  # the previous demo's calls are gone
    files = sorted((data / "sound").glob("*.wav"))
    # at speaking pace (7 s a call, like a speaker) and the first call ~2 s in
    assert len(files) >= (2 if where == "headless" else 1), out
    matches = [NAME.match(f.name) for f in files]
    assert all(matches), [f.name for f in files]
    orders = [int(m.group(1)) for m in matches]  # type: ignore[union-attr]
    assert orders == list(range(1, len(files) + 1))
    times = [m.group(2) for m in matches]  # type: ignore[union-attr]
    assert times == sorted(times)  # hall time: call order is time order
    mtimes = [f.stat().st_mtime_ns for f in files]
    assert mtimes == sorted(mtimes)
    for f in files[:3]:  # espeak-ng's voice after the chime
        audio = read_wav(f)
        assert 4.0 < audio.duration_s < 15.0 and audio.rms() > 500
    # the closing lines name the last file; the 5 s lines too once there is one (the
    # headless announcer's first call comes ~2 s in; the window needs Qt to start first)
    closing = re.search(r"^mpp demo: sound: (\d+) calls written, latest (\S+\.wav)$", out,
                        re.MULTILINE)
    assert closing, out
    assert int(closing.group(1)) == len(files) and Path(closing.group(2)) == files[-1]
    if where == "headless":
        mentioned = re.findall(r"\| sound: latest (\S+\.wav)", out)
        assert mentioned, out
        assert Path(mentioned[-1]) in files  # a real file, from this run
    assert "Traceback" not in demo.stderr, demo.stderr


@pytest.mark.skipif(shutil.which("play") is None, reason="sox not installed")
@pytest.mark.skipif(shutil.which("paplay") is not None or shutil.which("aplay") is not None,
                    reason="the test drives sox's play; another player would come first")
def test_the_demo_with_an_audio_output_plays_the_calls(tmp_path: Path):
    # a sound server is announced (PULSE_SERVER) and ALSA's null device stands for the
    # speaker (AUDIODEV=null): sox's play runs for real, no file is written
    env = {**demo_env(tmp_path), "PULSE_SERVER": "unix:/nonexistent", "AUDIODEV": "null"}
    data = tmp_path / "demo"
    played = r"\| sound: played [A-Z]{1,2}-\d{3} -> counter \d+"
    # until the demo's own lines say a call was played (not for a fixed time)
    with Demo("--speed", "300", "--apps", "auto", "--data-dir", str(data),
              env_extra=env) as demo:
        heard = demo.wait_output(played, timeout=75)
        returncode = demo.stop()
    out = demo.stdout
    assert heard and returncode == 0, out + demo.stderr
    assert "announcements of zone lantai-1: a headless announcer, played by play" in out
    assert "failed" not in demo.stderr, demo.stderr  # the player ran without an error
    closing = re.search(r"^mpp demo: sound: (\d+) calls played \(announcements of zone",
                        out, re.MULTILINE)
    assert closing and int(closing.group(1)) > 0, out
    assert not list((data / "sound").glob("*.wav"))  # played, not written
