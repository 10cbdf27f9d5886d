"""`mpp display counter`: the screen above one counter.

    python -m counter_display.counter.app --site-id mpp-makassar --mqtt mqtt://10.0.0.2:1883 \\
        --device display-loket-03 --counter loket-03 --fullscreen
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from counter_display.counter.display import CounterDisplay
from counter_display.qt.app import application
from counter_display.qt.cli import base_parser, endpoint_of, window_options_of

log = logging.getLogger("mpp.display.counter")

SCREENSHOT_WAIT_MS = 15000  # give up on the state after this long (grab what is there)
SETTLE_MS = 300  # let the window render the state before grabbing it


def main(argv: list[str]) -> int:
    parser = base_parser("mpp display counter", "The display above one counter.",
                         device="display-counter")
    parser.add_argument("--counter", required=True, help="counter id, e.g. loket-03")
    args = parser.parse_args(argv)
    app = application([], offscreen=args.offscreen)
    display = CounterDisplay(endpoint_of(args), args.counter, lang=args.lang,
                             window=window_options_of(args))
    outcome = {"rc": 0}
    if args.screenshot:
        _schedule_screenshot(display, Path(args.screenshot), outcome, app.quit)
    try:
        app.exec()
    finally:
        display.close()
    return outcome["rc"]


def _schedule_screenshot(display: CounterDisplay, path: Path, outcome: dict[str, int],
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
            log.error("no state for %s after %d ms: grabbing anyway", display.counter_id,
                      SCREENSHOT_WAIT_MS)
            outcome["rc"] = 1
        QTimer.singleShot(SETTLE_MS, lambda: _grab(display, path, outcome, quit_app))

    poll.timeout.connect(tick)
    poll.start()


def _grab(display: CounterDisplay, path: Path, outcome: dict[str, int],
          quit_app: object) -> None:
    if not display.grab(path):
        log.error("could not save %s", path)
        outcome["rc"] = 1
    quit_app()  # type: ignore[operator]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
