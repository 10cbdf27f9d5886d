"""Voices: turn a token sequence into Audio. One interface, several implementations.

``Voice.render(tokens, lang) -> Audio``. Voices do not know about calls or styles; the phrase
builder does not know which voice speaks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from drivers.audio import (
    DEFAULT_RATE,
    Audio,
    EspeakSpeaker,
    VoiceError,
    concat,
    read_wav,
    silence,
    tone,
)

from .phrases import LANGS, chunks, token_text

log = logging.getLogger(__name__)


@runtime_checkable
class Voice(Protocol):
    def render(self, tokens: Sequence[str], lang: str) -> Audio: ...


# --------------------------------------------------------------------------- espeak-ng


class EspeakVoice(EspeakSpeaker):
    """espeak-ng speaking a call's tokens (the text voice is drivers.audio's).

    voices: espeak voice per language (``{"id": "id", "en": "en"}``; "mb-id1" for MBROLA).
    speed: words per minute (espeak default 175; 150 is clearer in a hall).
    """

    def render(self, tokens: Sequence[str], lang: str) -> Audio:
        return self.render_text(espeak_text(tokens, lang), lang)


def espeak_text(tokens: Sequence[str], lang: str) -> str:
    """Text for a TTS engine: the display text, but letters written as capitals (espeak-ng
    -v id says "B" /be/, "Q" /ki/, closer than the spelled names); commas are the pauses."""
    parts = []
    for chunk in chunks(list(tokens)):
        words = [tok[7:] if tok.startswith("letter_") else token_text(tok, lang)
                 for tok in chunk]
        parts.append(" ".join(words))
    return ", ".join(parts)


# --------------------------------------------------------------------------- clips


_CLIP_NAME = re.compile(r"^[A-Za-z0-9_]+$")


class ClipVoice:
    """Concatenates recorded WAV clips named by token: ``{folder}/{lang}/{token}.wav``
    (``{folder}/{token}.wav`` is also accepted for the first language).

    A chunk boundary (where the text has a comma) gets ``pause_ms`` of silence. A missing
    clip is spoken by ``fallback`` (another Voice) for that token, or raises ``clip_missing``.
    Clips are read once and cached.
    """

    def __init__(self, folder: str | Path, *, fallback: Voice | None = None,
                 pause_ms: int = 150, rate: int = DEFAULT_RATE) -> None:
        self.folder = Path(folder)
        self.fallback = fallback
        self.pause_ms = pause_ms
        self.rate = rate
        self._cache: dict[tuple[str, str], Audio | None] = {}

    def clip_path(self, token: str, lang: str) -> Path | None:
        if not _CLIP_NAME.match(token):
            return None                      # text: tokens and anything odd are never files
        for path in (self.folder / lang / f"{token}.wav", self.folder / f"{token}.wav"):
            if path.is_file():
                return path
        return None

    def clip(self, token: str, lang: str) -> Audio | None:
        key = (lang, token)
        if key not in self._cache:
            path = self.clip_path(token, lang)
            self._cache[key] = read_wav(path, self.rate) if path else None
        return self._cache[key]

    def missing(self, tokens: Sequence[str], lang: str) -> list[str]:
        return [t for t in dict.fromkeys(tokens) if self.clip(t, lang) is None]

    def render(self, tokens: Sequence[str], lang: str) -> Audio:
        pieces: list[Audio] = []
        for i, chunk in enumerate(chunks(list(tokens))):
            if i:
                pieces.append(silence(self.pause_ms, self.rate))
            for tok in chunk:
                audio = self.clip(tok, lang)
                if audio is None:
                    if self.fallback is None:
                        raise VoiceError("clip_missing",
                                         f"no clip for {tok!r} ({lang}) in {self.folder}")
                    log.info("clip %s/%s missing: using the fallback voice", lang, tok)
                    audio = self.fallback.render([tok], lang)
                pieces.append(audio)
        return concat(pieces, self.rate)


# --------------------------------------------------------------------------- tones


class ToneVoice:
    """A real, deterministic Voice that "speaks" each token as a short tone (pitch from the
    token's name). For tests, demos and benchmarks where speech itself does not matter."""

    def __init__(self, *, token_ms: float = 40.0, gap_ms: float = 10.0,
                 rate: int = DEFAULT_RATE) -> None:
        self.token_ms = token_ms
        self.gap_ms = gap_ms
        self.rate = rate

    def render(self, tokens: Sequence[str], lang: str) -> Audio:
        pieces: list[Audio] = []
        for tok in tokens:
            freq = 300 + (sum(tok.encode()) % 40) * 15 + (0 if lang == "id" else 7)
            pieces += [tone(freq, self.token_ms, self.rate, 0.3), silence(self.gap_ms, self.rate)]
        return concat(pieces, self.rate)


# --------------------------------------------------------------------------- config


def make_voice(config: Mapping[str, Any] | None = None) -> Voice:
    """Voice from config: ``{"kind": "espeak"|"clips"|"tone", ...}``.

    espeak: speed, voices ({"id": "mb-id1"}), pitch, binary.
    clips: folder, fallback ("espeak" | "none", default espeak), pause_ms, plus espeak keys
    for the fallback.
    tone: token_ms.
    """
    cfg = dict(config or {})
    kind = cfg.pop("kind", "espeak")
    espeak_keys = {k: cfg[k] for k in ("speed", "voices", "pitch", "binary") if k in cfg}
    if kind == "espeak":
        return EspeakVoice(**espeak_keys)
    if kind == "clips":
        if "folder" not in cfg:
            raise VoiceError("bad_config", "clips voice needs a folder")
        fb = cfg.get("fallback", "espeak")
        fallback = EspeakVoice(**espeak_keys) if fb == "espeak" else None
        return ClipVoice(cfg["folder"], fallback=fallback, pause_ms=cfg.get("pause_ms", 150))
    if kind == "tone":
        return ToneVoice(token_ms=cfg.get("token_ms", 40.0))
    raise VoiceError("bad_config", f"unknown voice kind {kind!r} (espeak, clips, tone)")


__all__ = ["LANGS", "ClipVoice", "EspeakVoice", "ToneVoice", "Voice", "VoiceError",
           "espeak_text", "make_voice"]
