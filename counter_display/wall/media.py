"""Public-information images for the wall (`--media DIR`): the supervisor drops pictures
(posters, service requirements, opening hours) in a folder and the wall rotates them, one
every few seconds, in name order. Files added or removed are picked up without a restart
(a directory watcher, plus a slow rescan because watchers miss some network shares).

Images only: video needs QtMultimedia, which PySide6-Essentials does not ship; video files
in the folder are ignored (logged once)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Property, QFileSystemWatcher, QObject, QTimer, QUrl, Signal, Slot

log = logging.getLogger("mpp.display.wall.media")

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".svg"})
VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mkv", ".mov", ".avi"})
RESCAN_MS = 3000


def stamp(path: Path) -> tuple[int, int]:
    """(mtime ns, size): changes when a file is rewritten or still being copied."""
    try:
        st = path.stat()
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def media_files(folder: Path | None) -> list[Path]:
    """The images of `folder` in name order (case-insensitive): hidden files and files
    still being copied (`.part`, `.tmp`, `~`) are left out. A missing folder is empty."""
    if folder is None:
        return []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    files = [p for p in entries if p.suffix.lower() in IMAGE_SUFFIXES
             and not p.name.startswith(".") and p.is_file()]
    return sorted(files, key=lambda p: (p.name.casefold(), p.name))


def video_files(folder: Path | None) -> list[Path]:
    if folder is None:
        return []
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES)
    except OSError:
        return []


def next_index(files: list[Path], shown: Path | None) -> int:
    """Where rotation goes after `shown`: the next name (so a deleted or newly added file
    does not restart the cycle), wrapping round."""
    if not files:
        return -1
    if shown is None:
        return 0
    later = [i for i, p in enumerate(files) if (p.name.casefold(), p.name)
             > (shown.name.casefold(), shown.name)]
    return later[0] if later else 0


class MediaRotator(QObject):
    """`source` (a file URL, "" when there is nothing to show) for the QML panel; `count`
    images found. `advance()` moves on (the timer calls it every `seconds`)."""

    changed = Signal()

    def __init__(self, folder: str | Path | None, seconds: float = 10.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder) if folder else None
        self.files: list[Path] = []
        self.shown: Path | None = None
        self._stamp = (0, 0)  # of the shown file: part of the URL, so a rewrite reloads
        self.shows = 0  # images shown so far (tests)
        self._warned_video = False
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self.rescan)
        self._rotate = QTimer(self)
        self._rotate.setInterval(max(1000, int(seconds * 1000)))
        self._rotate.timeout.connect(self.advance)
        self._rescan = QTimer(self)
        self._rescan.setInterval(RESCAN_MS)
        self._rescan.timeout.connect(self.rescan)
        self.rescan()
        if self.folder is not None:
            self._rotate.start()
            self._rescan.start()

    def stop(self) -> None:
        self._rotate.stop()
        self._rescan.stop()

    @Slot()
    @Slot(str)
    def rescan(self, _path: str = "") -> None:
        if self.folder is None:
            return
        if self.folder.is_dir() and str(self.folder) not in self._watcher.directories():
            self._watcher.addPath(str(self.folder))  # also once the folder is created
        files = media_files(self.folder)
        if video_files(self.folder) and not self._warned_video:
            self._warned_video = True
            log.warning("%s: video files are not shown (images only: QtMultimedia is not "
                        "installed)", self.folder)
        same_stamp = self.shown is None or stamp(self.shown) == self._stamp
        if files == self.files and (self.shown is None or self.shown in files) and same_stamp:
            return
        self.files = files
        if self.shown not in files:
            self._show(files[next_index(files, self.shown)] if files else None)
        elif self.shown is not None:
            self._stamp = stamp(self.shown)  # rewritten (or copied in several writes)
        self.changed.emit()

    @Slot()
    def advance(self) -> None:
        if self.files:
            self._show(self.files[next_index(self.files, self.shown)])
            self.changed.emit()

    def _show(self, path: Path | None) -> None:
        self.shown = path
        if path is not None:
            self.shows += 1
            self._stamp = stamp(path)

    def _get_source(self) -> str:
        if self.shown is None:
            return ""
        url = QUrl.fromLocalFile(str(self.shown))
        url.setFragment(f"{self._stamp[0]}-{self._stamp[1]}")  # a new file: a new URL
        return url.toString()

    def _get_count(self) -> int:
        return len(self.files)

    source = Property(str, _get_source, notify=changed)
    count = Property(int, _get_count, notify=changed)
