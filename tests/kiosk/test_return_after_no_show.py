"""A citizen who came back: the kiosk prints their number (the bytes decoded), the officer
marks them a no-show, and within the site's grace puts them back at the front from the
staff console, with the same number; after the grace the console says so. Real server
(on a manual clock), broker, kiosk and console, offscreen."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt

from drivers.printer import PrinterSimulator
from tests.counter_display.console_fixtures import console_factory_fixture  # noqa: F401
from tests.kiosk.test_kiosk_flow import WAIT_MS, to_priority
from tests.support.qml import text, visible


def click(qtbot, app, name: str) -> None:
    item = app.item(name)
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    qtbot.mouseClick(app.window, Qt.MouseButton.LeftButton, pos=centre)


def printed_number(qtbot, kiosk, simulator: PrinterSimulator, service: str) -> str:
    """A ticket from the kiosk, and its number as read back from the printed bytes."""
    before = len(simulator.tickets)
    to_priority(qtbot, kiosk, service)
    kiosk.click("priority-none")
    qtbot.waitUntil(lambda: len(simulator.tickets) == before + 1, timeout=WAIT_MS)
    lines = simulator.tickets[-1].lines
    number = lines[lines.index("Nomor Antrean / Queue Number") + 1]
    kiosk.click("doneButton")
    qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)
    return number


def officer_at(qtbot, console):
    qtbot.waitUntil(lambda: console.bridge.online, timeout=WAIT_MS)
    assert console.model.signIn("petugas-01", "1234")
    qtbot.waitUntil(lambda: console.model.counterStatus == "closed", timeout=WAIT_MS)
    assert console.model.resume()
    qtbot.waitUntil(lambda: console.model.counterStatus == "open" and not console.model.busy,
                    timeout=WAIT_MS)
    return console


def press(qtbot, console, button: str) -> None:
    with qtbot.waitSignal(console.model.acted, timeout=WAIT_MS):
        click(qtbot, console, button)


def test_a_no_show_back_within_the_grace_is_called_next_with_the_printed_number(
        qtbot, server, clock, kiosk_factory, console_factory, simulator):
    kiosk = kiosk_factory()
    first = printed_number(qtbot, kiosk, simulator, "kk")
    second = printed_number(qtbot, kiosk, simulator, "kk")
    assert (first, second) == ("B-001", "B-002")
    console = officer_at(qtbot, console_factory("counter-01"))
    # GIVEN the first is called and does not come
    press(qtbot, console, "btnNext")
    qtbot.waitUntil(lambda: console.model.ticketNumber == first, timeout=WAIT_MS)
    press(qtbot, console, "btnNoShow")
    # THEN the console counts one who may come back
    qtbot.waitUntil(lambda: [t["number"] for t in console.model.returnable] == [first],
                    timeout=WAIT_MS)
    assert text(console, "returnButtonLabel") == "↩ Kembali (1)"
    # WHEN the citizen comes back with the paper 10 minutes later
    clock.advance(10 * 60)
    console.model.refreshReturnable()
    qtbot.waitUntil(lambda: console.model.returnable[0]["leftMin"] == 5, timeout=WAIT_MS)
    click(qtbot, console, "returnButton")
    assert visible(console, "returnDialog")
    assert text(console, f"return-{first}Label").endswith("sisa 5 menit")
    press(qtbot, console, f"return-{first}")
    # THEN the ticket waits at the front, same number, and the console says so
    assert not visible(console, "returnDialog")
    assert text(console, "errorText") == f"{first} kembali ke antrean paling depan"
    back = console.model.last_result
    assert back["ticket"]["number"] == first and back["ahead"] == 0
    qtbot.waitUntil(lambda: console.model.returnable == [], timeout=WAIT_MS)
    # AND the next call is them, before the second who waited all along
    press(qtbot, console, "btnNext")
    qtbot.waitUntil(lambda: console.model.ticketNumber == first, timeout=WAIT_MS)
    press(qtbot, console, "btnNext")
    qtbot.waitUntil(lambda: console.model.ticketNumber == second, timeout=WAIT_MS)


def test_a_no_show_back_after_the_grace_is_refused_on_the_console(
        qtbot, server, clock, kiosk_factory, console_factory, simulator):
    kiosk = kiosk_factory()
    number = printed_number(qtbot, kiosk, simulator, "ktp")
    console = officer_at(qtbot, console_factory("counter-01"))
    press(qtbot, console, "btnNext")
    qtbot.waitUntil(lambda: console.model.ticketNumber == number, timeout=WAIT_MS)
    gone = console.model.last_result["ticket"]["id"]
    press(qtbot, console, "btnNoShow")
    qtbot.waitUntil(lambda: len(console.model.returnable) == 1, timeout=WAIT_MS)
    # WHEN the citizen comes back 16 minutes later (the site's grace is 15)
    clock.advance(16 * 60)
    console.model.refreshReturnable()
    # THEN the console no longer offers them
    qtbot.waitUntil(lambda: console.model.returnable == [], timeout=WAIT_MS)
    assert text(console, "returnButtonLabel") == "↩ Kembali (0)"
    assert not console.item("returnButton").property("active")
    # AND asked anyway (a list from before the grace ran out), the server refuses with
    # grace_expired, the grace as a field, in the officer's words
    with qtbot.waitSignal(console.model.acted, timeout=WAIT_MS):
        assert console.model.returnTicket(gone)
    assert console.model.errorCode == "grace_expired" and console.model.errorSeconds == 15
    assert text(console, "errorText") == \
        "Terlambat kembali (lewat 15 menit): warga mengambil nomor baru"
    press(qtbot, console, "btnNext")
    assert text(console, "errorText") == "Tidak ada yang menunggu"
