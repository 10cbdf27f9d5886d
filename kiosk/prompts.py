"""What voice guidance says on each screen and which choices it offers, in order. Pure
(no I/O, no Qt objects): a screen's `View` in, `Say`s and `Choice`s out. The words are
English sources in `SAYS` (QT_TRANSLATE_NOOP, context "KioskVoice"), translated by the
kiosk's catalogs like every screen text (kiosk/i18n); docs/kiosk.md lists them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from queue_server.protocol.ops import PRIORITY_KINDS

CONTEXT = "KioskVoice"

SAYS: dict[str, str] = {
    "on": QT_TRANSLATE_NOOP("KioskVoice", "Voice guidance is on."),
    "help": QT_TRANSLATE_NOOP(
        "KioskVoice", "Press next or previous to hear the choices, choose to take the one "
                      "you hear, back to go back, repeat to hear it again, help for these "
                      "keys."),
    "choice": QT_TRANSLATE_NOOP("KioskVoice", "Choice %1 of %2: %3."),
    "welcome": QT_TRANSLATE_NOOP("KioskVoice", "Welcome to %1."),
    "take": QT_TRANSLATE_NOOP("KioskVoice", "Take a queue number"),
    # the language choice, said in the language it offers
    "en": QT_TRANSLATE_NOOP("KioskVoice", "For English, press choose."),
    "id": QT_TRANSLATE_NOOP("KioskVoice", "For Bahasa Indonesia, press choose."),
    "agencies": QT_TRANSLATE_NOOP("KioskVoice", "Choose an agency. %1 choices."),
    "services": QT_TRANSLATE_NOOP("KioskVoice", "Choose a service of %1. %2 choices."),
    "serviceWait": QT_TRANSLATE_NOOP("KioskVoice", "%1, %2 waiting, about %3 minutes"),
    "serviceNoWait": QT_TRANSLATE_NOOP("KioskVoice", "%1, no wait"),
    "serviceClosed": QT_TRANSLATE_NOOP("KioskVoice", "%1, closed now"),
    "closed": QT_TRANSLATE_NOOP("KioskVoice", "This service is closed now. Please choose "
                                              "another."),
    "priority": QT_TRANSLATE_NOOP("KioskVoice", "%1. Do you need priority service? Priority "
                                                "citizens are served first."),
    "disabled": QT_TRANSLATE_NOOP("KioskVoice", "Yes, person with a disability"),
    "elderly": QT_TRANSLATE_NOOP("KioskVoice", "Yes, elderly, sixty or older"),
    "pregnant": QT_TRANSLATE_NOOP("KioskVoice", "Yes, pregnant"),
    "child": QT_TRANSLATE_NOOP("KioskVoice", "Yes, with a small child"),
    "none": QT_TRANSLATE_NOOP("KioskVoice", "No, regular queue"),
    "printing": QT_TRANSLATE_NOOP("KioskVoice", "Printing your ticket, please wait."),
    "number": QT_TRANSLATE_NOOP("KioskVoice", "Your queue number is %1."),
    "ahead": QT_TRANSLATE_NOOP("KioskVoice", "People ahead of you: %1."),
    "wait": QT_TRANSLATE_NOOP("KioskVoice", "Estimated wait: about %1 minutes."),
    "noWait": QT_TRANSLATE_NOOP("KioskVoice", "Estimated wait: you are next."),
    "takeTicket": QT_TRANSLATE_NOOP("KioskVoice", "Please take your ticket from the slot "
                                                  "below the screen. The officer will know "
                                                  "to come to you."),
    "unprinted": QT_TRANSLATE_NOOP("KioskVoice", "The printer has a problem: your ticket "
                                                 "was not printed. Please ask an officer; "
                                                 "your number is on the screen."),
    "done": QT_TRANSLATE_NOOP("KioskVoice", "Done"),
    "copy": QT_TRANSLATE_NOOP("KioskVoice", "Print a copy of your ticket"),
    "error": QT_TRANSLATE_NOOP("KioskVoice", "No number was taken: %1."),
    "service_closed": QT_TRANSLATE_NOOP("KioskVoice", "this service is closed now"),
    "quota_full": QT_TRANSLATE_NOOP("KioskVoice", "today's quota for this service is full"),
    "timeout": QT_TRANSLATE_NOOP("KioskVoice", "the server cannot be reached"),
    "otherError": QT_TRANSLATE_NOOP("KioskVoice", "something went wrong"),
    "back": QT_TRANSLATE_NOOP("KioskVoice", "Back, choose again"),
    "refused": QT_TRANSLATE_NOOP("KioskVoice", "This code cannot be used. Please ask the "
                                               "information desk, or take a regular "
                                               "number."),
    "first": QT_TRANSLATE_NOOP("KioskVoice", "First choice."),
}
# the priority choices in voice guidance: a disability first (who uses the voice most
# likely has one), then the other kinds of the op catalogue, then the regular queue
PRIORITY_ORDER = ("disabled", *(k for k in PRIORITY_KINDS if k != "disabled"), "none")
OTHER_LANG = {"id": "en", "en": "id"}


@dataclass(frozen=True)
class Say:
    """One phrase: `key` in `SAYS` with its %1.. arguments (a nested Say is translated
    first); `lang` None speaks it in the citizen's language, else in that one."""

    key: str
    args: tuple[str | int | Say, ...] = ()
    lang: str | None = None


@dataclass(frozen=True)
class Choice:
    say: Say | str  # a Say, or a name from the config (spoken as it is)
    action: str  # start, language, agency, service, priority, done, back
    value: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class View:
    """What the screen shows, as plain data (KioskModel builds it)."""

    screen: str
    lang: str
    mall: str = ""
    agency: str = ""  # the chosen agency's name
    service: str = ""
    agencies: Sequence[Mapping[str, Any]] = ()
    services: Sequence[Mapping[str, Any]] = ()
    ticket: Mapping[str, Any] = field(default_factory=dict)
    print_error: str = ""
    error: str = ""
    copy: str = ""  # the result's copy: offered, failed, printing, printed, or ""


def name(row: Mapping[str, Any], lang: str) -> str:
    return str(row.get("nameEn") if lang == "en" else row.get("nameId") or "")


def choices(view: View) -> list[Choice]:
    screen, lang = view.screen, view.lang
    if screen == "welcome":
        return [Choice(Say("take"), "start"),
                Choice(Say(OTHER_LANG[lang], lang=OTHER_LANG[lang]), "language",
                       OTHER_LANG[lang])]
    if screen == "agencies":
        return [Choice(name(a, lang), "agency", str(a["id"])) for a in view.agencies]
    if screen == "services":
        return [Choice(_service(s, lang), "service", str(s["id"]), bool(s.get("open")))
                for s in view.services]
    if screen == "priority":
        return [Choice(Say(kind), "priority", kind) for kind in PRIORITY_ORDER]
    if screen == "result" and view.copy in ("offered", "failed"):
        return [Choice(Say("copy"), "copy"), Choice(Say("done"), "done")]
    if screen in ("result", "refused"):
        return [Choice(Say("done"), "done")]
    if screen == "error":
        return [Choice(Say("back"), "back")]
    return []  # printing: nothing to choose


def _service(row: Mapping[str, Any], lang: str) -> Say:
    if not row.get("open"):
        return Say("serviceClosed", (name(row, lang),))
    if int(row.get("waitMin") or 0) <= 0:
        return Say("serviceNoWait", (name(row, lang),))
    return Say("serviceWait", (name(row, lang), int(row.get("waiting") or 0),
                               int(row.get("waitMin") or 0)))


def screen_says(view: View) -> list[Say]:
    """What is said on entering the screen, before its first choice."""
    screen = view.screen
    if screen == "welcome":
        return [Say("welcome", (view.mall,))]
    if screen == "agencies":
        return [Say("agencies", (len(view.agencies),))]
    if screen == "services":
        return [Say("services", (view.agency, len(view.services)))]
    if screen == "priority":
        return [Say("priority", (view.service,))]
    if screen == "printing":
        return [Say("printing")]
    if screen == "result":
        return _result(view)
    if screen == "error":
        known = view.error in ("service_closed", "quota_full", "timeout")
        return [Say("error", (Say(view.error if known else "otherError"),))]
    if screen == "refused":
        return [Say("refused")]
    return []


def _result(view: View) -> list[Say]:
    ticket = view.ticket
    said = [Say("number", (spell_number(str(ticket.get("number") or "")),)),
            Say("ahead", (int(ticket.get("ahead") or 0),))]
    minutes = int(ticket.get("waitMin") or 0)
    said.append(Say("wait", (minutes,)) if minutes > 0 else Say("noWait"))
    said.append(Say("unprinted") if view.print_error else Say("takeTicket"))
    return said


def spell_number(number: str) -> str:
    """"A-012" -> "A, 0, 1, 2": a letter and each digit on its own, as the wall says them
    by default (the voice reads a digit in its language: nol, satu, dua)."""
    return ", ".join(ch for ch in number if ch.isalnum())


def choice_say(choice: Choice, index: int, count: int) -> Say:
    """"Choice 2 of 5: ..." (the language choice is said in its own language alone)."""
    if isinstance(choice.say, Say) and choice.say.lang is not None:
        return choice.say
    return Say("choice", (index + 1, count, choice.say))


def render(say: Say | str, lang: str, translate: Any) -> tuple[str, str]:
    """(text, language) of a phrase; `translate(lang, context, source)` is the catalog's."""
    if isinstance(say, str):
        return say, lang
    spoken = say.lang or lang
    text = translate(spoken, CONTEXT, SAYS[say.key])
    for i, arg in enumerate(say.args, start=1):
        value = render(arg, spoken, translate)[0] if isinstance(arg, Say) else str(arg)
        text = text.replace(f"%{i}", value, 1)
    return text, spoken
