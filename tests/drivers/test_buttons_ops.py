"""A call button sends an op of the catalogue (protocol/ops.py) that a counter may use.

drivers/ imports nothing of ours, so the buttons spell their op names: this test holds
them to the catalogue."""

from __future__ import annotations

import json

import pytest

from drivers.buttons import KIOSK_BUTTONS, Button, NoDirectCommand, command_for
from queue_server.protocol.messages import ROLE_OPS, parse_command
from queue_server.protocol.ops import COUNTER


@pytest.mark.parametrize("button", [b for b in Button if b is not Button.TRANSFER
                                    and (b not in KIOSK_BUTTONS or b is Button.NEXT)],
                         ids=lambda b: b.name)
def test_a_button_sends_a_counter_op_with_valid_args(button: Button) -> None:
    op, args = command_for(button, "loket-01")
    assert op in ROLE_OPS[COUNTER]
    cmd = parse_command(json.dumps({"id": "k1", "op": op, "args": args}).encode())
    assert cmd.args == {"counter": "loket-01"}


def test_transfer_has_no_direct_command() -> None:
    with pytest.raises(NoDirectCommand):
        command_for(Button.TRANSFER, "loket-01")


@pytest.mark.parametrize("button", sorted(KIOSK_BUTTONS - {Button.NEXT}, key=lambda b: b.name),
                         ids=lambda b: b.name)
def test_a_kiosk_key_sends_no_counter_command(button: Button) -> None:
    with pytest.raises(NoDirectCommand, match="kiosk key"):
        command_for(button, "loket-01")
