"""What a screenshot shows, read from its pixels (Pillow): enough to tell a window that drew
its screen from a blank, black or single-colour one.

Regions are boxes in fractions of the picture, (left, top, right, bottom), so a check reads
the same at any window size; colours are "#rrggbb", the QML's own palette constants.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageColor

Box = tuple[float, float, float, float]
WHOLE: Box = (0.0, 0.0, 1.0, 1.0)
TOLERANCE = 6  # per channel: flat fills and glyph cores count, antialiased edges do not


def load(path: Path) -> Image.Image:
    return Image.open(path).convert("RGB")


def region(image: Image.Image, box: Box = WHOLE) -> Image.Image:
    width, height = image.size
    left, top, right, bottom = box
    return image.crop((round(left * width), round(top * height),
                       round(right * width), round(bottom * height)))


def colour_count(image: Image.Image, box: Box = WHOLE) -> int:
    """How many distinct colours: one for a blank window, hundreds once text is drawn."""
    part = region(image, box)
    return len(part.getcolors(maxcolors=part.width * part.height) or [])


def pixels(image: Image.Image, colour: str, box: Box = WHOLE,
           tolerance: int = TOLERANCE) -> int:
    """How many pixels of `box` are within `tolerance` of `colour` on every channel."""
    target = ImageColor.getrgb(colour)
    part = region(image, box)
    counts = part.getcolors(maxcolors=part.width * part.height) or []
    return sum(n for n, rgb in counts
               if all(abs(a - b) <= tolerance for a, b in zip(rgb, target, strict=True)))


def share(image: Image.Image, colour: str, box: Box = WHOLE,
          tolerance: int = TOLERANCE) -> float:
    """The fraction of `box` painted in `colour` (see `pixels`)."""
    part = region(image, box)
    return pixels(image, colour, box, tolerance) / (part.width * part.height)
