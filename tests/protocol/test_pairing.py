"""The pairing seal (queue_server/protocol/pairing.py, docs/security.md): only the box that
holds the private key and showed the code opens its bundle; anything changed on the way,
the key, the code, the answer, the device or the site it names, fails."""

from __future__ import annotations

from dataclasses import replace

import pytest

from queue_server.protocol.pairing import (
    ALPHABET,
    CODE_CHARS,
    Answer,
    Mismatch,
    PairingError,
    check_public_key,
    confirmed,
    new_code,
    new_key,
    open_answer,
    seal,
    show_code,
)

BUNDLE = b"a box bundle, as a tar" * 100


def test_a_code_is_60_random_bits_in_three_groups():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == CODE_CHARS and set(c) <= set(ALPHABET) for c in codes)
    assert show_code("7KQ2M9XD4RTA") == "7KQ2-M9XD-4RTA"
    assert len(ALPHABET) ** CODE_CHARS == 2 ** 60


def test_the_box_opens_what_was_sealed_for_its_key_and_code():
    private, public = new_key()
    code = new_code()
    answer, confirm_key = seal(BUNDLE, public, code, "kiosk-01", "mpp-makassar")
    wire = Answer.from_wire(answer.to_wire())
    bundle, mac = open_answer(private, code, wire)
    assert bundle == BUNDLE
    assert confirmed(confirm_key, answer, mac)
    assert not confirmed(confirm_key, answer, bytes(32))
    assert BUNDLE not in answer.sealed  # sealed, not signed


def test_anything_changed_on_the_way_does_not_open():
    private, public = new_key()
    other, other_public = new_key()
    code = new_code()
    answer, _key = seal(BUNDLE, public, code, "kiosk-01", "mpp-makassar")
    flipped = bytes([answer.sealed[0] ^ 1]) + answer.sealed[1:]
    _eph, eph_public = new_key()
    changed = [
        (private, new_code(), answer),  # a wrong code typed
        (other, code, answer),  # another key (sealed for the one a relay put in)
        (private, code, replace(answer, sealed=flipped)),
        (private, code, replace(answer, device="kiosk-02")),  # another box's name on it
        (private, code, replace(answer, site="mpp-other")),
        (private, code, replace(answer, eph=eph_public)),
        (private, code, replace(answer, nonce=bytes(12))),
    ]
    for key, typed, given in changed:
        with pytest.raises(Mismatch):
            open_answer(key, typed, given)
    # and what was sealed for a relay's key cannot be opened by the box it stood for
    relayed, _k = seal(BUNDLE, other_public, code, "kiosk-01", "mpp-makassar")
    with pytest.raises(Mismatch):
        open_answer(private, code, relayed)


def test_malformed_keys_and_answers_are_refused_with_their_code():
    _private, public = new_key()
    check_public_key(public)
    for bad in (bytes(32), public[:31], b"\x01" + bytes(31)):  # low-order points, short
        with pytest.raises(PairingError) as err:
            check_public_key(bad)
        assert err.value.code == "bad_key"
    for wire in (None, {}, {"device": "k", "site": "s", "eph": "AAAA", "nonce": "AAAA",
                            "sealed": "AAAA"},
                 {"device": "k", "site": "s", "eph": "!", "nonce": "x", "sealed": "y"}):
        with pytest.raises(PairingError) as err:
            Answer.from_wire(wire)
        assert err.value.code == "bad_answer"
