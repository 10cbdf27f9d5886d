"""The accounts and ACL of `mpp provision` for the embedded amqtt broker (0.12.1): its
FileAuthPlugin checks each CONNECT against the Argon2 password file, and AccountAcl (its
TopicAccessControlListPlugin with the three ACLs configurable) decides every publish,
subscription and delivery from the same ACL file Mosquitto reads.

amqtt's own plugin takes `publish_acl` and `acl` (the deprecated name of `subscribe-acl`)
from its configuration, and no `receive-acl` at all, though its code reads all three:
the subclass below declares them, so the configuration reaches the code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amqtt.broker import Broker  # type: ignore[import-untyped]
from amqtt.plugins.topic_checking import (  # type: ignore[import-untyped]
    TopicAccessControlListPlugin,
)

from mpp.broker.access import BrokerAccess

ANONYMOUS = {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}}


class AccountAcl(TopicAccessControlListPlugin):  # type: ignore[misc]
    """What a user may publish, subscribe to and receive; a user it does not name (an
    anonymous client, "anonymous" to amqtt) may do none of it."""

    @dataclass
    class Config:
        publish_acl: dict[str, list[str]] = field(default_factory=dict)
        subscribe_acl: dict[str, list[str]] = field(default_factory=dict)
        receive_acl: dict[str, list[str]] = field(default_factory=dict)


class _WalkedCopy(dict):  # type: ignore[type-arg]
    """A dict whose walks go over a copy of its keys (or items)."""

    def __iter__(self) -> Any:
        return iter(list(super().keys()))

    def items(self) -> Any:
        return list(super().items())


class AclBroker(Broker):  # type: ignore[misc]
    """amqtt's Broker asking AccountAcl directly. amqtt 0.12.1 gathers its plugins'
    answers as tasks, which yields to the event loop in the middle of _run_broadcast's walk
    over its subscriptions: a client subscribing meanwhile breaks the walk ("dictionary
    changed size during iteration") and the message is lost for every subscriber. The ACL
    answers without awaiting anything, so asked directly it never yields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # amqtt also awaits inside its walks over all subscriptions when a client connects
        # (to send it retained messages) and when one goes: a walk over a copy of the keys
        # survives another client subscribing meanwhile
        self._subscriptions = _WalkedCopy(self._subscriptions)

    async def _topic_filtering(self, session: Any, topic: str, action: Any) -> bool:
        acl = self.plugins_manager.get_plugin(AccountAcl.__name__)
        if acl is None:  # anonymous: no ACL
            return True
        return bool(await acl.topic_filtering(session=session, topic=topic, action=action))


def read_acl(path: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(writes, reads) per user from the ACL file mpp provision wrote ("user NAME" then
    "topic read|write|readwrite FILTER" lines)."""
    writes: dict[str, list[str]] = {}
    reads: dict[str, list[str]] = {}
    user = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) == 2 and words[0] == "user":
            user = words[1]
            writes.setdefault(user, [])
            reads.setdefault(user, [])
        elif len(words) == 3 and words[0] == "topic" and user:
            if words[1] in ("write", "readwrite"):
                writes[user].append(words[2])
            if words[1] in ("read", "readwrite"):
                reads[user].append(words[2])
    return writes, reads


def amqtt_plugins(access: BrokerAccess | None) -> dict[str, Any]:
    """amqtt's `plugins` configuration: the accounts and ACL, or anonymous (None)."""
    if access is None:
        return dict(ANONYMOUS)
    if access.argon2_password_file is None:
        raise ValueError("amqtt needs the Argon2 password file mpp provision writes "
                         "(broker/passwd.argon2)")
    writes, reads = read_acl(access.acl_file)
    return {
        "amqtt.plugins.authentication.FileAuthPlugin": {
            "password_file": str(access.argon2_password_file)},
        f"{__name__}.AccountAcl": {"publish_acl": writes, "subscribe_acl": reads,
                                   "receive_acl": reads},
    }
