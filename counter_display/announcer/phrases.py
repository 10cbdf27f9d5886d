"""Phrase builder: a call -> a token sequence -> text. Pure: no I/O, no clock, no threads.

Tokens are the interface between the builder and the voices (see docs/announcer.md). A token
names a unit of speech, not a language: ``num_3`` is the number three, spoken "tiga" in
Indonesian and "three" in English. Cardinal numbers are split into a small word vocabulary
(``num_2 w_ratus num_10`` = "dua ratus sepuluh") so a folder of recorded clips can cover every
number 0..9999 with about 40 files per language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from queue_server.protocol.ops import LANGS

#: Indonesian letter names (how a letter is spoken when spelled).
LETTER_NAMES_ID: dict[str, str] = {
    "A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "ef", "G": "ge", "H": "ha",
    "I": "i", "J": "je", "K": "ka", "L": "el", "M": "em", "N": "en", "O": "o", "P": "pe",
    "Q": "ki", "R": "er", "S": "es", "T": "te", "U": "u", "V": "ve", "W": "we", "X": "eks",
    "Y": "ye", "Z": "zet",
}

_ONES_ID = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
_ONES_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen"]
_TENS_EN = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy",
            80: "eighty", 90: "ninety"}

#: Fixed words, per language.
_WORDS: dict[str, dict[str, str]] = {
    "id": {
        "nomor_antrian": "nomor antrian",
        "panggilan_ulang": "panggilan ulang",
        "silakan_menuju": "silakan menuju",
        "loket": "loket",
        "w_belas": "belas",
        "w_puluh": "puluh",
        "w_ratus": "ratus",
        "w_ribu": "ribu",
    },
    "en": {
        "nomor_antrian": "number",
        "panggilan_ulang": "calling again",
        "silakan_menuju": "please go to",
        "loket": "counter",
        "w_hundred": "hundred",
        "w_thousand": "thousand",
    },
}

MAX_CARDINAL = 9999
NUMBER_RE = re.compile(r"^([A-Z]{1,3})-?(\d{1,4})$")


class PhraseError(ValueError):
    """A call that cannot be spoken (bad number, counter, language). ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class AnnounceStyle:
    """Site conventions for announcements (all settings, none hard-coded).

    number_mode: "digits" ("A, nol, nol, satu") or "cardinal" ("A, satu").
    leading_zeros: in digit mode, speak the zeros of "001" (False: "A, satu").
    repeat: how many times the voice part is played after one chime (>= 1).
    english: add the English sentence after the Indonesian one.
    language: first language ("id" normally).
    speak_counter_name: say the counter's name after its number, when the call has one.
    gap_ms / chime_gap_ms: silence between repeats / between chime and voice.
    chime: play the chime before the voice.
    """

    number_mode: str = "digits"
    leading_zeros: bool = True
    repeat: int = 1
    english: bool = False
    language: str = "id"
    speak_counter_name: bool = False
    gap_ms: int = 700
    chime_gap_ms: int = 300
    chime: bool = True

    def __post_init__(self) -> None:
        if self.number_mode not in ("digits", "cardinal"):
            raise PhraseError("bad_style", f"number_mode must be digits|cardinal, "
                                           f"not {self.number_mode!r}")
        if self.language not in LANGS:
            raise PhraseError("bad_style", f"language must be one of {LANGS}")
        if self.repeat < 1:
            raise PhraseError("bad_style", "repeat must be >= 1")
        if self.gap_ms < 0 or self.chime_gap_ms < 0:
            raise PhraseError("bad_style", "gaps must be >= 0")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AnnounceStyle:
        """Build from a config mapping (TOML/JSON); unknown keys are an error."""
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise PhraseError("bad_style", f"unknown announce settings: {sorted(unknown)}")
        return cls(**dict(data))


@dataclass(frozen=True)
class Call:
    """One thing to announce: a ticket called (recalls == 0) or recalled (recalls >= 1)."""

    number: str
    counter: int
    counter_name: str | None = None
    recalls: int = 0
    ticket_id: str | None = None
    zone: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def recall(self) -> bool:
        return self.recalls > 0

    @property
    def key(self) -> tuple[str, int, int]:
        """Deduplication key: (ticket id or number, counter, recall count). The counter is part
        of it because a transferred ticket is called again elsewhere with the same recall
        count (the server never resets it)."""
        return (self.ticket_id or self.number, self.counter, self.recalls)

    @classmethod
    def from_event(cls, event: Mapping[str, Any] | Any,
                   counters: Mapping[str, int | tuple[int, str | None]] | None = None,
                   ) -> Call:
        """From a ``ticket.called`` / ``ticket.recalled`` event (dict or dataclass-like).

        The wire event carries the counter id (``loket-03``); ``counters`` maps ids to a
        number or (number, name) from ``state/config``. Without a mapping the trailing
        digits of the id are used.
        """
        get = event.get if isinstance(event, Mapping) else (
            lambda k, d=None: getattr(event, k, d))
        ticket = get("ticket") or {}
        tget = ticket.get if isinstance(ticket, Mapping) else (
            lambda k, d=None: getattr(ticket, k, d))
        number = tget("number") or get("number")
        if not number:
            raise PhraseError("bad_call", "event has no ticket number")
        counter_id = get("counter") or tget("counter")
        name: str | None = None
        if isinstance(counter_id, int):
            counter_no = counter_id
        else:
            entry = (counters or {}).get(str(counter_id)) if counter_id is not None else None
            if isinstance(entry, tuple):
                counter_no, name = entry
            elif isinstance(entry, int):
                counter_no = entry
            else:
                m = re.search(r"(\d+)$", str(counter_id or ""))
                if not m:
                    raise PhraseError("bad_call", f"unknown counter {counter_id!r}")
                counter_no = int(m.group(1))
        recalls = tget("recalls")
        if recalls is None:
            recalls = get("recall_count")
        if recalls is None:
            recalls = 1 if get("type") == "ticket.recalled" else 0
        tid = tget("id") or get("ticket_id")
        return cls(number=str(number), counter=int(counter_no), counter_name=name,
                   recalls=int(recalls), ticket_id=str(tid) if tid is not None else None)


# --------------------------------------------------------------------------- numbers


def cardinal_tokens(n: int, lang: str = "id") -> list[str]:
    """Tokens of the cardinal number ``n`` (0..9999) in ``lang``."""
    if not 0 <= n <= MAX_CARDINAL:
        raise PhraseError("bad_number", f"cardinal out of range 0..{MAX_CARDINAL}: {n}")
    if lang == "en":
        return _cardinal_en(n)
    if n == 0:
        return ["num_0"]
    return _cardinal_id(n)


def _cardinal_id(n: int) -> list[str]:
    out: list[str] = []
    thousands, rest = divmod(n, 1000)
    if thousands == 1:
        out.append("num_1000")                      # seribu
    elif thousands > 1:
        out += [f"num_{thousands}", "w_ribu"]
    hundreds, rest = divmod(rest, 100)
    if hundreds == 1:
        out.append("num_100")                       # seratus
    elif hundreds > 1:
        out += [f"num_{hundreds}", "w_ratus"]
    if rest == 10:
        out.append("num_10")                        # sepuluh
    elif rest == 11:
        out.append("num_11")                        # sebelas
    elif 12 <= rest <= 19:
        out += [f"num_{rest - 10}", "w_belas"]
    elif rest >= 20:
        tens, ones = divmod(rest, 10)
        out += [f"num_{tens}", "w_puluh"]
        if ones:
            out.append(f"num_{ones}")
    elif rest > 0:
        out.append(f"num_{rest}")
    return out


def _cardinal_en(n: int) -> list[str]:
    if n < 20:
        return [f"num_{n}"]
    out: list[str] = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        out += [f"num_{thousands}", "w_thousand"]
    hundreds, rest = divmod(rest, 100)
    if hundreds:
        out += [f"num_{hundreds}", "w_hundred"]
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        out.append(f"num_{tens * 10}")
        if ones:
            out.append(f"num_{ones}")
    elif rest:
        out.append(f"num_{rest}")
    return out


def _num_word(value: int, lang: str) -> str:
    if lang == "en":
        return _ONES_EN[value] if value < 20 else _TENS_EN[value]
    special = {10: "sepuluh", 11: "sebelas", 100: "seratus", 1000: "seribu"}
    return special[value] if value in special else _ONES_ID[value]


def cardinal_text(n: int, lang: str = "id") -> str:
    """Spelled cardinal number: 123 -> "seratus dua puluh tiga"."""
    return " ".join(token_text(t, lang) for t in cardinal_tokens(n, lang))


def parse_cardinal_id(text: str) -> int:
    """Inverse of ``cardinal_text(n, "id")`` (used by tests; strict)."""
    units = {w: i for i, w in enumerate(_ONES_ID)}
    total = 0
    current = 0
    for word in text.split():
        if word in units:
            current += units[word]
        elif word == "sepuluh":
            current += 10
        elif word == "sebelas":
            current += 11
        elif word == "seratus":
            total += 100
        elif word == "seribu":
            total += 1000
        elif word == "belas":
            current += 10
        elif word == "puluh":
            current *= 10
            total += current
            current = 0
        elif word == "ratus":
            total += current * 100
            current = 0
        elif word == "ribu":
            total += current * 1000
            current = 0
        else:
            raise ValueError(f"not an Indonesian number word: {word!r}")
    return total + current


# --------------------------------------------------------------------------- tokens


def split_number(number: str) -> tuple[str, str]:
    """"A-001" -> ("A", "001"). Letters A..Z (1-3), digits 1-4; the dash is optional."""
    m = NUMBER_RE.match(number.strip().upper())
    if not m:
        raise PhraseError("bad_number", f"not a ticket number: {number!r}")
    return m.group(1), m.group(2)


def number_tokens(number: str, style: AnnounceStyle, lang: str = "id") -> list[str]:
    prefix, digits = split_number(number)
    out = [f"letter_{c}" for c in prefix]
    if style.number_mode == "cardinal":
        out += cardinal_tokens(int(digits), lang)
    else:
        spoken = digits if style.leading_zeros else (digits.lstrip("0") or "0")
        out += [f"digit_{d}" for d in spoken]
    return out


def build_tokens(call: Call, style: AnnounceStyle, lang: str | None = None) -> list[str]:
    """The token sequence of one sentence of ``call`` in ``lang`` (default style.language)."""
    lang = lang or style.language
    if lang not in LANGS:
        raise PhraseError("bad_language", f"unsupported language {lang!r}")
    if call.counter < 0 or call.counter > MAX_CARDINAL:
        raise PhraseError("bad_counter", f"counter out of range: {call.counter}")
    out: list[str] = []
    if call.recall:
        out.append("panggilan_ulang")
    out.append("nomor_antrian")
    out += number_tokens(call.number, style, lang)
    out += ["silakan_menuju", "loket"]
    out += cardinal_tokens(call.counter, lang)
    if style.speak_counter_name and call.counter_name:
        out.append("text:" + call.counter_name)
    return out


@dataclass(frozen=True)
class Sentence:
    lang: str
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return tokens_text(self.tokens, self.lang)


def build_announcement(call: Call, style: AnnounceStyle) -> list[Sentence]:
    """All sentences of one announcement, in order: first language, then English if set."""
    langs = [style.language]
    if style.english and style.language != "en":
        langs.append("en")
    return [Sentence(lang, tuple(build_tokens(call, style, lang))) for lang in langs]


def token_text(token: str, lang: str = "id") -> str:
    """The written/spoken form of one token (lower case)."""
    if token.startswith("text:"):
        return token[5:]
    if token.startswith("letter_"):
        letter = token[7:]
        return LETTER_NAMES_ID[letter] if lang == "id" else letter
    if token.startswith("digit_"):
        d = int(token[6:])
        return _ONES_ID[d] if lang == "id" else _ONES_EN[d]
    if token.startswith("num_"):
        return _num_word(int(token[4:]), lang)
    try:
        return _WORDS[lang][token]
    except KeyError:
        raise PhraseError("bad_token", f"unknown token {token!r} for {lang!r}") from None


def _group(token: str) -> str:
    """Tokens of the same group are spoken without a pause between them."""
    if token.startswith(("letter_", "digit_")):
        return "own"            # every letter and digit is its own chunk
    if token.startswith(("num_", "w_")):
        return "number"
    if token in ("silakan_menuju", "loket"):
        return "where"
    return "own"


def chunks(tokens: tuple[str, ...] | list[str]) -> list[list[str]]:
    """Split tokens where a pause (comma) belongs: "Nomor antrian, A, nol, nol, satu, ..."."""
    out: list[list[str]] = []
    prev = None
    for tok in tokens:
        group = _group(tok)
        # "loket" + its number stay together; "nomor antrian", letters and digits stand alone
        joined = out and (
            (group == prev and group != "own")
            or (prev == "where" and group == "number")
            or (tok.startswith("text:") and prev in ("where", "number"))
        )
        if joined:
            out[-1].append(tok)
        else:
            out.append([tok])
        prev = "where" if (prev == "where" and group == "number") else group
        if tok.startswith("text:"):
            prev = "own"
    return out


def tokens_text(tokens: tuple[str, ...] | list[str], lang: str = "id") -> str:
    """Readable sentence: chunks joined by ", ", first letter and letter names capitalised."""
    parts = []
    for chunk in chunks(tokens):
        words = []
        for tok in chunk:
            word = token_text(tok, lang)
            if tok.startswith("letter_"):
                word = word.capitalize() if lang == "id" else word.upper()
            words.append(word)
        parts.append(" ".join(words))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]
