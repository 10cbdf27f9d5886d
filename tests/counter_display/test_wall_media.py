"""The public-information panel (`--media DIR`): images of the folder in name order,
rotating; files added or removed picked up while the wall runs; the panel only when there
is something to show, and the call panel the same size with or without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage

from counter_display.wall.media import media_files, next_index
from tests.counter_display.wall_fixtures import (  # noqa: F401  (fixtures)
    wall_factory_fixture,
    zoned_site_fixture,
)

WAIT_MS = 10000


def image(path: Path, color: str = "#0d5c3a") -> Path:
    img = QImage(320, 180, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    assert img.save(str(path))
    return path


def test_media_files_are_the_folders_images_in_name_order(tmp_path: Path):
    for name in ("b-jadwal.PNG", "a-ktp.jpg", "C-pajak.svg", ".hidden.png", "copying.png.part",
                 "notes.txt", "video.mp4"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "folder.png").mkdir()
    files = media_files(tmp_path)
    assert [p.name for p in files] == ["a-ktp.jpg", "b-jadwal.PNG", "C-pajak.svg"]
    assert media_files(tmp_path / "missing") == [] == media_files(None)
    # rotation goes on by name: a file removed or added does not restart the cycle
    assert next_index(files, None) == 0
    assert next_index(files, files[0]) == 1
    assert next_index(files, files[2]) == 0
    assert next_index(files, tmp_path / "b-0.png") == 1  # gone: the next name after it
    assert next_index([], files[0]) == -1


def box(wall, name: str) -> tuple[float, float, float, float]:
    item = wall.item(name)
    return (float(item.property("x")), float(item.property("y")),
            float(item.property("width")), float(item.property("height")))


def test_the_panel_shows_images_as_they_come_and_go(qtbot, wall_factory, server, tmp_path: Path):
    folder = tmp_path / "media"
    plain = wall_factory("lantai-1", sound=False)
    wall = wall_factory("lantai-1", sound=False, device="display-02", media=folder,
                        media_seconds=1)
    qtbot.waitUntil(lambda: wall.bridge.online and plain.bridge.online, timeout=WAIT_MS)
    # no folder yet: no panel, the layout of a wall without media
    assert not wall.item("mediaBox").property("visible")
    assert box(wall, "servingBox") == box(plain, "servingBox")
    # WHEN the supervisor drops an image THEN the panel appears with it
    folder.mkdir()
    first = image(folder / "01-ktp.png")
    qtbot.waitUntil(lambda: bool(wall.item("mediaBox").property("visible")), timeout=WAIT_MS)
    picture = wall.item("mediaImage")
    qtbot.waitUntil(lambda: bool(picture.property("ready")), timeout=WAIT_MS)
    assert float(picture.property("paintedWidth")) > 100
    assert picture.property("source").toLocalFile() == str(first)
    # the call panel keeps its size (read from 15 m); the bottom row makes room
    assert box(wall, "callPanel") == box(plain, "callPanel")
    assert box(wall, "servingBox")[2] < box(plain, "servingBox")[2]
    media_box, waiting = box(wall, "mediaBox"), box(wall, "waitingBox")
    assert waiting[0] + waiting[2] <= media_box[0] <= wall.window.width() - media_box[2]
    # 16:9 as tall as the row, but never more than a third of the width
    assert media_box[2] == pytest.approx(min(media_box[3] * 16 / 9,
                                             wall.window.width() * 0.34))
    # WHEN a second one is added THEN they rotate, in name order
    second = image(folder / "02-jadwal.png", "#5c0d0d")
    qtbot.waitUntil(lambda: wall.media.count == 2, timeout=WAIT_MS)
    seen: list[str] = []

    def shown(path: Path) -> bool:
        current = wall.media.shown
        if current is not None and (not seen or seen[-1] != current.name):
            seen.append(current.name)
        return current == path

    qtbot.waitUntil(lambda: shown(second), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown(first), timeout=WAIT_MS)
    assert seen[-2:] == ["02-jadwal.png", "01-ktp.png"]
    # WHEN the images are removed THEN the panel goes and the layout is back
    os.unlink(first)
    os.unlink(second)
    qtbot.waitUntil(lambda: not wall.item("mediaBox").property("visible"), timeout=WAIT_MS)
    assert wall.media.source == "" and box(wall, "servingBox") == box(plain, "servingBox")


def test_the_wall_command_takes_media_and_screen_options():
    from counter_display.wall import app as wall_app

    args = wall_app.parser().parse_args(["--media", "/srv/mpp/media/lantai-1",
                                         "--media-seconds", "15", "--screen", "HDMI-2"])
    assert (args.media, args.media_seconds, args.screen) == ("/srv/mpp/media/lantai-1", 15.0,
                                                             "HDMI-2")


def test_an_image_replaced_under_the_same_name_is_shown_anew(qtbot, tmp_path: Path):
    from counter_display.wall.media import MediaRotator

    poster = image(tmp_path / "01-jadwal.png")
    rotator = MediaRotator(tmp_path, seconds=60)
    try:
        before = rotator.source
        assert QUrl(before).toLocalFile() == str(poster)
        # WHEN the supervisor saves a new version over it THEN the URL changes (QML reloads)
        big = QImage(640, 360, QImage.Format.Format_RGB32)
        big.fill(QColor("#5c0d0d"))
        assert big.save(str(poster))
        qtbot.waitUntil(lambda: rotator.source != before, timeout=WAIT_MS)
        assert QUrl(rotator.source).toLocalFile() == str(poster) and rotator.count == 1
    finally:
        rotator.stop()
