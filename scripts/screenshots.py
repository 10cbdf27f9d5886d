"""Screenshots of the Qt screens for the docs, rendered offscreen against a real hall.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only counter-display]

Starts an embedded broker and a QueueServer with the sample site on a clock that reads
Monday 09:00, drives the counters over MQTT, and grabs every screen in both languages.
Each screen is one `shoot_<screen>(hall, out)` function registered in SCREENS: the kiosk,
console and wall display add theirs there.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402

from counter_display.counter.display import CounterDisplay  # noqa: E402
from counter_display.qt.app import WindowOptions, application  # noqa: E402
from counter_display.qt.bridge import Endpoint  # noqa: E402
from queue_server.broker import BrokerHandle, start_embedded  # noqa: E402
from queue_server.clock import Clock  # noqa: E402
from queue_server.config import SiteConfig, default_site_path, load_site  # noqa: E402
from queue_server.protocol.client import QueueClient  # noqa: E402
from queue_server.server import QueueServer, ServerOptions  # noqa: E402

MONDAY_9 = "2026-11-30T09:00"  # a Monday: every office-hours service is open
LANGS = ("id", "en")
SIZE = (1280, 720)


@dataclass
class Hall:
    """A running hall: broker, server, and clients that act for devices."""

    cfg: SiteConfig
    broker: BrokerHandle
    clients: dict[str, QueueClient] = field(default_factory=dict)

    def client(self, device: str, role: str) -> QueueClient:
        if device not in self.clients:
            self.clients[device] = QueueClient(self.broker.host, self.broker.port,
                                               self.cfg.site.id, device, role).start()
        return self.clients[device]

    def endpoint(self, device: str) -> Endpoint:
        return Endpoint(self.broker.host, self.broker.port, self.cfg.site.id, device)


@contextmanager
def running_hall(workdir: Path) -> Iterator[Hall]:
    cfg = load_site(default_site_path())
    broker = start_embedded(workdir / "broker")
    clock = Clock.starting_at(MONDAY_9, cfg.site.tz)
    server = QueueServer(cfg, ServerOptions(db_url=f"sqlite:///{workdir / 'mpp.db'}",
                                            mqtt_host=broker.host, mqtt_port=broker.port,
                                            advertise=False), clock)
    server.start(wait_connected=10)
    hall = Hall(cfg, broker)
    try:
        yield hall
    finally:
        for client in hall.clients.values():
            client.stop()
        server.stop()
        broker.stop()


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Run the Qt event loop until predicate() holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the expected state")
        QCoreApplication.processEvents()
        time.sleep(0.02)


def _pump(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.02)


# --------------------------------------------------------------------------- counter display


def shoot_counter_display(hall: Hall, out: Path) -> list[Path]:
    """loket-03 (counter-03) serving, just called, paused for prayer, closed."""
    return [path for lang in LANGS for path in _counter_display_in(hall, out, lang)]


def _counter_display_in(hall: Hall, out: Path, lang: str) -> list[Path]:
    counter, kiosk = hall.client("counter-03", "counter"), hall.client("kiosk-01", "kiosk")
    loket = {"counter": "loket-03"}
    counter.request("counter.open", loket)
    for _ in range(2):
        kiosk.request("ticket.issue", {"service": "ktp-el"})
    counter.request("counter.call_next", loket)
    counter.request("counter.start", loket)  # a display that boots now: no flash
    display = CounterDisplay(hall.endpoint("display-hall"), "loket-03", lang=lang,
                             window=WindowOptions(size=SIZE))
    model, saved = display.model, []
    try:
        wait_until(lambda: model.status == "serving" and display.bridge.online)
        saved.append(_grab(display, out, "serving", lang))
        counter.request("counter.call_next", loket)  # completes the one being served
        wait_until(lambda: model.flashing and model.status == "called")
        saved.append(_grab(display, out, "called", lang, settle_s=0.1))  # flash phase on
        counter.request("counter.no_show", loket)
        counter.request("counter.pause", {**loket, "reason": "prayer"})
        wait_until(lambda: model.status == "paused")
        saved.append(_grab(display, out, "paused", lang))
        counter.request("counter.close", loket)
        wait_until(lambda: model.status == "closed")
        saved.append(_grab(display, out, "closed", lang))
    finally:
        display.close()
        _pump(0.1)
    return saved


def _grab(display: CounterDisplay, out: Path, state: str, lang: str,
          settle_s: float = 0.3) -> Path:
    _pump(settle_s)
    path = out / f"counter-display-{state}-{lang}.png"
    if not display.grab(path):
        raise RuntimeError(f"could not save {path}")
    return path


SCREENS: dict[str, Callable[[Hall, Path], list[Path]]] = {
    "counter-display": shoot_counter_display,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", choices=sorted(SCREENS), action="append")
    args = parser.parse_args(argv)
    app = application([], offscreen=True)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mpp-shots-") as tmp, \
            running_hall(Path(tmp)) as hall:
        for name in args.only or sorted(SCREENS):
            for path in SCREENS[name](hall, args.out):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
