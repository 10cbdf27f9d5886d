"""The kiosk's screens and how one leads to the next: an Enum, named sets and one
transition table. Pure: no Qt, no MQTT (KioskModel applies it).

    welcome -> agencies -> services -> priority -> printing -> result (or error)

A scanned appointment goes from any screen but printing to printing, then to result or
to refused (a refused scan goes straight there); result and refused go back to welcome
by themselves, every other screen but welcome after a while without a touch."""

from __future__ import annotations

from enum import StrEnum


class Screen(StrEnum):
    WELCOME = "welcome"
    AGENCIES = "agencies"
    SERVICES = "services"
    PRIORITY = "priority"
    PRINTING = "printing"  # a transaction (request, then print) is in flight
    RESULT = "result"
    ERROR = "error"  # a walk-in ticket refused or unanswered: no number taken
    REFUSED = "refused"  # a scan or a check-in refused


class Action(StrEnum):
    START = "start"  # the start button (several agencies)
    CHOOSE_AGENCY = "choose_agency"  # an agency, or the start button with only one
    CHOOSE_SERVICE = "choose_service"
    ISSUE = "issue"  # a priority chosen: the ticket is requested
    SCAN = "scan"  # an appointment code scanned: it is checked in
    REFUSE = "refuse"  # a scan refused before anything is sent
    ISSUED = "issued"  # the answer is a ticket
    ISSUE_FAILED = "issue_failed"
    CHECKIN_FAILED = "checkin_failed"
    BACK = "back"
    HOME = "home"  # the home and done buttons, and the timeouts


ALL = frozenset(Screen)
INTERRUPTIBLE = ALL - {Screen.PRINTING}  # a transaction in flight is never left
NAVIGABLE = frozenset({Screen.AGENCIES, Screen.SERVICES, Screen.PRIORITY, Screen.ERROR})
# the idle countdown runs on every screen but these (welcome waits, printing ends by the
# answer, refused has its own shorter timeout)
UNTIMED = frozenset({Screen.WELCOME, Screen.PRINTING, Screen.REFUSED})


def _all_to(screens: frozenset[Screen], target: Screen) -> dict[Screen, Screen]:
    return dict.fromkeys(screens, target)


# action -> {from: to}; an action from a screen not listed does nothing
TRANSITIONS: dict[Action, dict[Screen, Screen]] = {
    Action.START: {Screen.WELCOME: Screen.AGENCIES},
    Action.CHOOSE_AGENCY: _all_to(frozenset({Screen.WELCOME, Screen.AGENCIES}),
                                  Screen.SERVICES),
    Action.CHOOSE_SERVICE: {Screen.SERVICES: Screen.PRIORITY},
    Action.ISSUE: {Screen.PRIORITY: Screen.PRINTING},
    Action.SCAN: _all_to(INTERRUPTIBLE, Screen.PRINTING),
    Action.REFUSE: _all_to(INTERRUPTIBLE, Screen.REFUSED),
    Action.ISSUED: {Screen.PRINTING: Screen.RESULT},
    Action.ISSUE_FAILED: {Screen.PRINTING: Screen.ERROR},
    Action.CHECKIN_FAILED: {Screen.PRINTING: Screen.REFUSED},
    Action.BACK: {
        Screen.AGENCIES: Screen.WELCOME,
        Screen.SERVICES: Screen.AGENCIES,  # welcome when there is only one agency (HOME)
        Screen.PRIORITY: Screen.SERVICES,
        Screen.ERROR: Screen.SERVICES,  # choose again
        Screen.RESULT: Screen.WELCOME,
        Screen.REFUSED: Screen.WELCOME,
    },
    Action.HOME: _all_to(INTERRUPTIBLE, Screen.WELCOME),
}


def next_screen(current: Screen, action: Action) -> Screen | None:
    """The screen `action` leads to from `current`; None where it does nothing."""
    return TRANSITIONS[action].get(current)
