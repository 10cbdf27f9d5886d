"""Render one announcement: ``python -m counter_display.announcer A-001 3 -o call.wav``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from drivers.audio import write_wav

from .phrases import AnnounceStyle, Call, PhraseError, build_announcement
from .render import render_call
from .voices import VoiceError, make_voice


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m counter_display.announcer",
                                 description="Print and render a queue call announcement.")
    ap.add_argument("number", help="ticket number, e.g. A-001")
    ap.add_argument("counter", type=int, help="counter number")
    ap.add_argument("--name", help="counter name (spoken with --say-name)")
    ap.add_argument("--say-name", action="store_true")
    ap.add_argument("--recall", type=int, default=0, metavar="N", help="recall count")
    ap.add_argument("--cardinal", action="store_true", help="read the number as a cardinal")
    ap.add_argument("--no-zeros", action="store_true", help="digit mode: skip leading zeros")
    ap.add_argument("--english", action="store_true", help="add the English sentence")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--voice", choices=["espeak", "clips", "tone"], default="espeak")
    ap.add_argument("--clips", help="clip folder (with --voice clips)")
    ap.add_argument("--speed", type=int, default=150, help="espeak words per minute")
    ap.add_argument("-o", "--out", help="write the WAV here")
    args = ap.parse_args(argv)
    try:
        style = AnnounceStyle(number_mode="cardinal" if args.cardinal else "digits",
                              leading_zeros=not args.no_zeros, english=args.english,
                              repeat=args.repeat, speak_counter_name=args.say_name)
        call = Call(args.number, args.counter, args.name, recalls=args.recall)
        for sentence in build_announcement(call, style):
            print(f"[{sentence.lang}] {sentence.text}")
            print(f"     {' '.join(sentence.tokens)}")
        if args.out:
            cfg: dict[str, object] = {"kind": args.voice, "speed": args.speed}
            if args.clips:
                cfg["folder"] = args.clips
            t0 = time.monotonic()
            audio = render_call(call, style, make_voice(cfg))
            write_wav(audio, args.out)
            print(f"{args.out}: {audio.duration_s:.2f} s, rendered in "
                  f"{time.monotonic() - t0:.2f} s")
    except (PhraseError, VoiceError) as exc:
        print(f"error [{exc.code}]: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
