"""Audio at the hardware edge: mono 16-bit PCM (pcm), the offline espeak-ng voice
(espeak), where sound goes (sinks: a speaker through a command-line player, WAV files,
nowhere) and a Speaker that says phrases on its own thread. Stdlib only. The wall's
announcer (counter_display.announcer) and the kiosk's voice guidance both stand on it."""

from drivers.audio.espeak import EspeakSpeaker, VoiceError
from drivers.audio.pcm import (
    DEFAULT_RATE,
    Audio,
    AudioError,
    chime,
    concat,
    read_wav,
    resample,
    silence,
    tone,
    write_wav,
)
from drivers.audio.sinks import (
    NullSink,
    Played,
    PlayerSink,
    Sink,
    WavFileSink,
    alsa_card_present,
    find_player,
    pulse_present,
)
from drivers.audio.speaker import Phrase, Speaker, Spoken, TextVoice

__all__ = [
    "DEFAULT_RATE",
    "Audio",
    "AudioError",
    "EspeakSpeaker",
    "NullSink",
    "Phrase",
    "Played",
    "PlayerSink",
    "Sink",
    "Speaker",
    "Spoken",
    "TextVoice",
    "VoiceError",
    "WavFileSink",
    "alsa_card_present",
    "chime",
    "concat",
    "find_player",
    "pulse_present",
    "read_wav",
    "resample",
    "silence",
    "tone",
    "write_wav",
]
