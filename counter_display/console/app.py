"""`mpp console`: the counter staff console.

    python -m counter_display.console.app --site-id mpp-makassar --mqtt mqtt://10.0.0.2:1883 \\
        --device counter-03 [--keypad hardware/keypads/usb-4key.toml] [--lang en]

With --screenshot PATH it renders the sign-in screen once connected, saves it and exits.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from counter_display.console.console import StaffConsole
from counter_display.qt.app import WindowOptions, application
from counter_display.qt.cli import base_parser, endpoint_of
from drivers.buttons import KeypadError, load_keypad_profile, open_keypad

log = logging.getLogger("mpp.console")

SCREENSHOT_WAIT_MS = 15000
SETTLE_MS = 300


def main(argv: list[str]) -> int:
    parser = base_parser("mpp console", "The counter staff console (call next, transfer, "
                         "pause...).", device="counter-01")
    parser.add_argument("--keypad", default=None, metavar="PATH",
                        help="keypad profile (TOML); its buttons act like the on-screen ones")
    args = parser.parse_args(argv)
    keypad, press_filter = None, None
    if args.keypad:
        try:
            config = load_keypad_profile(args.keypad)
            keypad, press_filter = open_keypad(config), config.filter.make()
        except KeypadError as err:
            parser.error(str(err))
    app = application([], offscreen=args.offscreen)
    opts = WindowOptions(size=args.size or (1280, 720), fullscreen=args.fullscreen,
                         hide_cursor=False)  # staff use the mouse; --show-cursor is implied
    console = StaffConsole(endpoint_of(args, role="counter"), lang=args.lang, window=opts,
                           keypad=keypad, press_filter=press_filter)
    outcome = {"rc": 0}
    if args.screenshot:
        _schedule_screenshot(console, Path(args.screenshot), outcome, app.quit)
    try:
        app.exec()
    finally:
        console.close()
    return outcome["rc"]


def _schedule_screenshot(console: StaffConsole, path: Path, outcome: dict[str, int],
                         quit_app: object) -> None:
    waited = {"ms": 0}
    poll = QTimer(console.holder)
    poll.setInterval(100)

    def tick() -> None:
        waited["ms"] += poll.interval()
        ready = console.bridge.online
        if not ready and waited["ms"] < SCREENSHOT_WAIT_MS:
            return
        poll.stop()
        if not ready:
            log.error("not connected after %d ms: grabbing anyway", SCREENSHOT_WAIT_MS)
            outcome["rc"] = 1

        def grab() -> None:
            if not console.grab(path):
                log.error("could not save %s", path)
                outcome["rc"] = 1
            quit_app()  # type: ignore[operator]

        QTimer.singleShot(SETTLE_MS, grab)

    poll.timeout.connect(tick)
    poll.start()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
