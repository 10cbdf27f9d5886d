"""Render a sample bilingual ticket through the simulated printer.

    .venv/bin/python scripts/render_ticket.py [OUT_DIR]

Writes ticket-80mm.png and ticket-58mm.png (default OUT_DIR: docs/screenshots). The bytes
go through the same path as on a kiosk: TicketLayout -> python-escpos -> ESC/POS bytes ->
the simulator, which parses them and draws the paper.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drivers.printer import TicketLayout, open_printer  # noqa: E402

SAMPLE = TicketLayout(
    mall_name="Mal Pelayanan Publik Kota Makassar",
    agency_name="Dinas Kependudukan dan Pencatatan Sipil",
    service_name="Perekaman & Pencetakan KTP-el",
    number="A-012",
    issued_at="Senin, 30 Nov 2026 09:41 WITA",
    ahead=3,
    wait_text="± 15 menit / about 15 min",
    qr_payload="https://antrean.mpp-makassar.go.id/t/7Q2M9KX4",
    footer_lines=(
        "Harap menunggu sampai nomor Anda dipanggil.",
        "Please wait until your number is called.",
        "Tiket berlaku hari ini saja / Valid today only",
    ),
)

ROLLS = {"80mm": "epson-tm-t20ii", "58mm": "pos-5890"}


def render(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for roll, profile in ROLLS.items():
        with tempfile.TemporaryDirectory() as tmp:
            config = {"type": "simulated", "profile": profile, "output_dir": tmp}
            with open_printer(config) as printer:
                printer.print_ticket(SAMPLE)
                sim = printer.simulator
                ticket = sim.tickets[-1] if sim.tickets else sim.tear_off()  # 58 mm: no cutter
            target = out_dir / f"ticket-{roll}.png"
            shutil.copyfile(ticket.png_path, target)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshots"
    for path in render(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
