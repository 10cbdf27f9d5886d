"""`mpp console`: the counter staff console.

    python -m counter_display.console.app --site-id mpp-makassar --mqtt mqtt://10.0.0.2:1883 \\
        --device counter-03 [--keypad hardware/keypads/usb-4key.toml] [--lang en]

With --screenshot PATH it renders the sign-in screen once connected, saves it and exits.
"""

from __future__ import annotations

import logging
import sys

from counter_display.console.console import StaffConsole
from drivers.buttons import KeypadError, load_keypad_profile, open_keypad
from qtkit.app import WindowOptions, application
from qtkit.bridge import Endpoint
from qtkit.cli import base_parser
from qtkit.setup import run_located

log = logging.getLogger("mpp.console")



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
    # staff use the mouse: --show-cursor is implied
    opts = WindowOptions(size=args.size or (1280, 720), fullscreen=args.fullscreen,
                         hide_cursor=False, tile=args.tile)

    def build(endpoint: Endpoint) -> StaffConsole:
        return StaffConsole(endpoint, lang=args.lang, window=opts, keypad=keypad,
                            press_filter=press_filter)
    return run_located(app, args, "counter", build, opts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
