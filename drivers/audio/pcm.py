"""Mono 16-bit PCM in pure Python (stdlib ``array``/``wave``/``math``; no numpy, no audioop)."""

from __future__ import annotations

import math
import sys
import wave
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_RATE = 22050          # espeak-ng's native rate: no resampling for the common case
_MAX = 32767


class AudioError(Exception):
    """Audio that cannot be read or converted. ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Audio:
    """Mono signed 16-bit samples (``array('h')``) at ``rate`` Hz."""

    samples: array
    rate: int = DEFAULT_RATE

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate if self.rate else 0.0

    def rms(self) -> float:
        if not self.samples:
            return 0.0
        return math.sqrt(sum(s * s for s in self.samples) / len(self.samples))

    def peak(self) -> int:
        return max((abs(s) for s in self.samples), default=0)


def silence(ms: float, rate: int = DEFAULT_RATE) -> Audio:
    return Audio(array("h", bytes(2 * int(rate * ms / 1000))), rate)


def resample(audio: Audio, rate: int) -> Audio:
    """Linear-interpolation resampling (good enough for speech and chimes)."""
    if audio.rate == rate or not audio.samples:
        return Audio(array("h", audio.samples), rate)
    src = audio.samples
    n_out = max(1, round(len(src) * rate / audio.rate))
    step = audio.rate / rate
    last = len(src) - 1
    out = array("h", bytes(2 * n_out))
    for i in range(n_out):
        pos = i * step
        j = int(pos)
        if j >= last:
            out[i] = src[last]
        else:
            frac = pos - j
            out[i] = int(src[j] + (src[j + 1] - src[j]) * frac)
    return Audio(out, rate)


def concat(pieces: Iterable[Audio], rate: int = DEFAULT_RATE) -> Audio:
    """Join pieces, converting each to ``rate``."""
    out = array("h")
    for piece in pieces:
        out.extend(resample(piece, rate).samples if piece.rate != rate else piece.samples)
    return Audio(out, rate)


def _to_mono16(raw: bytes, width: int, channels: int) -> array:
    if width == 2:
        data = array("h")
        data.frombytes(raw)
        if sys.byteorder == "big":
            data.byteswap()
    elif width == 1:                       # unsigned 8-bit
        data = array("h", ((b - 128) << 8 for b in raw))
    elif width in (3, 4):                  # keep the top 16 bits (little-endian signed)
        data = array("h", (int.from_bytes(raw[i + width - 2:i + width], "little", signed=True)
                           for i in range(0, len(raw), width)))
    else:
        raise AudioError("audio_format", f"unsupported sample width {width}")
    if channels > 1:
        data = array("h", (int(sum(data[i:i + channels]) / channels)
                           for i in range(0, len(data), channels)))
    return data


def read_wav(path: str | Path, rate: int | None = None) -> Audio:
    """Read a PCM WAV (8/16/24/32-bit, any channels) as mono 16-bit, optionally resampled."""
    try:
        with wave.open(str(path), "rb") as w:
            width, channels, src_rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise AudioError("audio_format", f"{path}: not a PCM WAV ({exc})") from exc
    audio = Audio(_to_mono16(raw, width, channels), src_rate)
    return resample(audio, rate) if rate and rate != src_rate else audio


def write_wav(audio: Audio, path: str | Path) -> Path:
    """Write mono 16-bit PCM; returns the path. Written to a temp name then renamed."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    data = array("h", audio.samples)
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(audio.rate)
        w.writeframes(data.tobytes())
    tmp.replace(path)
    return path


def tone(freq: float, ms: float, rate: int = DEFAULT_RATE, volume: float = 0.5,
         attack_ms: float = 10.0, decay: float = 4.0) -> Audio:
    """A sine tone with a short linear attack and an exponential (bell-like) decay."""
    n = int(rate * ms / 1000)
    attack = max(1, int(rate * attack_ms / 1000))
    amp = volume * _MAX
    out = array("h", bytes(2 * n))
    for i in range(n):
        env = i / attack if i < attack else math.exp(-decay * (i - attack) / n)
        # a soft second harmonic makes it sound like a chime, not a test tone
        s = math.sin(2 * math.pi * freq * i / rate) + 0.25 * math.sin(4 * math.pi * freq * i / rate)
        out[i] = int(max(-_MAX, min(_MAX, amp * env * s / 1.25)))
    # fade the last 5 ms to zero: no click at the end
    tail = min(n, int(rate * 0.005))
    for k in range(tail):
        out[n - tail + k] = int(out[n - tail + k] * (tail - k) / tail)
    return Audio(out, rate)


#: The default chime: three descending notes (E5, C5, G4), like a hall "ding-dong".
CHIME_NOTES: tuple[tuple[float, float], ...] = ((659.25, 330), (523.25, 330), (392.0, 520))


def chime(rate: int = DEFAULT_RATE, notes: tuple[tuple[float, float], ...] = CHIME_NOTES,
          volume: float = 0.45) -> Audio:
    """Synthesised chime: the given (frequency Hz, length ms) notes, each with an envelope."""
    return concat((tone(f, ms, rate, volume) for f, ms in notes), rate)
