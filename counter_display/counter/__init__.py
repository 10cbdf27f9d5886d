"""The counter display: the screen above one counter."""

from counter_display.counter.display import CounterDisplay
from counter_display.counter.model import CounterModel

__all__ = ["CounterDisplay", "CounterModel"]
