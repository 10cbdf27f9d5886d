"""espeak-ng, the offline voice of the hall (the wall's announcer and the kiosk's voice
guidance): text in a language to Audio. See docs/announcer.md (Voices)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping

from drivers.audio.pcm import DEFAULT_RATE, Audio, AudioError, read_wav


class VoiceError(Exception):
    """A voice cannot speak. ``code``: voice_unavailable, voice_failed, clip_missing,
    bad_config."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class EspeakSpeaker:
    """espeak-ng in a subprocess: text to a temporary WAV, read back as Audio. Offline.

    voices: espeak voice per language (``{"id": "id", "en": "en"}``; "mb-id1" for MBROLA).
    speed: words per minute (espeak default 175; 150 is clearer in a hall).
    """

    def __init__(self, *, binary: str = "espeak-ng", speed: int = 150,
                 voices: Mapping[str, str] | None = None, pitch: int | None = None,
                 rate: int = DEFAULT_RATE, timeout_s: float = 20.0) -> None:
        self.binary = binary
        self.speed = speed
        self.voices = {"id": "id", "en": "en", **(voices or {})}
        self.pitch = pitch
        self.rate = rate
        self.timeout_s = timeout_s

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def check(self) -> None:
        """Raise ``voice_unavailable`` unless the binary exists and knows every configured
        voice. (espeak-ng silently falls back to its default voice for an unknown name.)"""
        exe = shutil.which(self.binary)
        if exe is None:
            raise VoiceError("voice_unavailable", f"{self.binary} not found on PATH")
        known: set[str] = set()
        for arg in ("--voices", "--voices=mb"):
            try:
                out = subprocess.run([exe, arg], capture_output=True, timeout=self.timeout_s,
                                     check=False).stdout.decode(errors="replace")
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise VoiceError("voice_unavailable", str(exc)) from exc
            for line in out.splitlines()[1:]:
                cols = line.split()
                if len(cols) >= 5:
                    known.update({cols[1], cols[3], cols[4], cols[4].rsplit("/", 1)[-1]})
        missing = sorted(v for v in self.voices.values() if v not in known)
        if missing:
            raise VoiceError("voice_unavailable", f"espeak-ng has no voice {missing}")

    def command(self, text: str, lang: str, out: str) -> list[str]:
        cmd = [self.binary, "-v", self.voices.get(lang, lang), "-s", str(self.speed), "-w", out]
        if self.pitch is not None:
            cmd += ["-p", str(self.pitch)]
        return [*cmd, "--", text]

    def render_text(self, text: str, lang: str) -> Audio:
        exe = shutil.which(self.binary)
        if exe is None:
            raise VoiceError("voice_unavailable", f"{self.binary} not found on PATH")
        fd, out = tempfile.mkstemp(prefix="mpp-espeak-", suffix=".wav")
        os.close(fd)
        try:
            try:
                proc = subprocess.run(self.command(text, lang, out), capture_output=True,
                                      timeout=self.timeout_s, check=False)
            except FileNotFoundError as exc:
                raise VoiceError("voice_unavailable", str(exc)) from exc
            except subprocess.TimeoutExpired as exc:
                raise VoiceError("voice_failed", f"espeak-ng timed out ({exc})") from exc
            if proc.returncode != 0:
                err = proc.stderr.decode(errors="replace").strip()[:300]
                code = "voice_unavailable" if "voice" in err.lower() else "voice_failed"
                raise VoiceError(code, f"espeak-ng exit {proc.returncode}: {err}")
            try:
                return read_wav(out, self.rate)
            except AudioError as exc:
                raise VoiceError("voice_failed", str(exc)) from exc
        finally:
            try:
                os.unlink(out)
            except FileNotFoundError:
                pass
