"""`mpp display wall`: the hall wall display with voice announcements.

    python -m counter_display.wall.app --site-id mpp-makassar --mqtt mqtt://10.0.0.2:1883 \\
        --device display-hall --zone lantai-1 --fullscreen --sound aplay --voice espeak
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from counter_display.announcer import AnnounceStyle, Voice, VoiceError, make_voice
from counter_display.wall.announce import default_sound, make_sink
from counter_display.wall.display import WallDisplay
from qtkit.app import application
from qtkit.bridge import Endpoint
from qtkit.cli import base_parser, window_options_of
from qtkit.setup import run_located

log = logging.getLogger("mpp.display.wall")



def parser() -> argparse.ArgumentParser:
    p = base_parser("mpp display wall", "The hall wall display with voice announcements.",
                    device="display-hall")
    p.add_argument("--zone", default=None,
                   help="zone id from the site config (unknown or absent: the whole hall)")
    p.add_argument("--sound", default=None, metavar="none|wav-dir:PATH|play|aplay",
                   help="where announcements go: play = the speaker via paplay/aplay/sox "
                        "(default: play when there is an audio output, else none)")
    p.add_argument("--voice", choices=("espeak", "tone"), default="espeak",
                   help="espeak-ng Indonesian voice, or tones (tests, demos)")
    p.add_argument("--number-mode", choices=("digits", "cardinal"), default="digits",
                   help="say A-012 as 'nol, satu, dua' (digits) or 'dua belas' (cardinal)")
    p.add_argument("--screen", default=None, metavar="NAME|INDEX",
                   help="monitor for the wall (e.g. HDMI-2 or 1); when it is unplugged the "
                        "wall goes to the primary one and comes back when it returns")
    p.add_argument("--media", default=None, metavar="DIR",
                   help="folder of public-information images (PNG, JPEG, WebP, SVG...) shown "
                        "in turn beside the calls; files added or removed are picked up")
    p.add_argument("--media-seconds", type=float, default=10.0, metavar="S",
                   help="how long each image stays (default 10)")
    p.add_argument("--skip-behind", type=int, default=None, metavar="N",
                   help="skip a call when N announcements already wait (sped-up demos; a "
                        "hall leaves it off: every call is announced)")
    p.add_argument("--english", action="store_true",
                   help="say the English sentence after the Indonesian one")
    return p


def voice_of(kind: str) -> Voice:
    voice = make_voice({"kind": kind})
    check = getattr(voice, "check", None)
    if callable(check):
        check()  # raises voice_unavailable at start-up, not at the first call
    return voice


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    sound = args.sound or default_sound()
    try:
        sink = make_sink(sound)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    voice: Voice | None = None
    if sink is not None:
        try:
            voice = voice_of(args.voice)
        except VoiceError as err:  # the chime alone still calls people to look
            log.error("voice unavailable (%s): announcing with the chime only", err)
    style = AnnounceStyle(number_mode=args.number_mode, english=args.english)
    app = application([], offscreen=args.offscreen)
    opts = window_options_of(args)

    def build(endpoint: Endpoint) -> WallDisplay:
        return WallDisplay(endpoint, args.zone, lang=args.lang, window=opts, voice=voice,
                           sink=sink, style=style, screen=args.screen,
                           media=Path(args.media) if args.media else None,
                           media_seconds=args.media_seconds, skip_behind=args.skip_behind)
    return run_located(app, args, "display", build, opts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
