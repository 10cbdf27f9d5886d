"""A window as a screen reader sees it (Qt Accessibility, QAccessible): the tree of
accessible elements with their role, name and description, pressing one by its role and
name, and the interactive items (enabled mouse areas) that have no accessible name.

No QAccessibleInterface is kept past the call that asked for it: Qt deletes an interface
with its item (a page the Loader replaced), and PySide, which keeps its wrappers by
address, would then hand that stale wrapper out for a new item born at the same address.
A Node is plain data; `press()` finds its element again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtQuick import QQuickItem, QQuickWindow

Role = QAccessible.Role
NAMED_ROLES = (Role.Button, Role.CheckBox, Role.RadioButton, Role.ComboBox)


@dataclass(frozen=True)
class Node:
    role: QAccessible.Role
    name: str
    description: str
    enabled: bool
    checked: bool
    window: QQuickWindow

    def press(self) -> None:
        """What a screen reader does on a double tap: the element's press action."""
        # only the one interface is held while the press may replace the page
        target = next((i for i in _interfaces(self.window) if i.role() == self.role
                       and i.text(QAccessible.Text.Name) == self.name), None)
        if target is None:
            raise LookupError(f"{self.name!r} is no longer shown")
        actions = target.actionInterface()
        assert actions is not None, f"{self.name!r} has no actions"
        del target
        actions.doAction(QAccessibleActionInterface.pressAction())


def _interfaces(window: QQuickWindow) -> list[QAccessibleInterface]:
    """The interfaces of every accessible element shown, depth first (use them at once)."""
    found: list[QAccessibleInterface] = []
    stack = [QAccessible.queryAccessibleInterface(window)]
    while stack:
        iface = stack.pop()
        if iface is None or not iface.isValid() or iface.state().invisible:
            continue
        found.append(iface)
        stack.extend(iface.child(i) for i in reversed(range(iface.childCount())))
    return found


def nodes(window: QQuickWindow) -> list[Node]:
    """Every accessible element shown in `window`, depth first."""
    return [Node(iface.role(), iface.text(QAccessible.Text.Name),
                 iface.text(QAccessible.Text.Description), not iface.state().disabled,
                 bool(iface.state().checked), window)
            for iface in _interfaces(window)]


def buttons(window: QQuickWindow) -> dict[str, Node]:
    """The window's buttons by accessible name."""
    return {n.name: n for n in nodes(window) if n.role == Role.Button}


def find(window: QQuickWindow, role: QAccessible.Role, name: str) -> Node:
    for node in nodes(window):
        if node.role == role and node.name == name:
            return node
    shown = sorted((n.role.name, n.name) for n in nodes(window) if n.role in NAMED_ROLES)
    raise LookupError(f"no {role.name} named {name!r}; the window has {shown}")


def _shown(item: QQuickItem) -> bool:
    return item.isVisible() and item.isEnabled() and item.width() > 0 and item.height() > 0


def unnamed_interactive(window: QQuickWindow) -> list[str]:
    """Interactive items (enabled, visible mouse areas) that no accessible element with a
    name and a role a screen reader can press covers: the area itself or an ancestor."""
    missing: list[str] = []
    stack: list[Any] = [window.contentItem()]
    while stack:
        item = stack.pop()
        stack.extend(item.childItems())
        if item.metaObject().className() != "QQuickMouseArea" or not _shown(item):
            continue
        if not _named_ancestor(item):
            owner = item.parentItem()
            missing.append(f"{owner.metaObject().className()} "
                           f"{owner.objectName() or '(no objectName)'}")
    return sorted(missing)


def _named_ancestor(item: QQuickItem | None) -> bool:
    while item is not None:
        if _named(QAccessible.queryAccessibleInterface(item)):
            return True
        item = item.parentItem()
    return False


def _named(iface: QAccessibleInterface | None) -> bool:
    return iface is not None and iface.role() in NAMED_ROLES \
        and bool(iface.text(QAccessible.Text.Name).strip())
