"""Printer side of the kiosk: the --printer option, the ticket layout, the on-screen QR.

No Qt here; everything runs on the kiosk's worker thread."""

from __future__ import annotations

import base64
import io
import json
import math
import tomllib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # drivers.printer loads when first used: kept off the start path
    from drivers.printer import PrinterConfig, TicketLayout

ZONE_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}  # Indonesian time zones by UTC offset (hours)
COPY_MARK = "SALINAN / COPY"  # atop the one reprint of a ticket whose print failed


def printer_config(spec: str, tickets_dir: Path | None) -> PrinterConfig:
    """`--printer`: "simulated" or the path of a TOML/JSON file holding the driver's
    config (a `[printer]` table or the keys at top level). A simulated printer renders
    each cut ticket as a PNG into `tickets_dir` (when given)."""
    from drivers.printer import PrinterConfig, PrinterConfigError

    if spec == "simulated":
        data: dict[str, Any] = {"type": "simulated"}
    else:
        path = Path(spec)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise PrinterConfigError(f"printer config {path}: {err.strerror}") from err
        try:
            data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except (ValueError, tomllib.TOMLDecodeError) as err:
            raise PrinterConfigError(f"printer config {path}: {err}") from err
        if isinstance(data.get("printer"), dict):
            data = data["printer"]
    if data.get("type") == "simulated" and tickets_dir is not None and "output_dir" not in data:
        tickets_dir.mkdir(parents=True, exist_ok=True)
        data = {**data, "output_dir": str(tickets_dir)}
    return PrinterConfig.from_mapping(data)


def wait_minutes(seconds: Any) -> int:
    try:
        return max(0, math.ceil(float(seconds) / 60))
    except (TypeError, ValueError):
        return 0


def wait_text(seconds: Any) -> str:
    minutes = wait_minutes(seconds)
    if minutes == 0:
        return "segera / soon"
    return f"± {minutes} menit / about {minutes} min"


def issued_text(iso: str) -> str:
    """'2026-11-30T09:41:02.051+08:00' -> '30/11/2026 09:41 WITA'."""
    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso or "")
    offset = when.utcoffset()
    zone = ZONE_NAMES.get(int(offset.total_seconds() // 3600)) if offset is not None else None
    return when.strftime("%d/%m/%Y %H:%M") + (f" {zone}" if zone else "")


def slot_time(iso: Any) -> str:
    """An appointment slot '2026-11-30T10:00:00+08:00' -> '10:00' ("" when absent)."""
    try:
        return datetime.fromisoformat(str(iso)).strftime("%H:%M")
    except ValueError:
        return ""


def qr_payload(ticket: dict[str, Any]) -> str:
    """What the ticket's QR carries: the ticket's own page (the reply's `url`: its status,
    then the survey), whose key only this reply and this paper hold; never personal data.
    A server that serves no pages sends no url: then the ticket id, which opens nothing."""
    return str(ticket.get("url") or ticket.get("id") or ticket.get("number") or "")


def ticket_layout(ticket: dict[str, Any], *, mall: str, agency: str, service: str,
                  counters: list[str], copy: bool = False) -> TicketLayout:
    from drivers.printer import TicketLayout

    footer = ["Harap menunggu nomor Anda dipanggil", "Please wait until your number is called"]
    if counters:
        footer.insert(0, "Loket / Counter: " + ", ".join(counters))
    if slot := slot_time(ticket.get("appointment_slot")):
        footer.insert(0, f"Janji temu / Appointment: {slot}")
    return TicketLayout(
        mall_name=mall, agency_name=agency, service_name=service,
        number=str(ticket.get("number", "")),
        issued_at=issued_text(str(ticket.get("issued_at", ""))),
        ahead=int(ticket.get("ahead") or 0),
        wait_text=wait_text(ticket.get("est_wait_s")),
        qr_payload=qr_payload(ticket),
        footer_lines=tuple(footer),
        copy_mark=COPY_MARK if copy else "",
    )


def qr_data_url(payload: str, box: int = 10) -> str:
    """A PNG data URL of the QR code of `payload`, for the on-screen fallback."""
    if not payload:
        return ""
    import qrcode  # type: ignore[import-untyped]  # python-escpos's own dependency; imported only when a QR is drawn

    qr = qrcode.QRCode(border=2, box_size=box)
    qr.add_data(payload)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
