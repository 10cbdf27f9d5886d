"""Topic names under mpp/v1/{site}, and the device id of a command topic."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from queue_server.protocol.topics import Topics, valid_device_id

T = Topics("mpp-makassar")
ROOT = "mpp/v1/mpp-makassar"


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(lambda t: t.root, ROOT, id="root"),
        pytest.param(lambda t: t.cmd("kiosk-01"), f"{ROOT}/cmd/kiosk-01", id="cmd"),
        pytest.param(lambda t: t.reply("kiosk-01"), f"{ROOT}/reply/kiosk-01", id="reply"),
        pytest.param(lambda t: t.device("counter-03"), f"{ROOT}/device/counter-03", id="device"),
        pytest.param(lambda t: t.cmd_all, f"{ROOT}/cmd/+", id="cmd-all"),
        pytest.param(lambda t: t.device_all, f"{ROOT}/device/+", id="device-all"),
        pytest.param(lambda t: t.server, f"{ROOT}/state/server", id="state-server"),
        pytest.param(lambda t: t.config, f"{ROOT}/state/config", id="state-config"),
        pytest.param(lambda t: t.calls, f"{ROOT}/state/calls", id="state-calls"),
        pytest.param(lambda t: t.message, f"{ROOT}/state/message", id="state-message"),
        pytest.param(lambda t: t.state_all, f"{ROOT}/state/#", id="state-all"),
        pytest.param(lambda t: t.queue("ktp-el"), f"{ROOT}/state/queue/ktp-el", id="queue"),
        pytest.param(lambda t: t.counter("loket-01"), f"{ROOT}/state/counter/loket-01",
                     id="counter"),
        pytest.param(lambda t: t.event(), f"{ROOT}/event/ticket", id="event-default-ticket"),
        pytest.param(lambda t: t.event("ticket"), f"{ROOT}/event/ticket", id="event-ticket"),
        pytest.param(lambda t: t.event_all, f"{ROOT}/event/#", id="event-all"),
    ],
)
def test_topic_builders(build: Callable[[Topics], str], expected: str) -> None:
    assert build(T) == expected


@pytest.mark.parametrize(
    "device_id",
    ["kiosk-01", "counter-03", "display-hall", "abc", "a" * 32, "123", "---"],
    ids=["kiosk", "counter", "display", "3-chars", "32-chars", "digits", "dashes"],
)
def test_device_id_of_own_cmd_topic(device_id: str) -> None:
    assert T.device_id_of_cmd(T.cmd(device_id)) == device_id
    assert valid_device_id(device_id)


@pytest.mark.parametrize(
    "topic",
    [
        pytest.param("mpp/v1/mpp-bali/cmd/kiosk-01", id="other-site"),
        pytest.param("mpp/v1/mpp-makassar-2/cmd/kiosk-01", id="site-with-our-prefix"),
        pytest.param("mpp/v2/mpp-makassar/cmd/kiosk-01", id="other-version"),
        pytest.param(f"{ROOT}/reply/kiosk-01", id="reply-topic"),
        pytest.param(f"{ROOT}/device/kiosk-01", id="device-topic"),
        pytest.param(f"{ROOT}/state/cmd/kiosk-01", id="cmd-not-directly-under-root"),
        pytest.param(f"/{ROOT}/cmd/kiosk-01", id="leading-slash"),
        pytest.param(f"{ROOT}/cmd", id="no-device-level"),
        pytest.param(f"{ROOT}/cmd/", id="empty-device"),
        pytest.param(f"{ROOT}/cmd/ab", id="too-short"),
        pytest.param(f"{ROOT}/cmd/{'a' * 33}", id="too-long"),
        pytest.param(f"{ROOT}/cmd/Kiosk-01", id="uppercase"),
        pytest.param(f"{ROOT}/cmd/kiosk/01", id="slash-extra-level"),
        pytest.param(f"{ROOT}/cmd/kiosk-01/", id="trailing-slash"),
        pytest.param(f"{ROOT}/cmd/kiosk_01", id="underscore"),
        pytest.param(f"{ROOT}/cmd/kiosk 01", id="space"),
        pytest.param(f"{ROOT}/cmd/kiosk-01\n", id="trailing-newline"),
        pytest.param(f"{ROOT}/cmd/kios\u212a-01", id="unicode-kelvin-k"),
        pytest.param(f"{ROOT}/cmd/+", id="wildcard-plus"),
        pytest.param(f"{ROOT}/cmd/#", id="wildcard-hash"),
        pytest.param("", id="empty-topic"),
    ],
)
def test_device_id_of_foreign_or_invalid_topic_is_none(topic: str) -> None:
    assert T.device_id_of_cmd(topic) is None


def test_topics_of_two_sites_do_not_overlap() -> None:
    other = Topics("mpp-bali")
    assert T.cmd("kiosk-01") != other.cmd("kiosk-01")
    assert other.device_id_of_cmd(T.cmd("kiosk-01")) is None
