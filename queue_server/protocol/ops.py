"""The op catalogue: every command a device may send, said once. Each entry names the op,
the roles that may use it, its arguments and whether it only reads. The vocabularies the
ops share (priority kinds, assist kinds, pause reasons, languages, survey elements and
scores) and the
types of the ticket events are here too. The parser (messages.py), the engine's handler
tables, the apps and the web all read them from here; docs/protocol.md describes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

# -- vocabularies ---------------------------------------------------------------------

PriorityKind = Literal["elderly", "disabled", "pregnant", "child"]  # UU 25/2009 Art. 29
PRIORITY_KINDS: tuple[str, ...] = get_args(PriorityKind)
PauseReason = Literal["break", "prayer", "system", "other"]
PAUSE_REASONS: tuple[str, ...] = get_args(PauseReason)
# what an officer picks from at the console; "other" is the supervisor's catch-all, and
# what a display shows for a reason it does not know
OFFICER_PAUSE_REASONS: tuple[str, ...] = tuple(r for r in PAUSE_REASONS if r != "other")
# how a ticket was taken that the officer should know of, to come to the citizen: "voice"
# (the kiosk's voice guidance: likely someone who cannot see the screen)
AssistKind = Literal["voice"]
ASSIST_KINDS: tuple[str, ...] = get_args(AssistKind)
Lang = Literal["id", "en"]  # Bahasa Indonesia first, English second
LANGS: tuple[str, ...] = get_args(Lang)
IKM_ELEMENTS: tuple[str, ...] = tuple(f"u{i}" for i in range(1, 10))  # PermenPANRB 14/2017
IKM_SCORES: tuple[int, ...] = (1, 2, 3, 4)  # each element's answer, worst to best
# the "type" of an event/ticket message; a call is what a wall shows big and speaks
EventType = Literal["ticket.issued", "ticket.called", "ticket.recalled", "ticket.started",
                    "ticket.completed", "ticket.no_show", "ticket.transferred",
                    "ticket.cancelled", "ticket.voided", "ticket.returned"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
CALL_EVENTS: tuple[str, ...] = ("ticket.called", "ticket.recalled")

# -- roles ------------------------------------------------------------------------------

KIOSK, COUNTER, DISPLAY, SUPERVISOR = "kiosk", "counter", "display", "supervisor"
ROLES: tuple[str, ...] = (KIOSK, COUNTER, DISPLAY, SUPERVISOR)

# -- ops --------------------------------------------------------------------------------

ArgSpec = tuple[str, bool]  # (kind, required); messages.py checks each kind


@dataclass(frozen=True)
class Op:
    name: str
    roles: frozenset[str]
    args: Mapping[str, ArgSpec]
    read_only: bool = False  # changes nothing: its reply is not kept for idempotency


def _op(name: str, roles: Iterable[str], args: Mapping[str, ArgSpec] | None = None,
        *, read_only: bool = False) -> Op:
    """A supervisor may use every op."""
    return Op(name, frozenset({*roles, SUPERVISOR}), MappingProxyType(dict(args or {})),
              read_only)


_COUNTER: Mapping[str, ArgSpec] = {"counter": ("slug", True)}
_SERVICE: Mapping[str, ArgSpec] = {"service": ("slug", True)}

OPS: Mapping[str, Op] = MappingProxyType({op.name: op for op in (
    _op("ping", ROLES, read_only=True),
    _op("ticket.issue", [KIOSK], {
        "service": ("slug", True), "priority": ("priority", False),
        "appointment": ("code", False), "lang": ("lang", False),
        "assist": ("assist", False)}),
    _op("appointment.checkin", [KIOSK], {"code": ("code", True), "lang": ("lang", False)}),
    # an officer code, as officer.signin names it (the site file's codes are slugs)
    _op("counter.open", [COUNTER], {**_COUNTER, "officer": ("slug", False)}),
    _op("counter.pause", [COUNTER], {**_COUNTER, "reason": ("reason", False)}),
    _op("counter.close", [COUNTER], _COUNTER),
    _op("counter.call_next", [COUNTER], _COUNTER),
    _op("counter.recall", [COUNTER], _COUNTER),
    _op("counter.start", [COUNTER], _COUNTER),
    _op("counter.complete", [COUNTER], _COUNTER),
    _op("counter.no_show", [COUNTER], _COUNTER),
    _op("counter.transfer", [COUNTER], {
        **_COUNTER, "service": ("slug", True), "front": ("bool", False)}),
    # today's no-shows of the counter's services still within policy.no_show_grace_min,
    # and one of them (by id or number) back at the front of its queue, same number
    _op("counter.no_shows", [COUNTER], _COUNTER, read_only=True),
    _op("counter.return", [COUNTER], {**_COUNTER, "ticket": ("code", True)}),
    _op("feedback.submit", [COUNTER], {"ticket": ("code", True), "scores": ("scores", True)}),
    _op("officer.signin", [COUNTER], {"officer": ("slug", True), "pin": ("pin", True)}),
    _op("officer.signout", [COUNTER]),
    _op("officer.stats", [COUNTER], read_only=True),
    _op("service.open", [], _SERVICE),
    _op("service.close", [], _SERVICE),
    _op("service.set_quota", [], {**_SERVICE, "quota": ("quota", True)}),
    _op("message.broadcast", [], {"text": ("text", True), "text_en": ("text", False)}),
    _op("appointment.add", [], {
        "code": ("code", True), "service": ("slug", True), "slot": ("text", True)}),
    _op("ticket.move", [], {
        "ticket": ("code", True), "service": ("slug", True), "front": ("bool", False)}),
    # a waiting ticket never handed out (its print failed, the citizen left) leaves the
    # queue; the reason stays in the audit log, never on the wire
    _op("ticket.void", [], {"ticket": ("code", True), "reason": ("text", False)}),
)})

# the ops a counter's staff console sends about its counter (answered by fresh figures)
COUNTER_ACTIONS: frozenset[str] = frozenset(name for name in OPS if name.startswith("counter."))
# the ops that print a ticket: a device may send them only so fast (policy.issue_burst,
# policy.issue_per_min; refused with rate_limited)
ISSUING_OPS: frozenset[str] = frozenset({"ticket.issue", "appointment.checkin"})
