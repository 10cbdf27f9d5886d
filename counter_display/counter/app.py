"""`mpp display counter`: the screen above one counter.

    python -m counter_display.counter.app --site-id mpp-makassar --mqtt mqtt://10.0.0.2:1883 \\
        --device display-loket-03 --counter loket-03 --fullscreen
"""

from __future__ import annotations

import logging
import sys

from counter_display.counter.display import CounterDisplay
from qtkit.app import application
from qtkit.bridge import Endpoint
from qtkit.cli import base_parser, window_options_of
from qtkit.setup import run_located

log = logging.getLogger("mpp.display.counter")



def main(argv: list[str]) -> int:
    parser = base_parser("mpp display counter", "The display above one counter.",
                         device="display-counter")
    parser.add_argument("--counter", required=True, help="counter id, e.g. loket-03")
    args = parser.parse_args(argv)
    app = application([], offscreen=args.offscreen)
    opts = window_options_of(args)

    def build(endpoint: Endpoint) -> CounterDisplay:
        return CounterDisplay(endpoint, args.counter, lang=args.lang, window=opts)
    return run_located(app, args, "display", build, opts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
