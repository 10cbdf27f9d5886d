"""Topic names under mpp/v1/{site}. Topic levels never carry user text."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEVICE_ID_RE = re.compile(r"^[a-z0-9-]{3,32}$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")


def valid_device_id(value: str) -> bool:
    return DEVICE_ID_RE.fullmatch(value) is not None


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
