"""The hall wall display: calls of one zone, large, with voice announcements."""

from counter_display.wall.announce import AplaySink, WallAnnouncer, default_sound, make_sink
from counter_display.wall.display import WallDisplay
from counter_display.wall.model import WallModel

__all__ = ["AplaySink", "WallAnnouncer", "WallDisplay", "WallModel", "default_sound",
           "make_sink"]
