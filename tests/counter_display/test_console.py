"""The staff console over a real server and broker, offscreen: sign-in, the counter's
actions, refusals in the officer's language, the keypad, and two consoles racing."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable

import pytest

from counter_display.console.console import StaffConsole
from drivers.buttons import Button, SimulatedKeypad
from queue_server.protocol.client import QueueClient
from queue_server.protocol.ops import OFFICER_PAUSE_REASONS
from queue_server.server import QueueServer
from tests.counter_display.console_fixtures import console_factory_fixture  # noqa: F401
from tests.support.hall import broker_args
from tests.support.qml import text_or_empty as text
from tests.support.qml import visible

WAIT_MS = 10000


@pytest.fixture
def kiosk(server: QueueServer, client_factory: Callable[..., QueueClient]) -> QueueClient:
    return client_factory("kiosk-01", "kiosk", follow_state=False)


def idle(qtbot, console: StaffConsole) -> None:
    qtbot.waitUntil(lambda: not console.model.busy, timeout=WAIT_MS)


def signed_in(qtbot, console: StaffConsole, officer: str = "petugas-01") -> StaffConsole:
    qtbot.waitUntil(lambda: console.bridge.online, timeout=WAIT_MS)
    assert console.model.signIn(officer, "1234")
    qtbot.waitUntil(lambda: console.model.screen == "main", timeout=WAIT_MS)
    return console


def opened(qtbot, console: StaffConsole) -> StaffConsole:
    signed_in(qtbot, console)
    qtbot.waitUntil(lambda: console.model.counterStatus != "unknown", timeout=WAIT_MS)
    if console.model.counterStatus != "open":
        assert console.model.resume()
        qtbot.waitUntil(lambda: console.model.counterStatus == "open", timeout=WAIT_MS)
    idle(qtbot, console)
    return console


def act(qtbot, console: StaffConsole, call: Callable[[], bool]) -> None:
    """Run one action and wait for its answer."""
    with qtbot.waitSignal(console.model.acted, timeout=WAIT_MS):
        assert call()


def test_wrong_pin_then_right_pin(qtbot, server, console_factory):
    console = console_factory("counter-01")
    qtbot.waitUntil(lambda: console.bridge.online, timeout=WAIT_MS)
    assert visible(console, "signinScreen") and not visible(console, "mainScreen")
    # WHEN the PIN is wrong THEN the officer reads why, in Indonesian
    act(qtbot, console, lambda: console.model.signIn("petugas-01", "9999"))
    assert console.model.errorCode == "bad_credentials"
    assert text(console, "signinError") == "Kode petugas atau PIN salah"
    assert console.model.screen == "signin"
    # WHEN the PIN is right THEN the counter's screen shows (one counter: no choice)
    act(qtbot, console, lambda: console.model.signIn("petugas-01", "1234"))
    assert console.model.screen == "main" and visible(console, "mainScreen")
    assert text(console, "signinError") == ""
    assert console.model.counterId == "loket-01"
    qtbot.waitUntil(lambda: text(console, "counterTitle") == "Loket 1  ·  Andi",
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: console.model.stats.get("called") == 0, timeout=WAIT_MS)


def test_locked_out_shows_the_seconds_in_english(qtbot, server, console_factory):
    console = console_factory("counter-01", lang="en")
    qtbot.waitUntil(lambda: console.bridge.online, timeout=WAIT_MS)
    for _ in range(5):
        act(qtbot, console, lambda: console.model.signIn("petugas-02", "0000"))
    act(qtbot, console, lambda: console.model.signIn("petugas-02", "1234"))
    assert console.model.errorCode == "locked_out"
    # the server's retry_after_s field: the 300 s lock-out, its current second counted
    assert console.model.errorSeconds == 301
    assert text(console, "signinError") == (
        f"Too many wrong PINs: try again in {console.model.errorSeconds} seconds")


def test_server_unreachable_on_signin(qtbot, console_factory, fresh_mosquitto):
    broker = fresh_mosquitto()  # a broker, but no server behind it
    console = console_factory("counter-01", broker=broker)
    console.model.worker.timeout = 0.6  # keep the test short
    act(qtbot, console, lambda: console.model.signIn("petugas-01", "1234"))
    assert console.model.errorCode == "timeout"
    assert text(console, "signinError") == (
        "Server tidak dapat dihubungi: periksa jaringan lalu coba lagi")


def test_call_recall_start_complete(qtbot, server, console_factory, kiosk):
    console = opened(qtbot, console_factory("counter-01"))
    numbers = [kiosk.request("ticket.issue", {"service": "ktp"})["number"] for _ in range(2)]
    qtbot.waitUntil(lambda: text(console, "waiting-ktp") == "2", timeout=WAIT_MS)
    # call next: the first number, called
    act(qtbot, console, lambda: console.model.press("NEXT"))
    qtbot.waitUntil(lambda: text(console, "ticketNumber") == numbers[0], timeout=WAIT_MS)
    assert text(console, "ticketService") == "Layanan ktp"
    assert text(console, "ticketStatus") == "Dipanggil, menunggu warga datang"
    qtbot.waitUntil(lambda: text(console, "waiting-ktp") == "1", timeout=WAIT_MS)
    # recall: announced again
    act(qtbot, console, lambda: console.model.press("RECALL"))
    assert console.model.last_result["ticket"]["recalls"] == 1
    # start: serving
    act(qtbot, console, lambda: console.model.press("START"))
    qtbot.waitUntil(lambda: text(console, "ticketStatus") == "Sedang dilayani",
                    timeout=WAIT_MS)
    # complete: the counter is free, the figures count it
    act(qtbot, console, lambda: console.model.press("COMPLETE"))
    qtbot.waitUntil(lambda: console.model.ticketNumber == "", timeout=WAIT_MS)
    assert text(console, "ticketService") == "Belum ada nomor di loket"
    qtbot.waitUntil(lambda: text(console, "statServed") == "1", timeout=WAIT_MS)
    assert text(console, "statCalled") == "1"


def test_no_show_and_nobody_waiting(qtbot, server, console_factory, kiosk):
    console = opened(qtbot, console_factory("counter-01"))
    number = kiosk.request("ticket.issue", {"service": "kk"})["number"]
    act(qtbot, console, lambda: console.model.press("NEXT"))
    qtbot.waitUntil(lambda: console.model.ticketNumber == number, timeout=WAIT_MS)
    act(qtbot, console, lambda: console.model.press("NO_SHOW"))
    qtbot.waitUntil(lambda: console.model.ticketNumber == "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: text(console, "statNoShow") == "1", timeout=WAIT_MS)
    act(qtbot, console, lambda: console.model.press("NEXT"))
    assert text(console, "errorText") == "Tidak ada yang menunggu"


def test_transfer_keeps_the_number_and_moves_it(qtbot, server, console_factory, kiosk,
                                                client_factory):
    console = opened(qtbot, console_factory("counter-01"))
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    act(qtbot, console, lambda: console.model.press("NEXT"))
    qtbot.waitUntil(lambda: console.model.ticketNumber == number, timeout=WAIT_MS)
    targets = {t["id"] for t in console.model.transferTargets}
    assert "akta" in targets and "ktp" not in targets
    # WHEN transferred to akta, to the front
    act(qtbot, console, lambda: console.model.transfer("akta", True))
    result = console.model.last_result
    assert result["new_ticket"]["number"] == number
    assert result["new_ticket"]["service"] == "akta" and result["new_ticket"]["front"]
    qtbot.waitUntil(lambda: console.model.ticketNumber == "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: text(console, "statTransferred") == "1", timeout=WAIT_MS)
    # THEN loket-03 (serving akta) calls it, with the same number
    other = client_factory("counter-03", "counter")
    other.request("counter.open", {"counter": "loket-03"})
    called = other.request("counter.call_next", {"counter": "loket-03"})
    assert called["ticket"]["number"] == number and called["ticket"]["service"] == "akta"


def test_pause_with_reason_and_resume(qtbot, server, console_factory):
    console = opened(qtbot, console_factory("counter-01"))
    act(qtbot, console, lambda: console.model.pause("prayer"))
    qtbot.waitUntil(lambda: console.model.counterStatus == "paused", timeout=WAIT_MS)
    assert text(console, "counterStatus") == "Loket dijeda: Istirahat salat"
    assert text(console, "btnResumeLabel") == "Lanjutkan"
    assert not console.item("btnNext").property("active")
    act(qtbot, console, console.model.resume)
    qtbot.waitUntil(lambda: console.model.counterStatus == "open", timeout=WAIT_MS)
    assert text(console, "counterStatus") == "Loket buka"


def test_the_pause_dialog_offers_the_officers_reasons_by_number(qtbot, server,
                                                              console_factory):
    from PySide6.QtCore import Qt

    console = opened(qtbot, console_factory("counter-01", lang="en"))
    console.window.requestActivate()
    qtbot.waitUntil(console.window.isActive, timeout=WAIT_MS)
    # WHEN F7 opens the pause dialog
    qtbot.keyClick(console.window, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: visible(console, "pauseDialog"), timeout=WAIT_MS)
    # THEN it offers the op catalogue's officer reasons, numbered in order, and not "other"
    for number, reason in enumerate(OFFICER_PAUSE_REASONS, 1):
        assert str(console.item(f"pause-{reason}").property("shortcut")) == str(number)
    assert text(console, "pause-prayerLabel") == "Prayer break"
    with pytest.raises(LookupError):
        console.item("pause-other")
    # WHEN the officer presses 2
    with qtbot.waitSignal(console.model.acted, timeout=WAIT_MS):
        qtbot.keyClick(console.window, Qt.Key.Key_2)
    # THEN the counter pauses for prayer and the dialog closes
    qtbot.waitUntil(lambda: console.model.counterStatus == "paused", timeout=WAIT_MS)
    assert console.model.pauseReason == "prayer"
    assert not visible(console, "pauseDialog")


def test_pause_with_an_active_ticket_is_refused(qtbot, server, console_factory, kiosk):
    console = opened(qtbot, console_factory("counter-01", lang="en"))
    kiosk.request("ticket.issue", {"service": "ktp"})
    act(qtbot, console, lambda: console.model.press("NEXT"))
    act(qtbot, console, lambda: console.model.pause("break"))
    assert console.model.errorCode == "ticket_active"
    assert text(console, "errorText") == "Finish the current ticket first"
    assert visible(console, "messageBanner")
    # the language switch translates the message shown
    console.i18n.set_language("id")
    assert text(console, "errorText") == "Selesaikan nomor yang sedang dilayani dulu"


def test_a_counter_not_assigned_is_forbidden(qtbot, server, console_factory):
    console = signed_in(qtbot, console_factory("counter-01"))
    console.model.chooseCounter("loket-02")  # belongs to counter-02
    act(qtbot, console, lambda: console.model.press("NEXT"))
    assert console.model.errorCode == "forbidden"
    assert text(console, "errorText") == "Loket ini tidak terdaftar untuk perangkat ini"


def test_keypad_double_press_calls_next_once(qtbot, server, console_factory, kiosk):
    keypad = SimulatedKeypad("test-keypad")
    console = opened(qtbot, console_factory("counter-01", keypad=keypad))
    numbers = [kiosk.request("ticket.issue", {"service": "ktp"})["number"] for _ in range(3)]
    qtbot.waitUntil(lambda: keypad.is_open, timeout=WAIT_MS)
    answered: list[str] = []  # the op of every action answered, in order
    console.model.acted.connect(lambda op, _ok: answered.append(op))
    # WHEN a nervous officer presses NEXT twice, 0.3 s apart by the keypad's own stamps (so
    # the second comes after the first call is answered, the console no longer busy)
    at = time.monotonic()
    keypad.press(Button.NEXT, at=at)
    qtbot.waitUntil(lambda: answered == ["counter.call_next"], timeout=WAIT_MS)
    keypad.press(Button.NEXT, at=at + 0.3)
    # AND then RECALL: the reader hands presses on in order, so once RECALL is answered the
    # second NEXT has been judged (and, had it passed, would have been answered before it)
    keypad.press(Button.RECALL, at=at + 0.4)
    qtbot.waitUntil(lambda: len(answered) >= 2, timeout=WAIT_MS)
    # THEN the second NEXT was filtered: one call, then the recall of that same citizen
    assert answered == ["counter.call_next", "counter.recall"]
    qtbot.waitUntil(lambda: console.model.ticketNumber == numbers[0], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: console.model.stats.get("called") == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: text(console, "waiting-ktp") == "2", timeout=WAIT_MS)


def test_two_presses_while_one_is_in_flight_send_one_command(qtbot, server, console_factory,
                                                             kiosk):
    console = opened(qtbot, console_factory("counter-01"))
    for _ in range(2):
        kiosk.request("ticket.issue", {"service": "ktp"})
    assert console.model.press("NEXT")
    assert not console.model.press("NEXT")  # dropped: the first has not answered yet
    idle(qtbot, console)
    qtbot.waitUntil(lambda: console.model.stats.get("called") == 1, timeout=WAIT_MS)


def test_keypad_transfer_opens_the_chooser(qtbot, server, console_factory, kiosk):
    keypad = SimulatedKeypad("test-keypad")
    console = opened(qtbot, console_factory("counter-01", keypad=keypad))
    kiosk.request("ticket.issue", {"service": "ktp"})
    act(qtbot, console, lambda: console.model.press("NEXT"))
    qtbot.waitUntil(lambda: console.model.ticketNumber != "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: keypad.is_open, timeout=WAIT_MS)
    keypad.press(Button.TRANSFER)
    qtbot.waitUntil(lambda: visible(console, "transferDialog"), timeout=WAIT_MS)


def test_two_consoles_never_call_the_same_citizen(qtbot, server, console_factory, kiosk,
                                                  client_factory):
    first = opened(qtbot, console_factory("counter-01"))
    second = console_factory("counter-03")
    qtbot.waitUntil(lambda: second.bridge.online, timeout=WAIT_MS)
    act(qtbot, second, lambda: second.model.signIn("petugas-02", "1234"))
    act(qtbot, second, second.model.resume)
    gc.collect()  # garbage of earlier tests must not count as a drop
    trues = sys.getrefcount(True)
    for _ in range(100):
        kiosk.request("ticket.issue", {"service": "ktp"})
        kiosk.request("ticket.issue", {"service": "ktp"})
        # WHEN both press call next at the same moment
        assert first.model.press("NEXT") and second.model.press("NEXT")
        qtbot.waitUntil(lambda: not first.model.busy and not second.model.busy,
                        timeout=WAIT_MS)
        a, b = first.model.last_result["ticket"], second.model.last_result["ticket"]
        # THEN each calls a different citizen
        assert a["number"] != b["number"] and a["id"] != b["id"]
    # and thousands of signals later `True` still has its references (PySide6 6.12.0 drops
    # one per Signal.emit(): pyproject.toml keeps us off PySide6 6.12.0 for that)
    assert sys.getrefcount(True) > trues - 500


def test_a_restarted_console_shows_the_truth_at_once(qtbot, server, console_factory, kiosk,
                                                     client_factory):
    counter = client_factory("counter-01", "counter")
    counter.request("counter.open", {"counter": "loket-01"})
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    counter.request("counter.call_next", {"counter": "loket-01"})
    counter.request("counter.start", {"counter": "loket-01"})
    console = signed_in(qtbot, console_factory("counter-01"))
    qtbot.waitUntil(lambda: text(console, "ticketNumber") == number, timeout=WAIT_MS)
    assert console.model.ticketStatus == "serving"


def test_f1_shortcut_calls_next(qtbot, server, console_factory, kiosk):
    from PySide6.QtCore import Qt

    console = opened(qtbot, console_factory("counter-01"))
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    console.window.requestActivate()
    qtbot.waitUntil(console.window.isActive, timeout=WAIT_MS)
    with qtbot.waitSignal(console.model.acted, timeout=WAIT_MS):
        qtbot.keyClick(console.window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: console.model.ticketNumber == number, timeout=WAIT_MS)
    assert "F1" in [str(console.item("btnNext").property("shortcut"))]


def click(qtbot, console: StaffConsole, name: str) -> None:
    """A mouse click in the middle of a QML item, as an officer would: on the screen as he
    sees it, laid out (as Kiosk.click does). A positioner (the transfer dialog's Flow)
    places buttons it has just rebuilt at its next polish, before the next frame; a click
    earlier went to the button made last, all of them still at the Flow's corner."""
    from PySide6.QtCore import QPointF, Qt

    for _ in range(2):  # children size parents and parents place children
        stack = [console.window.contentItem()]
        while stack:
            node = stack.pop()
            node.ensurePolished()
            stack.extend(node.childItems())
    item = console.item(name)
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    qtbot.mouseClick(console.window, Qt.MouseButton.LeftButton, pos=centre)


def test_on_screen_pin_pad_and_buttons(qtbot, server, console_factory, kiosk):
    console = console_factory("counter-01")
    qtbot.waitUntil(lambda: console.bridge.online, timeout=WAIT_MS)
    console.item("officerInput").setProperty("text", "petugas-01")
    for digit in "12345":
        click(qtbot, console, f"pin-{digit}")
    click(qtbot, console, "pin-⌫")
    assert console.item("pinInput").property("text") == "1234"
    click(qtbot, console, "signinButton")
    qtbot.waitUntil(lambda: console.model.screen == "main", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: console.model.counterStatus == "closed", timeout=WAIT_MS)
    idle(qtbot, console)  # the buttons are greyed while an answer is awaited
    click(qtbot, console, "btnResume")  # "Buka loket"
    qtbot.waitUntil(lambda: console.model.counterStatus == "open", timeout=WAIT_MS)
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    idle(qtbot, console)  # the state can say "open" before the answer to "open" is in
    click(qtbot, console, "btnNext")
    qtbot.waitUntil(lambda: console.model.ticketNumber == number, timeout=WAIT_MS)
    idle(qtbot, console)
    click(qtbot, console, "btnTransfer")
    assert visible(console, "transferDialog")
    click(qtbot, console, "frontToggle")
    click(qtbot, console, "transfer-kk")
    qtbot.waitUntil(lambda: console.model.ticketNumber == "", timeout=WAIT_MS)
    assert console.model.last_result["new_ticket"]["service"] == "kk"
    assert console.model.last_result["new_ticket"]["front"] is True
    # switch language from the top bar
    click(qtbot, console, "langButton")
    assert console.i18n.language == "en"
    assert text(console, "btnNextLabel") == "Call next"


def test_transfer_buttons_rebuilt_just_before_a_tap_still_take_it(
        qtbot, server, console_factory, kiosk):
    # GIVEN an officer with a called KTP citizen and the transfer dialog open
    console = opened(qtbot, console_factory("counter-01"))
    number = kiosk.request("ticket.issue", {"service": "ktp"})["number"]
    act(qtbot, console, lambda: console.model.press("NEXT"))
    qtbot.waitUntil(lambda: console.model.ticketNumber == number, timeout=WAIT_MS)
    idle(qtbot, console)
    click(qtbot, console, "btnTransfer")
    assert visible(console, "transferDialog")
    # WHEN its buttons are made anew (their names change language), with no frame
    # drawn since, and the officer taps KK
    console.model.set_language("en")
    click(qtbot, console, "transfer-kk")
    # THEN KK it is (a click before the Flow's layout went to "pindah", the last made)
    qtbot.waitUntil(lambda: console.model.ticketNumber == "", timeout=WAIT_MS)
    assert console.model.last_result["new_ticket"]["service"] == "kk"


def test_console_catalogs_are_complete():
    import xml.etree.ElementTree as ET

    from counter_display.catalogs import TS_DIR
    from qtkit.i18n import LANGUAGES

    sources = None
    for lang in LANGUAGES:
        root = ET.parse(TS_DIR / f"console_{lang}.ts").getroot()
        found = {m.findtext("source"): m.find("translation") for m in root.iter("message")}
        assert all(t is not None and t.text and t.get("type") is None
                   for t in found.values()), lang
        assert sources is None or set(found) == sources
        sources = set(found)


def test_main_screenshot_of_the_signin_screen(qapp, mosquitto, site, server, tmp_path,
                                              monkeypatch):
    from counter_display.console.app import main
    from tests.support.picture import colour_count, load, pixels, share

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shot = tmp_path / "shot.png"
    keypad = tmp_path / "keypad.toml"
    keypad.write_text('type = "simulated"\n', encoding="utf-8")
    rc = main(["--site-id", site.site.id, *broker_args(mosquitto, "counter-02"),
               "--device", "counter-02", "--offscreen", "--size", "1024x768",
               "--keypad", str(keypad), "--screenshot", str(shot)])
    assert rc == 0
    image = load(shot)
    assert image.size == (1024, 768)
    assert colour_count(image) >= 100, "a blank window, not the sign-in screen"
    # THEN the sign-in screen in ConsoleScreen.qml's colours: the header band, the keypad's
    # keys with their white digits, the blue sign-in button, and the green "connected" dot
    assert share(image, "#0c0e11", (0.0, 0.0, 1.0, 0.07)) >= 0.5, "no header band"
    keypad = (0.6, 0.32, 0.93, 0.75)
    assert share(image, "#2b3340", keypad) >= 0.4, "no keypad"
    assert share(image, "#ffffff", keypad) >= 0.01, "keys without digits"
    assert share(image, "#2d6cdf", (0.08, 0.63, 0.45, 0.7)) >= 0.5, "no sign-in button"
    assert pixels(image, "#3cb371", (0.7, 0.0, 0.9, 0.07)) >= 30, "not shown as connected"
    assert (tmp_path / "cache" / "mpp-queue" / "qm" / "console_id.qm").exists()


def test_main_refuses_a_bad_keypad_profile(tmp_path, capsys):
    from counter_display.console.app import main

    bad = tmp_path / "keypad.toml"
    bad.write_text('type = "telepathy"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--site-id", "mpp-test", "--keypad", str(bad)])
    assert exit_info.value.code == 2
    assert "telepathy" in capsys.readouterr().err


def test_the_officer_sees_why_to_go_to_the_citizen(qtbot, server, console_factory, kiosk):
    console = opened(qtbot, console_factory("counter-01"))
    kiosk.request("ticket.issue", {"service": "ktp", "priority": "disabled", "assist": "voice"})
    kiosk.request("ticket.issue", {"service": "ktp"})
    act(qtbot, console, lambda: console.model.press("NEXT"))
    qtbot.waitUntil(lambda: visible(console, "ticketMarks"), timeout=WAIT_MS)
    assert text(console, "ticketMarks") == (
        "Panduan suara: hampiri warga  ·  Prioritas: penyandang disabilitas")
    act(qtbot, console, lambda: console.model.press("NEXT"))
    qtbot.waitUntil(lambda: not visible(console, "ticketMarks"), timeout=WAIT_MS)
