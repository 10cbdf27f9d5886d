"""PressFilter (bounce, double press, clock steps) and the button -> command table."""

from __future__ import annotations

import pytest

from drivers.buttons import Button, NoDirectCommand, Press, PressFilter, Verdict, command_for

N, R, X, C = Button.NEXT, Button.RECALL, Button.NO_SHOW, Button.COMPLETE
A, B, P = Verdict.ACCEPTED, Verdict.BOUNCE, Verdict.REPEAT


def run(presses: list[tuple[Button, float]], **kwargs: float) -> list[Verdict]:
    press_filter = PressFilter(**kwargs)
    return [press_filter.feed(Press(button, at, "t")) for button, at in presses]


@pytest.mark.parametrize(
    ("presses", "expected"),
    [
        pytest.param([(N, 10.0)], [A], id="first press"),
        pytest.param([(N, 10.0), (N, 10.01), (N, 10.03)], [A, B, B], id="contact bounce"),
        pytest.param([(N, 10.0), (N, 10.6)], [A, P], id="double press within window"),
        pytest.param([(N, 10.0), (N, 11.49)], [A, P], id="just inside window"),
        pytest.param([(N, 10.0), (N, 11.5)], [A, A], id="window edge is a new press"),
        pytest.param([(N, 10.0), (N, 12.0)], [A, A], id="after window"),
        pytest.param([(N, 10.0), (R, 10.1), (X, 10.2), (C, 10.3)], [A, A, A, A], id="different"),
        pytest.param([(N, 10.0), (R, 10.01), (N, 10.02)], [A, A, B], id="interleaved"),
        pytest.param([(R, 10.0), (R, 10.5)], [A, P], id="recall double"),
        pytest.param([(X, 10.0), (X, 10.5)], [A, P], id="no-show double"),
        pytest.param([(C, 10.0), (C, 10.5)], [A, P], id="complete double"),
        pytest.param(
            [(N, 10.0), (N, 10.7), (N, 11.4), (N, 11.6)],
            [A, P, P, A],
            id="window counts from last accepted press",
        ),
        pytest.param(
            [(N, 10.0), (N, 10.6), (N, 10.63)],
            [A, P, B],
            id="bounce of a dropped repeat",
        ),
        pytest.param([(N, 10.0), (N, 5.0)], [A, A], id="clock stepped back"),
        pytest.param(
            [(N, 10.0), (N, 5.0), (N, 5.2), (N, 7.0)],
            [A, A, P, A],
            id="windows restart after a clock step",
        ),
        pytest.param([(N, 10.0), (N, 10.0)], [A, B], id="same timestamp"),
    ],
)
def test_filter_verdicts(presses: list[tuple[Button, float]], expected: list[Verdict]) -> None:
    # GIVEN a default filter WHEN these presses arrive THEN each gets its verdict
    assert run(presses) == expected


def test_filter_windows_are_configurable() -> None:
    assert run([(N, 0.0), (N, 0.15), (N, 0.4)], debounce_s=0.2, repeat_window_s=0.0) == [A, B, A]


def test_filter_rejects_negative_windows() -> None:
    with pytest.raises(ValueError, match="must be >= 0"):
        PressFilter(debounce_s=-1)


def test_filter_accept_and_reset() -> None:
    press_filter = PressFilter()
    assert press_filter.accept(Press(N, 1.0, "t"))
    assert not press_filter.accept(Press(N, 1.2, "t"))
    press_filter.reset()
    assert press_filter.accept(Press(N, 1.3, "t"))


@pytest.mark.parametrize(
    ("button", "op"),
    [
        (Button.NEXT, "counter.call_next"),
        (Button.RECALL, "counter.recall"),
        (Button.NO_SHOW, "counter.no_show"),
        (Button.COMPLETE, "counter.complete"),
        (Button.START, "counter.start"),
        (Button.PAUSE, "counter.pause"),
    ],
)
def test_command_for(button: Button, op: str) -> None:
    assert command_for(button, "counter-03") == (op, {"counter": "counter-03"})


def test_transfer_has_no_direct_command() -> None:
    # TRANSFER needs a target service, which the console's chooser supplies
    with pytest.raises(NoDirectCommand) as info:
        command_for(Button.TRANSFER, "counter-03")
    assert info.value.code == "keypad_no_direct_command"
