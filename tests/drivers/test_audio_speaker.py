"""drivers.audio's Speaker over the real espeak-ng voice: phrases in order, never blocking
the caller, a new prompt cutting the old one, a failing voice reported; PlayerSink.stop
ending a real player process."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from drivers.audio import (
    Audio,
    EspeakSpeaker,
    Phrase,
    PlayerSink,
    Speaker,
    VoiceError,
    WavFileSink,
    read_wav,
    silence,
)


def test_phrases_are_spoken_in_order_in_their_language(tmp_path: Path):
    speaker = Speaker(EspeakSpeaker(), WavFileSink(tmp_path)).start()
    try:
        speaker.say([Phrase("Nomor antrean Anda A, 0, 0, 1.", "id"),
                     Phrase("Your number is A, 0, 0, 1.", "en")], interrupt=False)
        assert speaker.wait_idle(20)
        spoken = speaker.spoken
        assert [s.phrase.lang for s in spoken] == ["id", "en"]
        assert [s.path.name for s in spoken if s.path] == ["announce-0001.wav",
                                                         "announce-0002.wav"]
        # THEN real speech: about two seconds each, not silence
        for s in spoken:
            assert s.path is not None
            audio = read_wav(s.path)
            assert 1.0 < audio.duration_s < 8 and audio.rms() > 300
    finally:
        speaker.close()


class SlowVoice:
    """Renders after `gate` opens (a slow voice), then a short silence."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.rendering = threading.Event()

    def render_text(self, text: str, lang: str) -> Audio:
        self.rendering.set()
        assert self.gate.wait(10)
        return silence(50)


def test_say_never_blocks_and_a_new_prompt_drops_the_old_one(tmp_path: Path):
    voice = SlowVoice()
    speaker = Speaker(voice, WavFileSink(tmp_path)).start()
    try:
        started = time.monotonic()
        speaker.say([Phrase("one", "id"), Phrase("two", "id")])
        assert voice.rendering.wait(5)
        # WHEN a key press brings a new prompt while "one" is still being rendered
        speaker.say([Phrase("three", "id")])
        assert time.monotonic() - started < 1.0  # neither call waited for the voice
        voice.gate.set()
        assert speaker.wait_idle(10)
        # THEN "one" (rendered for an older prompt) and "two" are never played
        assert [s.phrase.text for s in speaker.spoken] == ["three"]
    finally:
        voice.gate.set()
        speaker.close()


def test_a_voice_that_fails_is_reported_and_speech_goes_on(tmp_path: Path):
    errors: list[str] = []
    speaker = Speaker(EspeakSpeaker(binary="no-such-espeak"), WavFileSink(tmp_path),
                      on_error=lambda phrase, err: errors.append(
                          f"{phrase.text}: {getattr(err, 'code', '')}")).start()
    try:
        speaker.say([Phrase("satu", "id"), Phrase("dua", "id")], interrupt=False)
        assert speaker.wait_idle(10)
        assert errors == ["satu: voice_unavailable", "dua: voice_unavailable"]
        assert speaker.spoken == [] and speaker.errors == 2
    finally:
        speaker.close()
    with pytest.raises(VoiceError):
        EspeakSpeaker(binary="no-such-espeak").check()


def test_player_sink_stop_ends_the_sound_playing_now():
    # a "player" that would play for 30 s (sh -c 'sleep 30' FILE)
    sink = PlayerSink(["sh", "-c", "sleep 30"])
    done = threading.Event()
    failed: list[BaseException] = []

    def play() -> None:
        try:
            sink.play(silence(100))
        except BaseException as err:  # reported below
            failed.append(err)
        done.set()

    thread = threading.Thread(target=play)
    thread.start()
    deadline = time.monotonic() + 5
    while not sink.playing and time.monotonic() < deadline:
        time.sleep(0.01)  # polls the condition: the player process has started
    sink.stop()
    assert done.wait(5), "play() still blocked after stop()"
    thread.join(5)
    assert failed == [] and len(sink.history) == 1
