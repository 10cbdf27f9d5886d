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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402

from bench.chromium import launch  # noqa: E402
from counter_display.counter.display import CounterDisplay  # noqa: E402
from mpp.broker import BrokerHandle, start_embedded  # noqa: E402
from mpp.demo.access import DEMO_TLS  # noqa: E402
from mpp.provision import provision  # noqa: E402
from qtkit.app import WindowOptions, application  # noqa: E402
from qtkit.bridge import Endpoint  # noqa: E402
from qtkit.cli import base_parser  # noqa: E402
from qtkit.setup import LocatedApp  # noqa: E402
from queue_server.clock import Clock  # noqa: E402
from queue_server.config import SiteConfig, default_site_path, load_site  # noqa: E402
from queue_server.protocol.client import QueueClient  # noqa: E402
from queue_server.protocol.discovery import PROTOCOL_VERSION, SERVICE_TYPE, ServerInfo  # noqa: E402
from queue_server.protocol.ops import IKM_ELEMENTS, LANGS  # noqa: E402
from queue_server.server import QueueServer, ServerOptions  # noqa: E402

MONDAY_9 = "2026-11-30T09:00"  # a Monday: every office-hours service is open
SIZE = (1280, 720)


@dataclass
class Hall:
    """A running hall: broker, server, and clients that act for devices."""

    cfg: SiteConfig
    broker: BrokerHandle
    clients: dict[str, QueueClient] = field(default_factory=dict)

    def client(self, device: str, role: str) -> QueueClient:
        if device not in self.clients:
            self.clients[device] = QueueClient(
                self.broker.host, self.broker.port, self.cfg.site.id, device, role,
                credentials=self.broker.credentials(device), tls=self.broker.tls).start()
        return self.clients[device]

    def endpoint(self, device: str, role: str = "display") -> Endpoint:
        """What an app of `device` connects with: its own account, over TLS. The broker
        binds a client id to its account, so the script's own client of that device
        steps aside (two would push each other off, as two boxes of one device would)."""
        if device in self.clients:
            self.clients.pop(device).stop()
        return Endpoint(self.broker.host, self.broker.port, self.cfg.site.id, device, role,
                        credentials=self.broker.credentials(device), tls=self.broker.tls)


def secured_broker(cfg: SiteConfig, workdir: Path) -> BrokerHandle:
    """The broker as the demo runs it: the site's accounts, the ACL and TLS."""
    done = provision(cfg, workdir / "provision", tls=DEMO_TLS)
    broker = start_embedded(workdir / "broker", access=done.access)
    broker.accounts = done.load()
    return broker


def server_options(broker: BrokerHandle, workdir: Path, **options: Any) -> ServerOptions:
    """The server's options on `broker`, logged in as the server (its follower as the
    dashboard)."""
    return ServerOptions(db_url=f"sqlite:///{workdir / 'mpp.db'}", mqtt_host=broker.host,
                         mqtt_port=broker.port, mqtt_tls=broker.tls,
                         credentials=broker.credentials("server"),
                         follower_credentials=broker.credentials("dashboard"),
                         advertise=False, **options)


def staged_site() -> SiteConfig:
    """The shipped site without its per-kiosk rate limit: a staged morning issues its
    tickets faster than any citizen could."""
    cfg = load_site(default_site_path())
    return cfg.model_copy(update={"policy": cfg.policy.model_copy(update={"issue_burst": 0})})


@contextmanager
def running_hall(workdir: Path) -> Iterator[Hall]:
    cfg = staged_site()
    broker = secured_broker(cfg, workdir)
    clock = Clock.starting_at(MONDAY_9, cfg.site.tz)
    server = QueueServer(cfg, server_options(broker, workdir), clock)
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
    """loket-03 (counter-03) serving, just called, a voice-guided citizen called (the
    officer comes to them), paused for prayer, closed."""
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
        kiosk.request("ticket.issue", {"service": "ktp-el", "priority": "disabled",
                                       "assist": "voice"})  # taken with voice guidance
        counter.request("counter.call_next", loket)
        wait_until(lambda: model.mark == "come")
        saved.append(_grab(display, out, "called-assist", lang))
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


# --------------------------------------------------------------------------- wall display

WALL_SIZES = {"1080p": (1920, 1080), "4k": (3840, 2160)}


def shoot_wall(hall: Hall, out: Path) -> list[Path]:
    """The hall wall of zone lantai-1 (no sound): calls from several counters, people
    waiting, a running-text message; 1920x1080 and 3840x2160 in both languages, without
    and with the public-information panel (`--media`)."""
    from counter_display.wall.display import WallDisplay

    kiosk = hall.client("kiosk-02", "kiosk")
    for service in ("ktp-el", "kk", "kk", "akta-capil", "pindah-datang", "nib-oss", "pbg",
                    "skck", "skck", "paspor-baru", "ktp-el", "ktp-el", "kk", "paspor-ganti",
                    "tilang", "ktp-el", "sip-nakes", "konsultasi-izin", "paspor-baru"):
        kiosk.request("ticket.issue", {"service": service})
    for i in (1, 2, 4, 5, 7, 8, 11, 13, 3):
        counter, loket = hall.client(f"counter-{i:02d}", "counter"), {"counter": f"loket-{i:02d}"}
        counter.request("counter.open", loket)
        counter.request("counter.call_next", loket)
        if i in (1, 4, 7, 11):
            counter.request("counter.start", loket)
    hall.client("counter-06", "counter").request("counter.open", {"counter": "loket-06"})
    hall.client("counter-06", "counter").request("counter.pause",
                                                 {"counter": "loket-06", "reason": "prayer"})
    hall.client("counter-02", "counter").request("counter.recall", {"counter": "loket-02"})
    hall.client("supervisor-01", "supervisor").request("message.broadcast", {
        "text": "Selamat datang di Mal Pelayanan Publik. Siapkan KTP-el dan dokumen asli "
                "sebelum dipanggil.",
        "text_en": "Welcome to the public service mall. Please have your ID card and original "
                   "documents ready before you are called."})
    # a supervisor's poster in the media folder (wall-<res>-media-<lang>.png): the sample
    # content is the hall's, bilingual on the poster itself, not the app's strings
    media = Path(tempfile.mkdtemp(prefix="mpp-wall-media-"))
    (media / "01-ktp-el.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900">'
        '<rect width="1600" height="900" fill="#0d5c3a"/>'
        '<rect x="40" y="40" width="1520" height="820" rx="40" fill="none" '
        'stroke="#ffd400" stroke-width="12"/>'
        '<g font-family="DejaVu Sans" fill="#ffffff">'
        '<text x="100" y="200" font-size="110" font-weight="bold">Persyaratan KTP-el</text>'
        '<text x="100" y="290" font-size="62" fill="#ffd400">e-ID card: what to bring</text>'
        '<text x="100" y="440" font-size="74">• Kartu Keluarga asli</text>'
        '<text x="100" y="560" font-size="74">• Surat pengantar RT/RW</text>'
        '<text x="100" y="680" font-size="74">• Pas foto tidak perlu</text>'
        '<text x="100" y="800" font-size="52" fill="#cfe8dc">Gratis · Free of charge</text>'
        '</g></svg>', encoding="utf-8")
    saved = []
    for lang in LANGS:
        for res, size in WALL_SIZES.items():
            for folder, suffix in ((None, ""), (media, "-media")):
                display = WallDisplay(hall.endpoint("display-hall"), "lantai-1", lang=lang,
                                      window=WindowOptions(size=size), media=folder)
                try:
                    wait_until(lambda d=display, f=folder: d.has_state()  # type: ignore[misc]
                               and d.bridge.online and bool(d.model.recent)
                               and bool(d.model.messageId) and (f is None or d.media.count > 0))
                    _pump(0.6)
                    path = out / f"wall-{res}{suffix}-{lang}.png"
                    if not display.grab(path):
                        raise RuntimeError(f"could not save {path}")
                    saved.append(path)
                finally:
                    display.close()
                    _pump(0.1)
    for poster in media.iterdir():
        poster.unlink()
    media.rmdir()
    return saved


# --------------------------------------------------------------------------- staff console


def shoot_console(hall: Hall, out: Path) -> list[Path]:
    """counter-02 (loket-02), officer petugas-02: sign-in after a wrong PIN, serving a
    ticket, the list of no-shows who may come back, paused for prayer;
    console-<screen>-<lang>.png."""
    return [path for lang in LANGS for path in _console_in(hall, out, lang)]


def _console_in(hall: Hall, out: Path, lang: str) -> list[Path]:
    from counter_display.console.console import StaffConsole

    kiosk = hall.client("kiosk-02", "kiosk")
    endpoint = hall.endpoint("counter-02", "counter")
    console = StaffConsole(endpoint, lang=lang,
                           window=WindowOptions(size=SIZE, hide_cursor=False))
    model, saved = console.model, []

    def answered(action: Callable[[], bool]) -> None:
        if not action():
            raise RuntimeError("the console refused the action")
        wait_until(lambda: not model.busy)

    try:
        wait_until(lambda: console.bridge.online)
        console.item("officerInput").setProperty("text", "petugas-02")
        answered(lambda: model.signIn("petugas-02", "4321"))  # shows the wrong-PIN message
        console.item("pinInput").setProperty("text", "1234")
        saved.append(_grab_console(console, out, "signin", lang))
        answered(lambda: model.signIn("petugas-02", "1234"))
        wait_until(lambda: model.screen == "main" and model.counterStatus != "unknown")
        if model.counterStatus != "open":
            answered(model.resume)
        for service in ("ktp-el", "kk", "ktp-el", "kk", "ktp-el"):
            kiosk.request("ticket.issue", {"service": service})
        answered(lambda: model.press("NEXT"))
        answered(lambda: model.press("START"))
        wait_until(lambda: model.ticketStatus == "serving" and bool(model.stats))
        saved.append(_grab_console(console, out, "serving", lang))
        for _ in range(2):  # two citizens called who do not come
            answered(lambda: model.press("NEXT"))
            answered(lambda: model.press("NO_SHOW"))
        model.refreshReturnable()
        wait_until(lambda: len(model.returnable) == 2)
        console.item("returnDialog").setProperty("visible", True)
        saved.append(_grab_console(console, out, "return", lang))
        console.item("returnDialog").setProperty("visible", False)
        answered(lambda: model.returnTicket(model.returnable[0]["id"]))  # one came back
        answered(lambda: model.press("NEXT"))
        answered(lambda: model.press("START"))
        answered(lambda: model.press("COMPLETE"))
        kiosk.request("ticket.issue", {"service": "ktp-el", "priority": "disabled",
                                       "assist": "voice"})  # taken with voice guidance
        for _ in range(5):  # the citizens before it first, as the dispatch policy says
            answered(lambda: model.press("NEXT"))
            if ((model.last_result or {}).get("ticket") or {}).get("assist") == "voice":
                break
            answered(lambda: model.press("START"))
            answered(lambda: model.press("COMPLETE"))
        wait_until(lambda: "voice" in model.ticketMarks)
        saved.append(_grab_console(console, out, "called-assist", lang))
        answered(lambda: model.press("START"))
        answered(lambda: model.press("COMPLETE"))
        answered(lambda: model.pause("prayer"))
        wait_until(lambda: model.counterStatus == "paused")
        saved.append(_grab_console(console, out, "paused", lang))
        answered(model.resume)
        answered(model.closeCounter)
        model.signOut()
        _pump(0.2)
    finally:
        console.close()
        _pump(0.1)
    return saved


def _grab_console(console: object, out: Path, screen: str, lang: str) -> Path:
    _pump(0.3)
    path = out / f"console-{screen}-{lang}.png"
    if not console.grab(path):  # type: ignore[attr-defined]
        raise RuntimeError(f"could not save {path}")
    return path


# --------------------------------------------------------------------------- kiosk

KIOSK_ORIENTATIONS = ("portrait", "landscape")


def shoot_kiosk(hall: Hall, out: Path, large: bool = False) -> list[Path]:
    """Every kiosk screen (welcome, welcome with the printer out of paper and no other
    kiosk up, agencies, services with a closed one, priority, printing, result, result when
    printing failed with the copy offered, result once the copy printed, welcome with the
    printer out sending citizens to another kiosk, error, result of an appointment
    check-in, a refused check-in, a bad scan) in both languages and orientations:
    kiosk-<screen>-<lang>-<orientation>.png, or in the large high-contrast mode
    kiosk-large-<screen>-<lang>-<orientation>.png."""
    supervisor = hall.client("supervisor-01", "supervisor")
    kiosk2 = hall.client("kiosk-02", "kiosk")
    supervisor.request("service.close", {"service": "pindah-datang"})  # shown greyed
    for service in ("ktp-el", "ktp-el", "kk", "akta-capil"):  # people waiting
        kiosk2.request("ticket.issue", {"service": service})
    saved: list[Path] = []
    try:
        for orientation in KIOSK_ORIENTATIONS:
            for lang in LANGS:
                saved.extend(_kiosk_in(hall, out, lang, orientation, large))
    finally:
        supervisor.request("service.open", {"service": "pindah-datang"})
    return saved


def shoot_kiosk_large(hall: Hall, out: Path) -> list[Path]:
    return shoot_kiosk(hall, out, large=True)


def _kiosk_in(hall: Hall, out: Path, lang: str, orientation: str,
              large: bool) -> list[Path]:
    from drivers.printer import PrinterSimulator, open_printer
    from drivers.scanner import SimulatedScanner
    from kiosk.kiosk import LANDSCAPE, PORTRAIT, Kiosk

    simulator, scanner = PrinterSimulator(), SimulatedScanner()
    code = f"JT-{lang}-{orientation}{'-L' if large else ''}".upper()  # one appointment per run
    hall.client("supervisor-01", "supervisor").request(
        "appointment.add", {"code": code, "service": "ktp-el", "slot": "2026-11-30T09:30"})
    printer = open_printer({"type": "simulated"}, simulator=simulator)
    endpoint = hall.endpoint("kiosk-01", "kiosk")
    size = PORTRAIT if orientation == "portrait" else LANDSCAPE
    kiosk = Kiosk(endpoint, printer, lang=lang, window=WindowOptions(size=size),
                  scanner=scanner)
    model, saved = kiosk.model, []

    def large_again() -> None:
        """Back on welcome the next citizen starts in the normal mode: one touch again."""
        if large and model.screen == "welcome" and not model.large:
            kiosk.click("largeButton")
            wait_until(lambda: model.large)
            _pump(0.2)  # the screen lays itself out again

    def shot(screen: str) -> None:
        large_again()
        _pump(0.3)
        mode = "large-" if large else ""
        path = out / f"kiosk-{mode}{screen}-{lang}-{orientation}.png"
        if not kiosk.grab(path):
            raise RuntimeError(f"could not save {path}")
        saved.append(path)

    def step(button: str, screen: str) -> None:
        large_again()
        kiosk.click(button)
        wait_until(lambda: model.screen == screen)
        _pump(0.1)  # the new page lays itself out (large mode's pages follow its size)

    try:
        wait_until(lambda: model.hasConfig and kiosk.bridge.online
                   and model.printerState == "ready")
        shot("welcome")
        step("startButton", "agencies")
        shot("agencies")
        step("agency-disdukcapil", "services")
        shot("services")
        step("service-ktp-el", "priority")
        shot("priority")
        model._set_screen("printing")  # transient in real use: shown as it looks
        shot("printing")
        model._set_screen("priority")
        step("priority-elderly", "result")
        shot("result")
        simulator.faults.paper_out = True  # the welcome warns, the number stays on screen
        _kiosk_presence(hall, "kiosk-02", "paper_out")  # no other kiosk to send anyone to
        step("doneButton", "welcome")
        model.check_printer()
        wait_until(lambda: model.printerState == "paper_out" and model.elsewhere == "")
        shot("welcome-paper-out")
        step("startButton", "agencies")
        step("agency-disdukcapil", "services")
        step("service-ktp-el", "priority")
        kiosk.click("priority-none")
        wait_until(lambda: model.screen == "result" and model.printError != "")
        shot("result-unprinted")  # with the offer of one copy
        simulator.faults.paper_out = False  # the roll replaced: the copy prints
        kiosk.click("reprintButton")
        wait_until(lambda: model.copy == "printed")
        shot("result-copy")
        simulator.faults.paper_out = True  # out again, and kiosk-02 is up: sent there
        _kiosk_presence(hall, "kiosk-02", "ready")
        step("doneButton", "welcome")
        model.check_printer()
        wait_until(lambda: model.elsewhere != "")
        shot("welcome-elsewhere")
        simulator.faults.paper_out = False
        model.check_printer()
        wait_until(lambda: model.printerState == "ready")
        model._error = "quota_full"  # as the server answers when the quota ran out
        model.ticketChanged.emit()
        model._set_screen("error")
        shot("error")
        model.home()
        model.setLarge(large)
        scanner.feed(f"MPP1:{hall.cfg.site.id}:{code}")  # the appointment's QR
        wait_until(lambda: model.screen == "result")
        shot("result-appointment")
        scanner.feed(f"MPP1:{hall.cfg.site.id}:{code}-X")  # a code the server does not know
        wait_until(lambda: model.screen == "refused" and model.error == "appointment_unknown")
        shot("refused")
        scanner.feed_garbage()
        wait_until(lambda: model.screen == "refused" and model.error == "scan_garbage")
        shot("bad-scan")
    finally:
        kiosk.close()
        _pump(0.1)
    return saved


def _kiosk_presence(hall: Hall, device: str, printer: str) -> None:
    """Another kiosk's presence with its printer's state (the kiosk being shot sends
    citizens to one whose printer prints); it writes only its own device topic."""
    import json

    client = hall.client(device, "kiosk")
    client.link.publish(client.topics.device(device), json.dumps(
        client.presence({"printer": {"state": printer}})).encode(), retain=True)


SCREENS: dict[str, Callable[[Hall, Path], list[Path]]] = {
    "console": shoot_console,
    "counter-display": shoot_counter_display,
    "kiosk": shoot_kiosk,
    "kiosk-large": shoot_kiosk_large,
    "wall": shoot_wall,
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


# --------------------------------------------------------------------------- web dashboard


def shoot_dashboard(hall: Hall, out: Path) -> list[Path]:
    """The supervisor dashboard in headless Chromium, both languages: the sign-in page and
    a busy morning (people waiting, counters serving and paused, a kiosk low on paper, a
    display offline, one alert acknowledged, a running text). It needs its own server with
    the web dashboard on, so it runs its own broker and hall."""
    import json
    import tempfile

    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="mpp-dash-") as tmp, \
            _dashboard_hall(Path(tmp)) as (server, dash):
        _busy_morning(dash, server)
        # each device reports its own presence (the ACL lets it write no other's)
        root = f"mpp/v1/{dash.cfg.site.id}"
        dash.client("kiosk-02", "kiosk").link.publish(f"{root}/device/kiosk-02", json.dumps(
            {"role": "kiosk", "status": "online",
             "printer": {"state": "paper_near_end", "paper": "near_end"}}).encode(), retain=True)
        dash.client("display-hall", "display").link.publish(
            f"{root}/device/display-hall", json.dumps(
                {"role": "display", "status": "offline"}).encode(), retain=True)
        # a kiosk that booted with its clock an hour ahead (live: the follower hears it)
        kiosk3 = QueueClient(dash.broker.host, dash.broker.port, dash.cfg.site.id,
                             "kiosk-03", "kiosk", credentials=dash.broker.credentials("kiosk-03"),
                             tls=dash.broker.tls, clock=lambda: time.time() + 3600).start()
        dash.clients["kiosk-03"] = kiosk3
        assert server.web is not None
        deadline = time.monotonic() + 10
        while "clock:kiosk-03" not in {a["key"] for a in server.web.live.snapshot()["alerts"]}:
            if time.monotonic() > deadline:
                raise TimeoutError("the dashboard never heard kiosk-03's clock")
            time.sleep(0.05)
        url = f"http://127.0.0.1:{server.http_port}"
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                for lang in LANGS:
                    saved += _dashboard_in(browser, url, out, lang)
            finally:
                browser.close()
    return saved


def shoot_boxes(_hall: Hall, out: Path) -> list[Path]:
    """The dashboard's "Boxes waiting to be installed" panel, as an administrator sees it
    while blank boxes ask for their bundles over the LAN: two waiting (one named like its
    bundle, one still called raspberrypi), one whose code was mistyped. The boxes are real
    HTTP clients of the server, from loopback addresses of their own."""
    import tempfile

    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="mpp-boxes-") as tmp, \
            _dashboard_hall(Path(tmp), boxes=True) as (server, _dash):
        url = f"http://127.0.0.1:{server.http_port}"
        _boxes_asking(server, url)
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                for lang in LANGS:
                    saved += _boxes_in(browser, url, out, lang)
            finally:
                browser.close()
    return saved


def _boxes_asking(server: QueueServer, url: str) -> None:
    """Three boxes ask; the third one's code is mistyped (it says so and asks again)."""
    import httpx

    from queue_server.protocol.pairing import b64, new_code, new_key

    assert server.web is not None
    pairing = server.web.pairing
    tokens = {}
    for n, host in ((2, "kiosk-03"), (3, "raspberrypi"), (4, "display-lantai-2")):
        transport = httpx.HTTPTransport(local_address=f"127.0.0.{n}")
        with httpx.Client(base_url=url, transport=transport, timeout=10) as box:
            made = box.post("/pair", json={"host": host, "key": b64(new_key()[1]),
                                           "proto": 1})
            tokens[host] = made.json()["token"]
    mistyped = next(r for r in pairing.listing()["requests"]
                    if r["host"] == "display-lantai-2")
    pairing.approve(mistyped["id"], new_code(), "display-lantai-2", "admin")
    with httpx.Client(base_url=url, timeout=10) as box:  # the box could not open it
        box.post(f"/pair/{tokens['display-lantai-2']}/failed", json={"reason": "mismatch"})
    pairing.now = lambda: time.monotonic() + 95  # they have waited a while


def _boxes_in(browser, url: str, out: Path, lang: str) -> list[Path]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{url}/login?lang={lang}")
        page.fill("#username", "admin")
        page.fill("#password", "kata-sandi-contoh")
        page.click("#sign-in")
        page.wait_for_selector("#boxes tr.box.mismatch")
        first = page.locator("#boxes tr.box.waiting").first.get_attribute("data-request")
        page.fill(f"#box-{first}-code", "7KQ2-M9XD-4RTA")
        panel = out / f"dashboard-boxes-{lang}.png"
        page.locator("#boxes-panel").screenshot(path=str(panel))
        return [panel]
    finally:
        context.close()


SCREENS["dashboard-boxes"] = shoot_boxes


@contextmanager
def _dashboard_hall(workdir: Path, boxes: bool = False) -> Iterator[tuple[QueueServer, Hall]]:
    from datetime import datetime

    from mpp.broker import free_port
    from queue_server.clock import ManualClock
    from queue_server.config import Central

    # a city central that is not there (a loopback port nobody listens on): the status
    # bar shows the WAN down and the device incidents waiting in the outbox
    token = workdir / "central.token"
    token.write_text("staged-token\n", encoding="utf-8")
    token.chmod(0o600)
    cfg = staged_site()
    cfg = cfg.model_copy(update={"central": Central(
        url=(f"https://127.0.0.1:{free_port()}",), token_file=str(token))})
    broker = secured_broker(cfg, workdir)
    # a clock that moves only when told: the morning below is staged at 08:20, 08:50, 09:05
    start = datetime.fromisoformat("2026-11-30T08:20").replace(tzinfo=cfg.site.tz)
    clock = ManualClock(start.timestamp())
    folder = None
    if boxes:  # the bundles of `mpp provision --boxes`, for blank boxes on the LAN
        from mpp.box.bundle import BoxOptions, make_boxes

        make_boxes(cfg, provision(cfg, workdir / "boxes"), BoxOptions())
        folder = str(workdir / "boxes" / "boxes")
    server = QueueServer(cfg, server_options(broker, workdir, http_port=0,
                                             http_host="127.0.0.1", boxes_dir=folder), clock)
    server.start(wait_connected=10)
    hall = Hall(cfg, broker)
    try:
        assert server.web is not None
        server.web.accounts.add("supervisor", "kata-sandi-contoh", "supervisor")
        server.web.accounts.add("admin", "kata-sandi-contoh", "administrator")
        server.web.live.connected.wait(10)
        yield server, hall
    finally:
        for client in hall.clients.values():
            client.stop()
        server.stop()
        broker.stop()


def _busy_morning(hall: Hall, server: QueueServer) -> None:
    from queue_server.clock import ManualClock

    kiosk = hall.client("kiosk-01", "kiosk")
    sup = hall.client("supervisor-01", "supervisor")
    plan = {"ktp-el": 9, "kk": 5, "akta-kelahiran": 3, "paspor": 6, "skck": 4}
    services = {s.id for s in hall.cfg.services}
    for service, count in plan.items():
        if service in services:
            for _ in range(count):
                kiosk.request("ticket.issue", {"service": service})
    officers = [o.code for o in hall.cfg.officers]
    clock = server.clock
    assert isinstance(clock, ManualClock)
    clock.advance(30 * 60)  # 08:50: the counters open, the first citizens are called
    for i, counter in enumerate(hall.cfg.counters[:6]):
        sup.request("counter.open", {"counter": counter.id, "officer": officers[i]})
        if i < 4:
            sup.request("counter.call_next", {"counter": counter.id})
    sup.request("counter.start", {"counter": hall.cfg.counters[0].id})
    sup.request("counter.pause", {"counter": hall.cfg.counters[5].id, "reason": "prayer"})
    sup.request("message.broadcast", {"text": "Loket paspor buka sampai pukul 15.00",
                                      "text_en": "The passport counter is open until 3 pm"})
    clock.advance(15 * 60)  # 09:05: the first in line have waited longer than the target
    server.request_tick()
    assert server.web is not None
    live = server.web.live
    deadline = time.monotonic() + 10
    while len(live.snapshot()["alerts"]) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)


def _dashboard_in(browser, url: str, out: Path, lang: str) -> list[Path]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{url}/login?lang={lang}")
        login = out / f"dashboard-login-{lang}.png"
        page.screenshot(path=str(login))
        page.fill("#username", "supervisor")
        page.fill("#password", "kata-sandi-contoh")
        page.click("#sign-in")
        page.wait_for_selector("#alerts li.alert")
        page.wait_for_selector("#conn.on")
        first = page.locator("#alerts li.alert:not(.acked) button.ack").first
        if lang == "id" and first.count():
            first.click()
            page.wait_for_selector("#alerts li.alert.acked")
        page.wait_for_selector("#counters td.ticket:has-text('-')")
        page.fill("#void-ticket", "B-004")  # a supervisor about to void a lost ticket
        page.fill("#void-reason", "kertas habis, warga pergi" if lang == "id"
                  else "paper ran out, the citizen left")
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")  # the top
        page.wait_for_selector("#wan.off")  # the central staged away: the WAN is down
        main = out / f"dashboard-{lang}.png"
        page.screenshot(path=str(main))
        full = out / f"dashboard-full-{lang}.png"
        page.screenshot(path=str(full), full_page=True)
        return [login, main, full]
    finally:
        context.close()


SCREENS["dashboard"] = shoot_dashboard


def shoot_reports(hall: Hall, out: Path) -> list[Path]:
    """The report page, the printable daily summary and the citizens' pages, in headless
    Chromium, after a staged morning: tickets over three hours, served with varied waits,
    and survey answers."""
    import tempfile

    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="mpp-reports-") as tmp, \
            _dashboard_hall(Path(tmp)) as (server, dash):
        morning = _served_morning(dash, server)
        url = f"http://127.0.0.1:{server.http_port}"
        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                for lang in LANGS:
                    saved += _reports_in(browser, url, out, lang)
                    saved += _survey_in(browser, out, lang, morning.unrated.pop())
                    saved += _ticket_in(browser, out, lang, morning.waiting)
                    saved += _tablet_in(browser, url, out, lang)
                saved += _rate_limited_in(browser, server, out, morning.waiting)
            finally:
                browser.close()
        assert morning.rated
    return saved


@dataclass
class Morning:
    """The staged morning's tickets: ids of the rated ones, the page addresses of the
    served ones nobody rated, and the page of one still waiting."""

    rated: list[str] = field(default_factory=list)
    unrated: list[str] = field(default_factory=list)
    waiting: str = ""


def _served_morning(hall: Hall, server: QueueServer) -> Morning:
    """08:20-11:20: arrivals every few minutes at five services, six counters serving;
    every other served citizen answers the survey."""
    from random import Random

    from queue_server.clock import ManualClock

    rng = Random(7)
    kiosk = hall.client("kiosk-01", "kiosk")
    sup = hall.client("supervisor-01", "supervisor")
    clock = server.clock
    assert isinstance(clock, ManualClock)
    counters = [c for c in hall.cfg.counters if c.number in (1, 2, 5, 8, 11, 13)]
    services = sorted({s for c in counters for s in c.services})
    officers = [o.code for o in hall.cfg.officers]
    for i, counter in enumerate(counters):
        sup.request("counter.open", {"counter": counter.id, "officer": officers[i]})
    morning = Morning()
    pages: dict[str, str] = {}  # ticket id -> its page's address (the reply's url)
    called: set[str] = set()
    for _step in range(45):  # 45 steps of 4-5.5 minutes
        for _ in range(rng.choice((1, 2, 2, 3))):
            issued = kiosk.request("ticket.issue", {"service": rng.choice(services)})
            pages[issued["id"]] = issued["url"]
        for counter in counters:
            if rng.random() < 0.4:
                continue  # still serving the citizen at the desk
            try:  # the citizen at the desk is done (called 4 or more minutes ago)
                done = sup.request("counter.complete", {"counter": counter.id})
            except Exception:
                done = None
            if done is not None:
                ticket = done["ticket"]["id"]
                if len(morning.rated) <= len(morning.unrated):
                    scores = {e: rng.choice((2, 3, 3, 4, 4)) for e in IKM_ELEMENTS}
                    sup.request("feedback.submit", {"ticket": ticket, "scores": scores})
                    morning.rated.append(ticket)
                else:
                    morning.unrated.append(pages[ticket])
            try:
                next_one = sup.request("counter.call_next", {"counter": counter.id})
                if next_one["ticket"] is not None:
                    called.add(next_one["ticket"]["id"])
            except Exception:  # nobody waiting for this counter's services
                pass
        clock.advance(4 * 60 + rng.randint(0, 90))
    morning.waiting = next(pages[t] for t in reversed(pages) if t not in called)
    return morning


def _signed_in_page(browser, url: str, lang: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/login?lang={lang}")
    page.fill("#username", "supervisor")
    page.fill("#password", "kata-sandi-contoh")
    page.click("#sign-in")
    page.wait_for_selector("#alerts")
    return context, page


def _reports_in(browser, url: str, out: Path, lang: str) -> list[Path]:  # type: ignore[no-untyped-def]
    context, page = _signed_in_page(browser, url, lang)
    try:
        page.goto(f"{url}/reports?first_day=2026-11-30&lang={lang}")
        page.wait_for_selector("#chart-arrivals")
        report = out / f"reports-{lang}.png"
        page.screenshot(path=str(report), full_page=True)
        page.goto(f"{url}/reports/print?day=2026-11-30&lang={lang}")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        printed = out / f"reports-print-{lang}.png"
        page.screenshot(path=str(printed), full_page=True)
        return [report, printed]
    finally:
        context.close()


def _survey_in(browser, out: Path, lang: str, address: str) -> list[Path]:  # type: ignore[no-untyped-def]
    """A citizen's phone (no account) on the page of a ticket just served: the survey."""
    context = browser.new_context(viewport={"width": 420, "height": 900}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{address}?lang={lang}")
        for element, score in zip(IKM_ELEMENTS, (4, 3, 4, 4, 3, 4, 4, 2, 3), strict=True):
            page.check(f"input[name={element}][value='{score}']")
        form = out / f"survey-{lang}.png"
        page.screenshot(path=str(form), full_page=True)
        page.click("#send")
        page.wait_for_selector("main[data-state=thanks]")
        thanks = out / f"survey-thanks-{lang}.png"
        page.screenshot(path=str(thanks))
        return [form, thanks]
    finally:
        context.close()


def _ticket_in(browser, out: Path, lang: str, address: str) -> list[Path]:  # type: ignore[no-untyped-def]
    """A citizen's phone on the page of a ticket still waiting (the printed QR)."""
    context = browser.new_context(viewport={"width": 420, "height": 900}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{address}?lang={lang}")
        page.wait_for_selector("main[data-state=ticket]")
        shot = out / f"ticket-page-{lang}.png"
        page.screenshot(path=str(shot))
        return [shot]
    finally:
        context.close()


def _tablet_in(browser, url: str, out: Path, lang: str) -> list[Path]:  # type: ignore[no-untyped-def]
    """A counter-side tablet: not yet paired, a supervisor pairing it, then waiting for
    its next citizen (loket-32 served nobody yet)."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    tablet = f"{url}/f/counter/loket-32"
    try:
        page.goto(f"{tablet}?lang={lang}")
        page.wait_for_selector("main[data-state=unpaired]")
        unpaired = out / f"survey-tablet-unpaired-{lang}.png"
        page.screenshot(path=str(unpaired))
        page.click("#pair")  # to the sign-in page, then back to the pairing
        page.fill("#username", "supervisor")
        page.fill("#password", "kata-sandi-contoh")
        page.click("#sign-in")
        page.wait_for_selector("main[data-state=pair]")
        pairing = out / f"survey-tablet-pair-{lang}.png"
        page.screenshot(path=str(pairing))
        page.click("#send")
        page.wait_for_selector("main[data-state=idle]")
        waiting = out / f"survey-tablet-{lang}.png"
        page.screenshot(path=str(waiting))
        return [unpaired, pairing, waiting]
    finally:
        context.close()


def _rate_limited_in(browser, server: QueueServer, out: Path, address: str) -> list[Path]:  # type: ignore[no-untyped-def]
    """The answer to a phone past the per-address limit, both languages (the server's
    limit lowered to one request a minute on a clock that stands still, for the picture,
    then put back)."""
    from queue_server.web.limits import PublicLimit

    assert server._http is not None
    state = server._http.app.state
    kept, state.public_limit = state.public_limit, PublicLimit(1, now=lambda: 0.0)
    context = browser.new_context(viewport={"width": 420, "height": 900}, is_mobile=True)
    page = context.new_page()
    saved: list[Path] = []
    try:
        page.goto(address)
        for lang in LANGS:
            page.goto(f"{address}?lang={lang}")
            page.wait_for_selector("main[data-state=rate_limited]")
            shot = out / f"survey-rate-limited-{lang}.png"
            page.screenshot(path=str(shot))
            saved.append(shot)
        return saved
    finally:
        context.close()
        state.public_limit = kept


SCREENS["reports"] = shoot_reports


# --------------------------------------------------------------------------- the demo


def shoot_demo_desktop(_hall: Hall, out: Path) -> list[Path]:
    """What a newcomer sees after `make demo` on a desktop: the four app windows side by
    side, on a real X server (Xvfb, Qt's xcb platform) with the demo's own hall."""
    from tests.support.demo import Demo, hall_has_called
    from tests.support.xvfb import grab_screen, xvfb

    path = out / "demo-desktop.png"
    with tempfile.TemporaryDirectory(prefix="mpp-demo-shot-") as tmp, \
            xvfb("1920x1080") as display:
        data = Path(tmp)
        with Demo("--speed", "300", "--apps", "auto", "--http-port", "0", "--data-dir",
                  str(data), env_extra={"DISPLAY": display},
                  env_drop=("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")) as demo:
            logs = data / "apps"
            demo.wait_until(lambda: len(list(logs.glob("*.log"))) == 4 and all(
                "connected" in log.read_text() for log in logs.glob("*.log")))
            demo.wait_output(hall_has_called)
            demo.wait_until(lambda: any((data / "sound").glob("*.wav")))
            grab_screen(display, path)
    return [path]


SCREENS["demo-desktop"] = shoot_demo_desktop


# --------------------------------------------------------------------------- setup screen


def shoot_setup(_hall: Hall, out: Path) -> list[Path]:
    """The setup screen a box shows while it has no server of its own (qtkit/setup.py):
    still looking for its hall's server, and two halls on one network with nothing to
    say which is the box's. The servers are shown to the screen as the watcher would,
    so no other advertisement on this machine gets into the picture."""
    two = [ServerInfo(site, address, 8883, 443, PROTOCOL_VERSION,
                      f"{site}.{SERVICE_TYPE}", mqtt_tls=True)
           for site, address in (("mpp-makassar", "10.20.0.2"), ("mpp-gowa", "10.20.8.2"))]
    return [path for lang in LANGS for path in (
        _setup_in(out, lang, "looking", ["--site-id", "mpp-makassar"], []),
        _setup_in(out, lang, "two-halls", [], two))]


def _setup_in(out: Path, lang: str, state: str, options: list[str],
              servers: list[ServerInfo]) -> Path:
    args = base_parser("mpp kiosk", "screenshot", device="kiosk-03").parse_args(
        [*options, "--lang", lang])

    def build(_endpoint: Endpoint) -> Any:
        raise RuntimeError("the setup screenshots connect to nothing")
    box = LocatedApp(args, "kiosk", build, WindowOptions(size=SIZE), look=False)
    try:
        box.finder.seen(servers)
        wait_until(lambda: box.finder.elapsed >= 2, timeout=5)  # a running clock
        path = out / f"setup-{state}-{lang}.png"
        if not box.grab(path):
            raise RuntimeError(f"could not save {path}")
        return path
    finally:
        box.close()
        _pump(0.1)


SCREENS["setup"] = shoot_setup

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
