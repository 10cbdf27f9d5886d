"""Reading an app's QML items in tests, by objectName (every app has `item(name)`)."""

from __future__ import annotations

from typing import Any


def text(app: Any, name: str) -> str:
    """The item's text; LookupError when there is no such item."""
    return str(app.item(name).property("text"))


def text_or_empty(app: Any, name: str) -> str:
    """The item's text, "" while it does not exist (a Repeater has not made it yet)."""
    try:
        return text(app, name)
    except LookupError:
        return ""


def shown(app: Any, name: str) -> bool:
    """Whether the item is visible on screen (False when there is no such item)."""
    try:
        return bool(app.item(name).isVisible())
    except LookupError:
        return False


def visible(app: Any, name: str) -> bool:
    """The item's own `visible` property (not whether its parents show it)."""
    return bool(app.item(name).property("visible"))
