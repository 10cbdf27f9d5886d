"""Phrase builder: tokens and text for every number 1..999 and every prefix A..Z."""

from __future__ import annotations

import string

import pytest

from counter_display.announcer import (
    LETTER_NAMES_ID,
    AnnounceStyle,
    Call,
    PhraseError,
    build_announcement,
    build_tokens,
    cardinal_text,
    parse_cardinal_id,
    tokens_text,
)

DIGITS = AnnounceStyle()
CARDINAL = AnnounceStyle(number_mode="cardinal")

KNOWN_ID = {
    0: "nol", 1: "satu", 7: "tujuh", 10: "sepuluh", 11: "sebelas", 12: "dua belas",
    15: "lima belas", 19: "sembilan belas", 20: "dua puluh", 21: "dua puluh satu",
    40: "empat puluh", 99: "sembilan puluh sembilan", 100: "seratus", 101: "seratus satu",
    110: "seratus sepuluh", 111: "seratus sebelas", 112: "seratus dua belas",
    123: "seratus dua puluh tiga", 200: "dua ratus", 210: "dua ratus sepuluh",
    211: "dua ratus sebelas", 305: "tiga ratus lima", 999: "sembilan ratus sembilan puluh sembilan",
    1000: "seribu", 1001: "seribu satu", 1011: "seribu sebelas", 1200: "seribu dua ratus",
    2000: "dua ribu", 2345: "dua ribu tiga ratus empat puluh lima",
    9999: "sembilan ribu sembilan ratus sembilan puluh sembilan",
}
KNOWN_EN = {
    0: "zero", 11: "eleven", 20: "twenty", 21: "twenty one", 100: "one hundred",
    123: "one hundred twenty three", 1200: "one thousand two hundred",
}


@pytest.mark.parametrize(("n", "text"), sorted(KNOWN_ID.items()))
def test_known_indonesian_spellings(n: int, text: str) -> None:
    assert cardinal_text(n, "id") == text


@pytest.mark.parametrize(("n", "text"), sorted(KNOWN_EN.items()))
def test_known_english_spellings(n: int, text: str) -> None:
    assert cardinal_text(n, "en") == text


def test_cardinal_round_trips_0_to_9999() -> None:
    spellings = set()
    for n in range(10000):
        text = cardinal_text(n, "id")
        assert parse_cardinal_id(text) == n, (n, text)
        assert "satu ratus" not in text and "satu puluh" not in text
        assert "satu belas" not in text and "satu ribu" not in text
        spellings.add(text)
    assert len(spellings) == 10000


def test_cardinal_out_of_range() -> None:
    with pytest.raises(PhraseError) as err:
        cardinal_text(10000)
    assert err.value.code == "bad_number"


HAND = [
    # (number, counter, recalls, style, lang, tokens, text)
    ("A-001", 3, 0, DIGITS, "id",
     ["nomor_antrian", "letter_A", "digit_0", "digit_0", "digit_1", "silakan_menuju", "loket",
      "num_3"],
     "Nomor antrian, A, nol, nol, satu, silakan menuju loket tiga"),
    ("A-001", 3, 0, CARDINAL, "id",
     ["nomor_antrian", "letter_A", "num_1", "silakan_menuju", "loket", "num_3"],
     "Nomor antrian, A, satu, silakan menuju loket tiga"),
    ("AB-012", 12, 0, CARDINAL, "id",
     ["nomor_antrian", "letter_A", "letter_B", "num_2", "w_belas", "silakan_menuju", "loket",
      "num_2", "w_belas"],
     "Nomor antrian, A, Be, dua belas, silakan menuju loket dua belas"),
    ("B-123", 10, 1, CARDINAL, "id",
     ["panggilan_ulang", "nomor_antrian", "letter_B", "num_100", "num_2", "w_puluh", "num_3",
      "silakan_menuju", "loket", "num_10"],
     "Panggilan ulang, nomor antrian, Be, seratus dua puluh tiga, silakan menuju loket sepuluh"),
    ("Q-210", 21, 0, DIGITS, "id",
     ["nomor_antrian", "letter_Q", "digit_2", "digit_1", "digit_0", "silakan_menuju", "loket",
      "num_2", "w_puluh", "num_1"],
     "Nomor antrian, Ki, dua, satu, nol, silakan menuju loket dua puluh satu"),
    ("A-001", 3, 0, DIGITS, "en",
     ["nomor_antrian", "letter_A", "digit_0", "digit_0", "digit_1", "silakan_menuju", "loket",
      "num_3"],
     "Number, A, zero, zero, one, please go to counter three"),
    ("X-111", 3, 2, CARDINAL, "en",
     ["panggilan_ulang", "nomor_antrian", "letter_X", "num_1", "w_hundred", "num_11",
      "silakan_menuju", "loket", "num_3"],
     "Calling again, number, X, one hundred eleven, please go to counter three"),
    ("A-007", 3, 0, AnnounceStyle(leading_zeros=False), "id",
     ["nomor_antrian", "letter_A", "digit_7", "silakan_menuju", "loket", "num_3"],
     "Nomor antrian, A, tujuh, silakan menuju loket tiga"),
]


@pytest.mark.parametrize(("number", "counter", "recalls", "style", "lang", "tokens", "text"),
                         HAND)
def test_hand_written_phrases(number: str, counter: int, recalls: int, style: AnnounceStyle,
                              lang: str, tokens: list[str], text: str) -> None:
    got = build_tokens(Call(number, counter, recalls=recalls), style, lang)
    assert got == tokens
    assert tokens_text(got, lang) == text


@pytest.mark.parametrize("letter", list(string.ascii_uppercase))
def test_every_letter_every_number_both_styles(letter: str) -> None:
    for n in range(1, 1000):
        number = f"{letter}-{n:03d}"
        call = Call(number, 3)
        digits = build_tokens(call, DIGITS)
        assert digits[:2] == ["nomor_antrian", f"letter_{letter}"]
        assert digits[-3:] == ["silakan_menuju", "loket", "num_3"]
        spoken = [t for t in digits if t.startswith("digit_")]
        assert len(spoken) == 3
        assert "".join(t[-1] for t in spoken) == f"{n:03d}"
        cardinal = build_tokens(call, CARDINAL)
        assert not any(t.startswith("digit_") for t in cardinal)
        text = tokens_text(cardinal, "id")
        prefix = f"Nomor antrian, {LETTER_NAMES_ID[letter].capitalize()}, "
        assert text.startswith(prefix)
        number_text = text[len(prefix):].split(", ")[0]
        assert parse_cardinal_id(number_text) == n
        assert text.endswith(", silakan menuju loket tiga")


def test_letter_names() -> None:
    assert LETTER_NAMES_ID["Q"] == "ki" and LETTER_NAMES_ID["X"] == "eks"
    assert LETTER_NAMES_ID["Z"] == "zet" and LETTER_NAMES_ID["W"] == "we"
    assert len(LETTER_NAMES_ID) == 26


def test_announcement_with_english_and_counter_name() -> None:
    style = AnnounceStyle(english=True, speak_counter_name=True)
    sentences = build_announcement(Call("C-045", 7, counter_name="Imigrasi"), style)
    assert [s.lang for s in sentences] == ["id", "en"]
    assert sentences[0].text == (
        "Nomor antrian, Ce, nol, empat, lima, silakan menuju loket tujuh Imigrasi")
    assert sentences[1].text == (
        "Number, C, zero, four, five, please go to counter seven Imigrasi")


def test_call_from_event() -> None:
    event = {"seq": 9, "type": "ticket.recalled", "counter": "loket-03",
             "ticket": {"id": "t-1", "number": "A-001", "recalls": 1, "counter": "loket-03"}}
    call = Call.from_event(event, {"loket-03": (3, "Loket 3")})
    assert call == Call("A-001", 3, "Loket 3", recalls=1, ticket_id="t-1")
    assert Call.from_event(event).counter == 3          # trailing digits of the id
    assert Call.from_event({"number": "B-002", "counter": 5}).key == ("B-002", 5, 0)


@pytest.mark.parametrize("bad", ["", "A", "001", "A-", "A-12345", "ABCD-001", "A_001"])
def test_bad_numbers(bad: str) -> None:
    with pytest.raises(PhraseError) as err:
        build_tokens(Call(bad, 1), DIGITS)
    assert err.value.code == "bad_number"


def test_bad_style() -> None:
    with pytest.raises(PhraseError):
        AnnounceStyle(number_mode="roman")
    with pytest.raises(PhraseError):
        AnnounceStyle(repeat=0)
    with pytest.raises(PhraseError):
        AnnounceStyle.from_mapping({"speed": 3})
    assert AnnounceStyle.from_mapping({"number_mode": "cardinal", "repeat": 2}).repeat == 2
