"""The counter staff console: officer sign-in, counter choice, call-next and the other
counter actions, the queues the counter serves and the officer's figures today."""

from counter_display.console.console import StaffConsole
from counter_display.console.model import ConsoleModel

__all__ = ["ConsoleModel", "StaffConsole"]
