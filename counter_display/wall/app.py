"""`mpp display wall`: the hall wall display with voice announcements.

    python -m counter_display.wall.app --site-id mpp-makassar --mqtt mqtt://10.0.0.2:1883 \\
        --device display-hall --zone lantai-1 --fullscreen --sound aplay --voice espeak
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from counter_display.announcer import AnnounceStyle, Voice, VoiceError, make_voice
from counter_display.qt.app import application
from counter_display.qt.cli import base_parser, endpoint_of, window_options_of
from counter_display.wall.announce import default_sound, make_sink
from counter_display.wall.display import WallDisplay

log = logging.getLogger("mpp.display.wall")

SCREENSHOT_WAIT_MS = 15000
SETTLE_MS = 300


def parser() -> argparse.ArgumentParser:
    p = base_parser("mpp display wall", "The hall wall display with voice announcements.",
                    device="display-hall")
    p.add_argument("--zone", default=None,
                   help="zone id from the site config (unknown or absent: the whole hall)")
    p.add_argument("--sound", default=None, metavar="none|wav-dir:PATH|aplay",
                   help="where announcements go (default: aplay if installed, else none)")
    p.add_argument("--voice", choices=("espeak", "tone"), default="espeak",
                   help="espeak-ng Indonesian voice, or tones (tests, demos)")
    p.add_argument("--number-mode", choices=("digits", "cardinal"), default="digits",
                   help="say A-012 as 'nol, satu, dua' (digits) or 'dua belas' (cardinal)")
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
    display = WallDisplay(endpoint_of(args), args.zone, lang=args.lang,
                          window=window_options_of(args), voice=voice, sink=sink, style=style)
    outcome = {"rc": 0}
    if args.screenshot:
        _schedule_screenshot(display, Path(args.screenshot), outcome, app.quit)
    try:
        app.exec()
    finally:
        display.close()
    return outcome["rc"]


def _schedule_screenshot(display: WallDisplay, path: Path, outcome: dict[str, int],
                         quit_app: object) -> None:
    waited = {"ms": 0}
    poll = QTimer(display.holder)
    poll.setInterval(100)

    def tick() -> None:
        waited["ms"] += poll.interval()
        ready = display.has_state()
        if not ready and waited["ms"] < SCREENSHOT_WAIT_MS:
            return
        poll.stop()
        if not ready:
            log.error("no state after %d ms: grabbing anyway", SCREENSHOT_WAIT_MS)
            outcome["rc"] = 1

        def grab() -> None:
            if not display.grab(path):
                log.error("could not save %s", path)
                outcome["rc"] = 1
            quit_app()  # type: ignore[operator]

        QTimer.singleShot(SETTLE_MS, grab)

    poll.timeout.connect(tick)
    poll.start()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
