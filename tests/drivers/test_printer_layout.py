"""Exact ticket bytes (python-escpos's Dummy) and the simulator reading them back."""

from __future__ import annotations

from dataclasses import replace

from drivers.printer import PrinterSimulator, RenderOptions, TicketLayout, ticket_bytes

LAYOUT = TicketLayout(
    mall_name="MPP Makassar",
    agency_name="Disdukcapil",
    service_name="KTP-el",
    number="A-012",
    issued_at="30/11/2026 09:41",
    ahead=3,
    wait_text="~15 menit",
    qr_payload="T-7Q2M9KX4",
    footer_lines=("Terima kasih", "Thank you"),
)
NATIVE_80 = RenderOptions(escpos_profile="TM-T20II", width_dots=576, native_qr=True)
IMAGE_58 = RenderOptions(escpos_profile="POS-5890", width_dots=384, native_qr=False)
RULE = b"-" * 48
NORMAL = b"\x1b!\x00" * 3  # python-escpos set(normal_textsize=True)

EXPECTED_NATIVE_80 = (
    b"\x1b@" + NORMAL + b"\x1bE\x01\x1ba\x01\x1bt\x00MPP Makassar\n"
    b"\x1bE\x00Disdukcapil\n\x1bE\x01KTP-el\n\x1bE\x00" + RULE + b"\n"
    b"Nomor Antrean / Queue Number\n"
    b"\x1d!\x33\x1bE\x01A-012\n" + NORMAL + b"\x1bE\x00"
    b"30/11/2026 09:41\n" + RULE + b"\n"
    b"Antrean di depan Anda / People ahead\n3\nPerkiraan tunggu / Estimated wait\n~15 menit\n\n"
    b"\x1d(k\x04\x001A2\x00\x1d(k\x03\x001C\x06\x1d(k\x03\x001E1"
    b"\x1d(k\x0d\x001P0T-7Q2M9KX4\x1d(k\x03\x001Q0\n"
    + NORMAL
    + b"\x1bE\x00\x1ba\x01Terima kasih\nThank you\n"
    b"\x1bd\x06\x1dV\x00"
)
EXPECTED_LINES = [
    "MPP Makassar",
    "Disdukcapil",
    "KTP-el",
    "-" * 48,
    "Nomor Antrean / Queue Number",
    "A-012",
    "30/11/2026 09:41",
    "-" * 48,
    "Antrean di depan Anda / People ahead",
    "3",
    "Perkiraan tunggu / Estimated wait",
    "~15 menit",
    "",
    "",
    "Terima kasih",
    "Thank you",
]


def test_native_qr_ticket_bytes_are_exact() -> None:
    # GIVEN an 80 mm Epson profile with native QR
    # WHEN the layout is built into bytes
    data = ticket_bytes(LAYOUT, NATIVE_80)
    # THEN they are exactly the python-escpos command stream we expect
    assert data == EXPECTED_NATIVE_80


def test_number_is_quad_size_and_qr_payload_is_stored_and_paper_is_cut() -> None:
    data = ticket_bytes(LAYOUT, NATIVE_80)
    assert b"\x1d!\x33\x1bE\x01A-012\n" in data  # GS ! 0x33: 4x width, 4x height
    assert b"\x1d(k\x0d\x001P0T-7Q2M9KX4" in data  # GS ( k fn 80: store the payload
    assert data.endswith(b"\x1dV\x00")  # GS V 0: full cut


def test_image_qr_fallback_sends_a_raster_and_no_native_qr() -> None:
    # GIVEN a 58 mm profile without native QR
    data = ticket_bytes(LAYOUT, IMAGE_58)
    # THEN the QR goes as a GS v 0 raster image and no GS ( k is sent
    assert b"\x1dv0" in data
    assert b"\x1d(k" not in data
    assert b"T-7Q2M9KX4" not in data


def test_simulator_reads_the_bytes_back() -> None:
    # GIVEN the exact bytes
    sim = PrinterSimulator(width_dots=576)
    # WHEN the simulator receives them in awkward chunks (splitting commands)
    data = ticket_bytes(LAYOUT, NATIVE_80)
    for i in range(0, len(data), 7):
        assert sim.receive(data[i : i + 7]) == b""
    # THEN it saw one cut ticket with the same text lines and QR payload
    assert len(sim.tickets) == 1
    ticket = sim.tickets[0]
    assert ticket.lines == EXPECTED_LINES
    assert ticket.qr_payloads == ["T-7Q2M9KX4"]
    assert ticket.data == data
    assert not ticket.overflow
    assert sim.unknown_commands == []
    number_runs = ticket.runs[EXPECTED_LINES.index("A-012")]
    assert [(r.width, r.height, r.bold) for r in number_runs] == [(4, 4, True)]


def test_simulator_renders_the_number_centred_and_the_qr_as_an_image() -> None:
    sim = PrinterSimulator(width_dots=576)
    sim.receive(ticket_bytes(LAYOUT, NATIVE_80))
    image = sim.tickets[0].image
    assert image.width == 576
    # the quad-size number: dark pixels spread symmetrically around the middle
    bbox = _dark_bbox_of_rows(image, _row_of_line(sim, "A-012"))
    left, right = bbox
    assert abs((left + right) / 2 - 288) <= 12
    assert right - left >= 4 * 12 * 4  # at least 4 characters of 48 dots


def test_image_qr_ticket_reads_back_without_payload_but_with_text() -> None:
    sim = PrinterSimulator(width_dots=384)
    sim.receive(ticket_bytes(LAYOUT, IMAGE_58))
    ticket = sim.tear_off()  # POS-5890 has no cutter: python-escpos sends no GS V
    assert ticket is not None
    assert "A-012" in ticket.lines
    assert ticket.qr_payloads == []  # an image, not a payload
    assert not ticket.overflow


def _row_of_line(sim: PrinterSimulator, text: str) -> tuple[int, int]:
    """The pixel rows of a printed line (recomputed from the simulator's line heights)."""
    from drivers.printer.render import CELL_H, DEFAULT_LINE_DOTS, MARGIN_DOTS

    y = MARGIN_DOTS
    ticket = sim.tickets[0]
    for line, runs in zip(ticket.lines, ticket.runs, strict=True):
        height = max((r.height for r in runs), default=1)
        dots = max(DEFAULT_LINE_DOTS, CELL_H * height + 6)
        if line == text:
            return y, y + dots
        y += dots
    raise AssertionError(text)


def _dark_bbox_of_rows(image, rows: tuple[int, int]) -> tuple[int, int]:
    band = image.crop((0, rows[0], image.width, rows[1])).point(lambda v: 255 if v < 128 else 0)
    box = band.getbbox()
    assert box is not None
    return box[0], box[2]


def test_a_copy_says_so_large_at_its_top_and_is_otherwise_the_same_ticket() -> None:
    # GIVEN the layout of a reprint
    copy = replace(LAYOUT, copy_mark="SALINAN / COPY")
    sim = PrinterSimulator(width_dots=576)
    # WHEN it is printed
    sim.receive(ticket_bytes(copy, NATIVE_80))
    # THEN its first line is the mark, double size and bold, then the same ticket
    ticket = sim.tickets[0]
    assert ticket.lines == ["SALINAN / COPY", *EXPECTED_LINES]
    assert [(r.width, r.height, r.bold) for r in ticket.runs[0]] == [(2, 2, True)]
    assert ticket.qr_payloads == ["T-7Q2M9KX4"]
    # AND a ticket without the mark prints no such line (the exact bytes above)
    assert b"SALINAN" not in ticket_bytes(LAYOUT, NATIVE_80)


def test_a_copy_mark_too_wide_for_double_size_prints_normal_size() -> None:
    sim = PrinterSimulator(width_dots=384)
    sim.receive(ticket_bytes(replace(LAYOUT, copy_mark="SALINAN TIKET / TICKET COPY"),
                             IMAGE_58))
    ticket = sim.tear_off()
    assert ticket is not None and ticket.lines[0] == "SALINAN TIKET / TICKET COPY"
    assert [(r.width, r.height) for r in ticket.runs[0]] == [(1, 1)]
    assert not ticket.overflow
