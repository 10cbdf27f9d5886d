"""Topic names under mpp/v1/{site}, and back: `Topics.parse` names the kind of a topic and
its id. Topic levels never carry user text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

DEVICE_ID_RE = re.compile(r"^[a-z0-9-]{3,32}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")


def valid_device_id(value: str) -> bool:
    return DEVICE_ID_RE.fullmatch(value) is not None


class TopicKind(StrEnum):
    """One per builder of Topics (docs/protocol.md's table), named as the builder is."""

    CMD = "cmd"
    REPLY = "reply"
    DEVICE = "device"
    SERVER = "server"
    CONFIG = "config"
    CALLS = "calls"
    MESSAGE = "message"
    QUEUE = "queue"
    COUNTER = "counter"
    EVENT = "event"


PER_DEVICE = frozenset({TopicKind.CMD, TopicKind.REPLY, TopicKind.DEVICE})
SINGLE_STATE = frozenset({TopicKind.SERVER, TopicKind.CONFIG, TopicKind.CALLS,
                          TopicKind.MESSAGE})
KEYED_STATE = frozenset({TopicKind.QUEUE, TopicKind.COUNTER})


@dataclass(frozen=True)
class ParsedTopic:
    kind: TopicKind
    key: str = ""  # the device, service or counter id, or the event kind; "" if none


@dataclass(frozen=True)
class Topics:
    site: str

    @property
    def root(self) -> str:
        return f"mpp/v1/{self.site}"

    def cmd(self, device_id: str) -> str:
        return f"{self.root}/cmd/{device_id}"

    def reply(self, device_id: str) -> str:
        return f"{self.root}/reply/{device_id}"

    def device(self, device_id: str) -> str:
        return f"{self.root}/device/{device_id}"

    @property
    def cmd_all(self) -> str:
        return f"{self.root}/cmd/+"

    @property
    def device_all(self) -> str:
        return f"{self.root}/device/+"

    @property
    def server(self) -> str:
        return f"{self.root}/state/server"

    @property
    def config(self) -> str:
        return f"{self.root}/state/config"

    @property
    def calls(self) -> str:
        return f"{self.root}/state/calls"

    @property
    def message(self) -> str:
        return f"{self.root}/state/message"

    @property
    def state_all(self) -> str:
        return f"{self.root}/state/#"

    def queue(self, service_id: str) -> str:
        return f"{self.root}/state/queue/{service_id}"

    def counter(self, counter_id: str) -> str:
        return f"{self.root}/state/counter/{counter_id}"

    def event(self, kind: str = "ticket") -> str:
        return f"{self.root}/event/{kind}"

    @property
    def event_all(self) -> str:
        return f"{self.root}/event/#"

    def device_id_of_cmd(self, topic: str) -> str | None:
        """The device id of a cmd topic, or None when the topic is not ours."""
        prefix = f"{self.root}/cmd/"
        if not topic.startswith(prefix):
            return None
        rest = topic[len(prefix):]
        return rest if valid_device_id(rest) else None

    def parse(self, topic: str) -> ParsedTopic | None:
        """The kind and id of one of this site's topics; None for another site's topic,
        a wildcard, an unknown kind or an id that could not be one."""
        prefix = f"{self.root}/"
        if not topic.startswith(prefix):
            return None
        head, *rest = topic[len(prefix):].split("/")
        if head == "state" and rest:
            head, rest = rest[0], rest[1:]
            allowed = SINGLE_STATE | KEYED_STATE
        else:
            allowed = PER_DEVICE | {TopicKind.EVENT}
        if head not in allowed:
            return None
        kind = TopicKind(head)
        if kind in SINGLE_STATE:
            return ParsedTopic(kind) if not rest else None
        if len(rest) != 1:
            return None
        valid = valid_device_id if kind in PER_DEVICE else _valid_slug
        return ParsedTopic(kind, rest[0]) if valid(rest[0]) else None


def _valid_slug(value: str) -> bool:
    return SLUG_RE.fullmatch(value) is not None
