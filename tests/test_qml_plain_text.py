"""Every Text of every QML screen is plain text: a string from the wire (a running text, a
service or counter name, a ticket number) never renders as markup and never loads a remote
image (Text's default, AutoText, would for anything that looks like HTML). The wall's
running text is checked on screen in tests/counter_display/test_wall_hostile.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QML = sorted([*ROOT.glob("kiosk/qml/*.qml"), *ROOT.glob("counter_display/*/qml/*.qml"),
              *ROOT.glob("qtkit/qml/*.qml")])
TEXT_OPEN = re.compile(r"(?<![\w.])Text\s*\{")


def _blocks(source: str) -> list[str]:
    """The body of each `Text {` element, up to its closing brace."""
    bodies = []
    for match in TEXT_OPEN.finditer(source):
        depth, i = 1, match.end()
        while depth and i < len(source):
            depth += {"{": 1, "}": -1}.get(source[i], 0)
            i += 1
        bodies.append(source[match.end():i - 1])
    return bodies


def test_there_are_screens_to_check():
    assert len(QML) >= 10
    assert sum(len(_blocks(p.read_text(encoding="utf-8"))) for p in QML) >= 70


@pytest.mark.parametrize("path", QML, ids=[str(p.relative_to(ROOT)) for p in QML])
def test_every_text_is_plain_text(path: Path):
    source = path.read_text(encoding="utf-8")
    for body in _blocks(source):
        own, before = body, None
        while own != before:  # its own properties, not its children's
            own, before = re.sub(r"\{[^{}]*\}", "", own), own
        assert re.search(r"\btextFormat:\s*Text\.PlainText\b", own), body[:200]
    for forbidden in ("RichText", "StyledText", "MarkdownText", "Text.AutoText"):
        assert forbidden not in source
