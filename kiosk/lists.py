"""Qt list models the QML binds to (the agencies and an agency's services): one role per
key of the rows, read in a delegate as `model.<key>`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

FIRST_ROLE = int(Qt.ItemDataRole.UserRole)


class RowsModel(QAbstractListModel):
    """Rows of plain dicts with the keys given. `replace(rows)` updates the rows in place
    (dataChanged) while the ids and their order stay, so the delegates stay too; any other
    change resets the model."""

    countChanged = Signal()

    def __init__(self, keys: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = keys
        self._rows: list[dict[str, Any]] = []

    @property
    def rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def replace(self, rows: list[dict[str, Any]]) -> None:
        if [r.get("id") for r in rows] != [r.get("id") for r in self._rows]:
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
            self.countChanged.emit()
            return
        old, self._rows = self._rows, list(rows)
        for i, (before, after) in enumerate(zip(old, rows, strict=True)):
            if before != after:
                self.dataChanged.emit(self.index(i), self.index(i))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        return {FIRST_ROLE + i: QByteArray(key.encode()) for i, key in enumerate(self._keys)}

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        key = int(role) - FIRST_ROLE
        if not index.isValid() or not 0 <= key < len(self._keys) \
                or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()].get(self._keys[key])

    def _get_count(self) -> int:
        return len(self._rows)

    count = Property(int, _get_count, notify=countChanged)
