"""Rendering: call -> chime + silence + voice (repeated per style) as one Audio."""

from __future__ import annotations

from functools import lru_cache

from drivers.audio import DEFAULT_RATE, Audio, chime, concat, silence

from .phrases import AnnounceStyle, Call, build_announcement
from .voices import Voice


@lru_cache(maxsize=4)
def _chime(rate: int) -> Audio:
    return chime(rate)


def chime_audio(rate: int = DEFAULT_RATE) -> Audio:
    """The default chime (cached; do not mutate the returned samples)."""
    return _chime(rate)


def render_voice(call: Call, style: AnnounceStyle, voice: Voice,
                 rate: int = DEFAULT_RATE) -> Audio:
    """The spoken part once: every sentence (Indonesian, then English if set)."""
    pieces: list[Audio] = []
    for i, sentence in enumerate(build_announcement(call, style)):
        if i:
            pieces.append(silence(style.gap_ms / 2, rate))
        pieces.append(voice.render(list(sentence.tokens), sentence.lang))
    return concat(pieces, rate)


def render_call(call: Call, style: AnnounceStyle, voice: Voice | None,
                rate: int = DEFAULT_RATE) -> Audio:
    """chime + chime_gap + voice, voice repeated ``style.repeat`` times with ``gap_ms``
    between. ``voice=None`` renders the chime alone. Mono 16-bit at ``rate``."""
    pieces: list[Audio] = []
    if style.chime:
        pieces += [chime_audio(rate), silence(style.chime_gap_ms, rate)]
    if voice is not None:
        spoken = render_voice(call, style, voice, rate)
        for i in range(style.repeat):
            if i:
                pieces.append(silence(style.gap_ms, rate))
            pieces.append(spoken)
    return concat(pieces, rate)
