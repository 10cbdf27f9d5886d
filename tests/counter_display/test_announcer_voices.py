"""Voices, chime and rendering, with the real espeak-ng."""

from __future__ import annotations

import shutil
import wave
from array import array
from pathlib import Path

import pytest

from counter_display.announcer import (
    AnnounceStyle,
    Audio,
    Call,
    ClipVoice,
    EspeakVoice,
    ToneVoice,
    Voice,
    VoiceError,
    build_tokens,
    chime_audio,
    espeak_text,
    make_voice,
    read_wav,
    render_call,
    resample,
    silence,
    tone,
    write_wav,
)

RMS_SPEECH = 500.0          # speech from espeak-ng is around 2500-3000 RMS


def test_chime_is_short_and_audible() -> None:
    chime = chime_audio()
    assert 0.5 <= chime.duration_s <= 2.0
    assert chime.rms() > 1000
    assert chime.peak() < 32767                      # no clipping
    assert abs(chime.samples[-1]) < 200              # faded out: no click


def test_espeak_renders_indonesian_call(tmp_path: Path) -> None:
    voice = EspeakVoice()
    tokens = build_tokens(Call("A-001", 3), AnnounceStyle())
    speech = voice.render(tokens, "id")
    assert 2.0 <= speech.duration_s <= 10.0
    assert speech.rms() > RMS_SPEECH
    path = write_wav(render_call(Call("A-001", 3), AnnounceStyle(), voice), tmp_path / "a.wav")
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        seconds = w.getnframes() / w.getframerate()
    assert speech.duration_s + 1.0 < seconds < speech.duration_s + 3.0   # + chime + gap
    assert read_wav(path).rms() > RMS_SPEECH


def test_espeak_english_and_repeat() -> None:
    voice = EspeakVoice()
    once = render_call(Call("A-001", 3), AnnounceStyle(), voice)
    both = render_call(Call("A-001", 3), AnnounceStyle(english=True, repeat=2), voice)
    english = voice.render(build_tokens(Call("A-001", 3), AnnounceStyle(), "en"), "en")
    assert 1.5 <= english.duration_s <= 8.0 and english.rms() > RMS_SPEECH
    assert both.duration_s > 2 * once.duration_s


def test_espeak_text_uses_capital_letters() -> None:
    assert espeak_text(build_tokens(Call("Q-012", 3), AnnounceStyle()), "id") == (
        "nomor antrian, Q, nol, satu, dua, silakan menuju loket tiga")


def test_espeak_missing_binary_is_voice_unavailable() -> None:
    voice = EspeakVoice(binary="espeak-ng-not-installed")
    assert not voice.available()
    with pytest.raises(VoiceError) as err:
        voice.render(["nomor_antrian"], "id")
    assert err.value.code == "voice_unavailable"


def test_espeak_unknown_voice_fails_clearly() -> None:
    EspeakVoice().check()                                # id and en are installed
    with pytest.raises(VoiceError) as err:
        EspeakVoice(voices={"id": "no-such-voice-xx"}).check()
    assert err.value.code == "voice_unavailable"
    if shutil.which("mbrola") is None:               # mb-id1 is listed but cannot speak
        with pytest.raises(VoiceError) as err:
            EspeakVoice(voices={"id": "mb-id1"}).render(["loket"], "id")
        assert err.value.code == "voice_unavailable"


def _clip_folder(tmp_path: Path, tokens: list[str], rate: int = 16000) -> Path:
    folder = tmp_path / "clips"
    (folder / "id").mkdir(parents=True)
    for i, tok in enumerate(tokens):
        write_wav(tone(300 + 20 * i, 100, rate), folder / "id" / f"{tok}.wav")
    return folder


def test_clip_voice_concatenates_and_resamples(tmp_path: Path) -> None:
    tokens = build_tokens(Call("A-001", 3), AnnounceStyle())
    folder = _clip_folder(tmp_path, sorted(set(tokens)))
    voice = ClipVoice(folder, pause_ms=100)
    assert voice.missing(tokens, "id") == []
    audio = voice.render(tokens, "id")
    assert audio.rate == 22050
    chunks = 6      # nomor antrian | A | nol | nol | satu | silakan menuju loket tiga
    expected = len(tokens) * 0.1 + (chunks - 1) * 0.1
    assert abs(audio.duration_s - expected) < 0.01
    assert audio.rms() > 1000


def test_clip_missing_raises_or_falls_back(tmp_path: Path) -> None:
    tokens = build_tokens(Call("A-001", 3), AnnounceStyle())
    folder = _clip_folder(tmp_path, [t for t in set(tokens) if t != "num_3"])
    with pytest.raises(VoiceError) as err:
        ClipVoice(folder).render(tokens, "id")
    assert err.value.code == "clip_missing"
    assert ClipVoice(folder).missing(tokens, "id") == ["num_3"]
    mixed = ClipVoice(folder, fallback=EspeakVoice()).render(tokens, "id")
    assert mixed.duration_s > 1.0 and mixed.rms() > RMS_SPEECH


def test_read_wav_converts_stereo_8bit(tmp_path: Path) -> None:
    path = tmp_path / "s.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(bytes([128 + 64, 128 + 64] * 800))
    audio = read_wav(path, 22050)
    assert audio.rate == 22050
    assert abs(audio.duration_s - 0.1) < 0.001
    assert all(s == 64 << 8 for s in audio.samples)


def test_resample_keeps_duration() -> None:
    audio = tone(440, 500, 44100)
    down = resample(audio, 22050)
    assert abs(down.duration_s - 0.5) < 0.001
    assert abs(down.rms() - audio.rms()) / audio.rms() < 0.05
    assert resample(Audio(array("h"), 8000), 22050).samples == array("h")


def test_silence_and_tone_voice() -> None:
    assert silence(250).rms() == 0.0
    voice = ToneVoice(token_ms=20)
    assert isinstance(voice, Voice)
    audio = voice.render(["a", "b", "c"], "id")
    assert abs(audio.duration_s - 0.09) < 0.002 and audio.rms() > 500


def test_make_voice_from_config(tmp_path: Path) -> None:
    assert isinstance(make_voice({"kind": "espeak", "speed": 140}), EspeakVoice)
    clips = make_voice({"kind": "clips", "folder": str(tmp_path)})
    assert isinstance(clips, ClipVoice) and isinstance(clips.fallback, EspeakVoice)
    assert make_voice({"kind": "clips", "folder": str(tmp_path),
                       "fallback": "none"}).fallback is None       # type: ignore[attr-defined]
    assert isinstance(make_voice({"kind": "tone"}), ToneVoice)
    with pytest.raises(VoiceError) as err:
        make_voice({"kind": "festival"})
    assert err.value.code == "bad_config"


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from counter_display.announcer.__main__ import main

    out = tmp_path / "call.wav"
    assert main(["B-012", "4", "--cardinal", "--english", "--voice", "tone", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "[id] Nomor antrian, Be, dua belas, silakan menuju loket empat" in printed
    assert "[en] Number, B, twelve, please go to counter four" in printed
    assert read_wav(out).duration_s > 1.0
    assert main(["nope", "4"]) == 2
    assert "bad_number" in capsys.readouterr().err
