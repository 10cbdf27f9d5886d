"""Text contrast measured on a window's screenshot (WCAG 2.1, 1.4.3 AA: 4.5:1).

For each text item shown, the scene tells where its glyphs are (the item's bounding rect
mapped to the window, cut by every clipping ancestor); the screenshot tells the rest:

- background: the commonest colour of a thin ring just outside that rect (what the text
  stands on, even where the glyphs cover most of the box);
- text colour: the commonest colour inside the rect once the background's colour is left
  out (the glyph cores; antialiased edges are spread over many colours, cores are one);
- that text colour must be the item's declared `color` (within a small tolerance), so
  what is measured is the text and not something drawn over it;
- the ratio is WCAG's (L1 + 0.05) / (L2 + 0.05) of the two measured colours.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from PIL import Image
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickItem, QQuickWindow

AA = 4.5
RING = 3  # px of background sampled around the text's rect
GAP = 2  # px left between the rect and the ring (antialiasing that spills over)
SAME = 40  # summed channel difference under which two colours count as one
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Measure:
    text: str
    declared: RGB
    measured: RGB | None  # None: no glyph pixel found
    background: RGB
    ratio: float

    @property
    def ok(self) -> bool:
        return self.measured is not None and _close(self.measured, self.declared) \
            and self.ratio >= AA

    def __str__(self) -> str:
        seen = _hex(self.measured) if self.measured else "nothing"
        return (f"{self.text[:40]!r}: {self.ratio:.2f}:1, text {seen} (declared "
                f"{_hex(self.declared)}) on {_hex(self.background)}")


def luminance(rgb: RGB) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def screenshot(window: QQuickWindow) -> Image.Image:
    """The window as drawn (the same grab docs/screenshots are saved from)."""
    image = window.grabWindow().convertToFormat(QImage.Format.Format_RGB888)
    return Image.frombytes("RGB", (image.width(), image.height()), bytes(image.constBits()),
                           "raw", "RGB", image.bytesPerLine())


def texts(window: QQuickWindow) -> list[tuple[QQuickItem, QRectF]]:
    """The text items shown, each with the scene rect its glyphs occupy (clipped)."""
    found: list[tuple[QQuickItem, QRectF]] = []
    stack: list[Any] = [window.contentItem()]
    while stack:
        item = stack.pop()
        if not item.isVisible() or item.opacity() <= 0:
            continue
        stack.extend(item.childItems())
        if item.metaObject().className() != "QQuickText" or not str(item.property("text")).strip():
            continue
        rect = _visible_rect(item, window)
        if rect.width() >= 1 and rect.height() >= 1:
            found.append((item, rect))
    return found


def _visible_rect(item: QQuickItem, window: QQuickWindow) -> QRectF:
    rect = item.mapRectToScene(item.boundingRect())
    ancestor = item.parentItem()
    while ancestor is not None:
        if ancestor.clip():
            rect = rect.intersected(ancestor.mapRectToScene(ancestor.boundingRect()))
        ancestor = ancestor.parentItem()
    return rect.intersected(QRectF(0, 0, window.width(), window.height()))


def measure(image: Image.Image, item: QQuickItem, rect: QRectF) -> Measure:
    colour = item.property("color")
    declared = (colour.red(), colour.green(), colour.blue())
    box = (int(rect.left()), int(rect.top()), int(rect.right() + 0.999),
           int(rect.bottom() + 0.999))
    background = _commonest(_ring(image, box))
    inside = Counter({rgb: n for rgb, n in _colours(image, box).items()
                      if not _close(rgb, background)})
    measured = _commonest(inside) if inside else None
    found = ratio(measured, background) if measured else 1.0
    return Measure(str(item.property("text")), declared, measured, background, found)


def failures(window: QQuickWindow) -> list[Measure]:
    image = screenshot(window)
    return [m for m in (measure(image, item, rect) for item, rect in texts(window))
            if not m.ok]


def _ring(image: Image.Image, box: tuple[int, int, int, int]) -> Counter[RGB]:
    """The colours of a band RING px wide, GAP px outside `box` (cut at the edges)."""
    width, height = image.size
    left, top, right, bottom = box[0] - GAP, box[1] - GAP, box[2] + GAP, box[3] + GAP
    o_left, o_top = max(0, left - RING), max(0, top - RING)
    o_right, o_bottom = min(width, right + RING), min(height, bottom + RING)
    found: Counter[RGB] = Counter()
    for strip in ((o_left, o_top, o_right, top), (o_left, bottom, o_right, o_bottom),
                  (o_left, top, left, bottom), (right, top, o_right, bottom)):
        found += _colours(image, strip)
    return found


def _colours(image: Image.Image, box: tuple[int, int, int, int]) -> Counter[RGB]:
    """Pixel counts by colour in `box` (Pillow counts them in C)."""
    left, top = max(0, box[0]), max(0, box[1])
    right, bottom = min(image.width, box[2]), min(image.height, box[3])
    if right <= left or bottom <= top:
        return Counter()
    part = image.crop((left, top, right, bottom))
    counted = part.getcolors(maxcolors=part.width * part.height) or []
    return Counter({rgb: n for n, rgb in counted})


def _commonest(colours: Counter[RGB]) -> RGB:
    return colours.most_common(1)[0][0]


def _close(a: RGB, b: RGB) -> bool:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) <= SAME


def _hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)
