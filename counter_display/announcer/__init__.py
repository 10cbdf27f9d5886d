"""Voice announcements for the hall display: phrase builder, voices, chime, per-zone queue.

Import-light: stdlib only (no Qt, no numpy). See docs/announcer.md.
"""

from drivers.audio import (
    Audio,
    AudioError,
    NullSink,
    Played,
    Sink,
    WavFileSink,
    chime,
    concat,
    read_wav,
    resample,
    silence,
    tone,
    write_wav,
)

from .phrases import (
    LETTER_NAMES_ID,
    AnnounceStyle,
    Call,
    PhraseError,
    Sentence,
    build_announcement,
    build_tokens,
    cardinal_text,
    cardinal_tokens,
    parse_cardinal_id,
    token_text,
    tokens_text,
)
from .queue import Announcer
from .render import chime_audio, render_call, render_voice
from .voices import ClipVoice, EspeakVoice, ToneVoice, Voice, VoiceError, espeak_text, make_voice

__all__ = [
    "LETTER_NAMES_ID",
    "AnnounceStyle",
    "Announcer",
    "Audio",
    "AudioError",
    "Call",
    "ClipVoice",
    "EspeakVoice",
    "NullSink",
    "PhraseError",
    "Played",
    "Sentence",
    "Sink",
    "ToneVoice",
    "Voice",
    "VoiceError",
    "WavFileSink",
    "build_announcement",
    "build_tokens",
    "cardinal_text",
    "cardinal_tokens",
    "chime",
    "chime_audio",
    "concat",
    "espeak_text",
    "make_voice",
    "parse_cardinal_id",
    "read_wav",
    "render_call",
    "render_voice",
    "resample",
    "silence",
    "token_text",
    "tokens_text",
    "tone",
    "write_wav",
]
