"""The kiosk's screen machine on its own: pure, no Qt, no broker."""

from __future__ import annotations

from kiosk.screens import (
    INTERRUPTIBLE,
    NAVIGABLE,
    TRANSITIONS,
    UNTIMED,
    Action,
    Screen,
    next_screen,
)


def walk(start: Screen, *actions: Action) -> list[Screen | None]:
    seen: list[Screen | None] = []
    screen: Screen | None = start
    for action in actions:
        screen = next_screen(screen, action) if screen is not None else None
        seen.append(screen)
    return seen


def test_a_walk_in_ticket_from_welcome_to_result_and_home():
    assert walk(Screen.WELCOME, Action.START, Action.CHOOSE_AGENCY, Action.CHOOSE_SERVICE,
                Action.ISSUE, Action.ISSUED, Action.HOME) == [
        Screen.AGENCIES, Screen.SERVICES, Screen.PRIORITY, Screen.PRINTING, Screen.RESULT,
        Screen.WELCOME]


def test_one_agency_goes_from_welcome_straight_to_its_services():
    assert next_screen(Screen.WELCOME, Action.CHOOSE_AGENCY) is Screen.SERVICES


def test_a_refused_ticket_shows_the_error_and_back_chooses_again():
    assert walk(Screen.PRIORITY, Action.ISSUE, Action.ISSUE_FAILED, Action.BACK) == [
        Screen.PRINTING, Screen.ERROR, Screen.SERVICES]


def test_a_scan_checks_in_from_any_screen_but_printing():
    for screen in INTERRUPTIBLE:
        assert next_screen(screen, Action.SCAN) is Screen.PRINTING
        assert next_screen(screen, Action.REFUSE) is Screen.REFUSED
    assert walk(Screen.SERVICES, Action.SCAN, Action.CHECKIN_FAILED, Action.HOME) == [
        Screen.PRINTING, Screen.REFUSED, Screen.WELCOME]


def test_a_transaction_in_flight_is_left_only_by_its_answer():
    leaving = {action for action, moves in TRANSITIONS.items() if Screen.PRINTING in moves}
    assert leaving == {Action.ISSUED, Action.ISSUE_FAILED, Action.CHECKIN_FAILED}
    for action in (Action.HOME, Action.BACK, Action.SCAN, Action.REFUSE):
        assert next_screen(Screen.PRINTING, action) is None


def test_answers_move_only_from_printing():
    for action in (Action.ISSUED, Action.ISSUE_FAILED, Action.CHECKIN_FAILED):
        assert set(TRANSITIONS[action]) == {Screen.PRINTING}


def test_back_goes_one_step_back_and_home_always_reaches_welcome():
    assert walk(Screen.PRIORITY, Action.BACK, Action.BACK, Action.BACK) == [
        Screen.SERVICES, Screen.AGENCIES, Screen.WELCOME]
    assert next_screen(Screen.WELCOME, Action.BACK) is None
    for screen in INTERRUPTIBLE:
        assert next_screen(screen, Action.HOME) is Screen.WELCOME


def test_choices_are_made_only_on_their_screens():
    assert next_screen(Screen.RESULT, Action.CHOOSE_AGENCY) is None
    assert next_screen(Screen.PRIORITY, Action.CHOOSE_SERVICE) is None
    assert next_screen(Screen.SERVICES, Action.ISSUE) is None
    assert next_screen(Screen.AGENCIES, Action.START) is None


def test_every_screen_is_reached_and_left():
    reached = {to for moves in TRANSITIONS.values() for to in moves.values()}
    left = {frm for moves in TRANSITIONS.values() for frm in moves}
    assert reached | {Screen.WELCOME} == set(Screen) == left


def test_named_sets():
    # the back and home buttons show where BACK leads somewhere a citizen chose from
    assert set(TRANSITIONS[Action.BACK]) >= NAVIGABLE
    assert Screen.WELCOME in UNTIMED and Screen.PRINTING in UNTIMED
    assert set(Screen) - {Screen.PRINTING} == INTERRUPTIBLE
