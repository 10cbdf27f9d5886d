"""Topic names under mpp/v1/{site}, the device id of a command topic, and Topics.parse."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from queue_server.protocol.topics import ParsedTopic, TopicKind, Topics, valid_device_id

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


# every topic kind of DESIGN.md and docs/protocol.md, built by Topics: (topic, kind, key)
BUILT = [
    pytest.param(T.cmd("kiosk-01"), TopicKind.CMD, "kiosk-01", id="cmd"),
    pytest.param(T.reply("counter-03"), TopicKind.REPLY, "counter-03", id="reply"),
    pytest.param(T.device("display-hall"), TopicKind.DEVICE, "display-hall", id="device"),
    pytest.param(T.server, TopicKind.SERVER, "", id="state-server"),
    pytest.param(T.config, TopicKind.CONFIG, "", id="state-config"),
    pytest.param(T.calls, TopicKind.CALLS, "", id="state-calls"),
    pytest.param(T.message, TopicKind.MESSAGE, "", id="state-message"),
    pytest.param(T.queue("ktp-el"), TopicKind.QUEUE, "ktp-el", id="state-queue"),
    pytest.param(T.counter("loket-01"), TopicKind.COUNTER, "loket-01", id="state-counter"),
    pytest.param(T.event("ticket"), TopicKind.EVENT, "ticket", id="event-ticket"),
]


@pytest.mark.parametrize(("topic", "kind", "key"), BUILT)
def test_parse_names_the_kind_and_id_of_every_built_topic(topic: str, kind: TopicKind,
                                                           key: str) -> None:
    # WHEN a topic built by Topics is parsed
    parsed = T.parse(topic)
    # THEN it names the builder and its argument, and building it again gives the topic
    assert parsed == ParsedTopic(kind, key)
    builder = getattr(T, kind.value)
    assert (builder(key) if key else builder) == topic


def test_parse_covers_every_kind() -> None:
    assert {p.values[1] for p in BUILT} == set(TopicKind)


@pytest.mark.parametrize(
    "topic",
    [
        pytest.param("mpp/v1/mpp-bali/state/server", id="other-site"),
        pytest.param("mpp/v1/mpp-makassar-2/state/server", id="site-with-our-prefix"),
        pytest.param("mpp/v2/mpp-makassar/state/server", id="other-version"),
        pytest.param("mpp/v1/mpp-makassar", id="root-alone"),
        pytest.param(f"{ROOT}/", id="root-slash"),
        pytest.param(f"/{ROOT}/state/server", id="leading-slash"),
        pytest.param("", id="empty-topic"),
        pytest.param(f"{ROOT}/state", id="state-alone"),
        pytest.param(f"{ROOT}/state/", id="state-empty"),
        pytest.param(f"{ROOT}/state/weather", id="state-unknown"),
        pytest.param(f"{ROOT}/state/server/extra", id="state-server-extra-level"),
        pytest.param(f"{ROOT}/state/server/", id="state-server-trailing-slash"),
        pytest.param(f"{ROOT}/state/queue", id="queue-no-id"),
        pytest.param(f"{ROOT}/state/queue/", id="queue-empty-id"),
        pytest.param(f"{ROOT}/state/queue/ktp/extra", id="queue-extra-level"),
        pytest.param(f"{ROOT}/state/queue/KTP", id="queue-uppercase"),
        pytest.param(f"{ROOT}/state/queue/-ktp", id="queue-leading-dash"),
        pytest.param(f"{ROOT}/state/queue/+", id="queue-wildcard"),
        pytest.param(f"{ROOT}/state/counter/{'a' * 33}", id="counter-too-long"),
        pytest.param(f"{ROOT}/state/#", id="state-wildcard"),
        pytest.param(f"{ROOT}/state/cmd/kiosk-01", id="cmd-under-state"),
        pytest.param(f"{ROOT}/server", id="server-not-under-state"),
        pytest.param(f"{ROOT}/queue/ktp", id="queue-not-under-state"),
        pytest.param(f"{ROOT}/cmd", id="cmd-no-device"),
        pytest.param(f"{ROOT}/cmd/+", id="cmd-wildcard"),
        pytest.param(f"{ROOT}/cmd/ab", id="cmd-device-too-short"),
        pytest.param(f"{ROOT}/reply/kiosk_01", id="reply-underscore"),
        pytest.param(f"{ROOT}/device/kiosk-01/", id="device-trailing-slash"),
        pytest.param(f"{ROOT}/device/kiosk-01\n", id="device-trailing-newline"),
        pytest.param(f"{ROOT}/device/kios\u212a-01", id="device-unicode-kelvin-k"),
        pytest.param(f"{ROOT}/event", id="event-no-kind"),
        pytest.param(f"{ROOT}/event/#", id="event-wildcard"),
        pytest.param(f"{ROOT}/event/ticket/extra", id="event-extra-level"),
        pytest.param(f"{ROOT}/event/Ticket", id="event-uppercase"),
        pytest.param(f"{ROOT}/weather/today", id="unknown-kind"),
    ],
)
def test_parse_of_a_foreign_or_malformed_topic_is_none(topic: str) -> None:
    assert T.parse(topic) is None


def test_parse_is_per_site() -> None:
    assert Topics("mpp-bali").parse(T.queue("ktp")) is None
