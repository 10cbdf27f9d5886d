"""scripts/render_ticket.py renders both rolls through the simulator without clipping."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PIL import Image

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_ticket.py"


def test_render_ticket_writes_both_rolls(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("render_ticket", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths = module.render(tmp_path)
    assert [p.name for p in paths] == ["ticket-80mm.png", "ticket-58mm.png"]
    widths = []
    for path in paths:
        with Image.open(path) as image:
            widths.append(image.width)
            assert image.height > image.width
    assert widths == [576, 384]
