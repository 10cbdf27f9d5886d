"""Pairing a blank box over the LAN (docs/security.md, "Pairing a box"): the code, the keys
and the sealed bundle that both sides, the box (`mpp box pair`) and the server (the
dashboard's /pair endpoints), compute alike.

The box makes an X25519 key pair and a 60-bit code that only its screen shows. On the
admin's approval (who types the code), the server makes an ephemeral key and seals the
bundle under

    K = HKDF-SHA256(ikm = X25519(eph, box) || scrypt(code, salt = SHA-256(box public key)),
                    info = LABEL, box public key, eph public key, device, site)

(64 bytes: an AES-256-GCM key, then a key for the box's confirmation HMAC). Only the box
that holds the private key AND showed the code derives K: a wrong code, a key swapped on
the way (a man in the middle) or a changed answer fails authentication, and the code is
never sent, so nobody on the network can learn it from the traffic (an attacker who swaps
the key gets an answer to try codes against offline: 2^60 scrypt runs)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

LABEL = b"mpp-pair/1"
VERSION = 1
# Crockford's base32: no I, L, O, U (read as 1, 1, 0 and refused), case does not matter
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 12  # 60 bits, shown as 7KQ2-M9XD-4RTA
CODE_GROUP = 4
KEY_BYTES = 32
NONCE_BYTES = 12
# scrypt's cost: 32 MiB and about 0.1 s on a PC per try, once per side per answer; an
# attacker with a swapped key must pay it for each of 2^60 codes
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 15, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
MAX_BUNDLE_BYTES = 4 << 20  # the sealed answer; a server bundle is tens of kB

# the box bundles on the server (the `boxes/` folder `mpp provision --boxes` writes) and on
# a stick: ID.mppbox, renamed ID.mppbox.taken once a box has it (mpp/box/layout.py)
SUFFIX = ".mppbox"
TAKEN = ".taken"
BOX_TOML = "box.toml"

# the box's HTTP(S) calls, under the server's dashboard port (docs/protocol.md)
OPEN_PATH = "/pair"  # POST {"host", "key", "proto"} -> {"token", "site", "poll_s", ...}


# the stable error codes of the pairing calls and of the dashboard's panel, besides the
# dashboard's own (bad_request, rate_limited with retry_after_s, forbidden, csrf, ...)
ERRORS = ("pairing_off", "pairing_full", "bad_code", "bad_key", "unknown_request",
          "not_waiting", "bundle_taken", "unknown_bundle", "not_sent", "bad_confirm")


def poll_path(token: str) -> str:
    return f"/pair/{token}"  # GET -> {"state": waiting | sent (+ answer) | refused | ...}


def confirm_path(token: str) -> str:
    return f"/pair/{token}/confirm"  # POST {"mac"}: the box opened it; the bundle is taken


def failed_path(token: str) -> str:
    return f"/pair/{token}/failed"  # POST {"reason"}: the box could not open the answer


class PairingError(ValueError):
    """A value of the pairing protocol is malformed; `code` is the stable error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Mismatch(PairingError):
    """The answer does not open: a wrong code typed, a swapped key or a changed answer
    (the box cannot tell which, and need not: it asks again with a new code)."""

    def __init__(self, message: str = "the answer does not open with this box's key and "
                                      "code") -> None:
        super().__init__("mismatch", message)


# --------------------------------------------------------------------------- the code


def new_code() -> str:
    """A fresh code: 60 random bits as 12 Crockford characters (no dashes)."""
    value = secrets.randbits(5 * CODE_CHARS)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(CODE_CHARS)))


def show_code(code: str) -> str:
    """7KQ2M9XD4RTA -> 7KQ2-M9XD-4RTA."""
    return "-".join(code[i:i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def parse_code(text: str) -> str:
    """What a person typed, as the 12 characters the box showed: case, dashes and spaces
    do not matter, and O / I / L read as 0 / 1 / 1. Raises PairingError("bad_code")."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != CODE_CHARS or any(ch not in ALPHABET for ch in cleaned):
        raise PairingError("bad_code", f"a code is {CODE_CHARS} characters of "
                                       f"{ALPHABET} (dashes and case do not matter)")
    return cleaned


# --------------------------------------------------------------------------- the keys


def new_key() -> tuple[X25519PrivateKey, bytes]:
    """A box's fresh key pair: the private key and the public key's 32 bytes."""
    private = X25519PrivateKey.generate()
    return private, _raw(private.public_key())


def check_public_key(raw: bytes) -> None:
    """A usable X25519 public key: 32 bytes that give no all-zero secret (a low-order
    point would make the secret known to all). Raises PairingError("bad_key")."""
    if len(raw) != KEY_BYTES:
        raise PairingError("bad_key", f"a public key is {KEY_BYTES} bytes")
    try:
        X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(raw))
    except ValueError:
        raise PairingError("bad_key", "not a usable X25519 public key") from None


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _info(box_pub: bytes, eph_pub: bytes, device: str, site: str) -> bytes:
    parts = (box_pub, eph_pub, device.encode(), site.encode())
    return LABEL + b"".join(struct.pack(">H", len(p)) + p for p in parts)


def stretch(code: str, box_pub: bytes) -> bytes:
    """scrypt of the code, salted by the box's public key (fresh for every request)."""
    return hashlib.scrypt(code.encode("ascii"), salt=hashlib.sha256(LABEL + box_pub).digest(),
                          n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=SCRYPT_MAXMEM, dklen=32)


@dataclass(frozen=True)
class Keys:
    seal: bytes  # AES-256-GCM
    confirm: bytes  # HMAC-SHA256 of the box's confirmation


def derive(shared: bytes, code: str, box_pub: bytes, eph_pub: bytes, device: str,
           site: str) -> Keys:
    okm = HKDF(algorithm=hashes.SHA256(), length=64, salt=LABEL,
               info=_info(box_pub, eph_pub, device, site)).derive(
        shared + stretch(code, box_pub))
    return Keys(okm[:32], okm[32:])


# --------------------------------------------------------------------------- the answer


@dataclass(frozen=True)
class Answer:
    """The server's answer to an approved request: the bundle sealed for one box."""

    device: str
    site: str
    eph: bytes  # the server's ephemeral public key
    nonce: bytes
    sealed: bytes  # AES-256-GCM of the bundle's bytes, with its tag

    def to_wire(self) -> dict[str, str]:
        return {"device": self.device, "site": self.site, "eph": b64(self.eph),
                "nonce": b64(self.nonce), "sealed": b64(self.sealed)}

    @classmethod
    def from_wire(cls, data: Any) -> Answer:
        """Raises PairingError("bad_answer") for anything but a well-formed answer."""
        if not isinstance(data, dict):
            raise PairingError("bad_answer", "the answer is not an object")
        fields = {k: data.get(k) for k in ("device", "site", "eph", "nonce", "sealed")}
        if not all(isinstance(v, str) and v for v in fields.values()):
            raise PairingError("bad_answer", "the answer lacks a field")
        answer = cls(str(fields["device"]), str(fields["site"]),
                     unb64(str(fields["eph"]), "bad_answer"),
                     unb64(str(fields["nonce"]), "bad_answer"),
                     unb64(str(fields["sealed"]), "bad_answer"))
        if len(answer.eph) != KEY_BYTES or len(answer.nonce) != NONCE_BYTES:
            raise PairingError("bad_answer", "the answer's key or nonce has a wrong size")
        return answer


def seal(bundle: bytes, box_pub: bytes, code: str, device: str, site: str
         ) -> tuple[Answer, bytes]:
    """The server's side: the answer for the box that sent `box_pub` and showed `code`,
    and the key its confirmation must be made with."""
    eph = X25519PrivateKey.generate()
    eph_pub = _raw(eph.public_key())
    keys = derive(eph.exchange(X25519PublicKey.from_public_bytes(box_pub)), code, box_pub,
                  eph_pub, device, site)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(keys.seal).encrypt(nonce, bundle, LABEL)
    return Answer(device, site, eph_pub, nonce, sealed), keys.confirm


def open_answer(private: X25519PrivateKey, code: str, answer: Answer) -> tuple[bytes, bytes]:
    """The box's side: the bundle's bytes and the confirmation to send back. Raises
    Mismatch when the answer was not sealed for this key and this code."""
    box_pub = _raw(private.public_key())
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(answer.eph))
    except ValueError:
        raise Mismatch("the answer's key is not usable") from None
    keys = derive(shared, code, box_pub, answer.eph, answer.device, answer.site)
    try:
        bundle = AESGCM(keys.seal).decrypt(answer.nonce, answer.sealed, LABEL)
    except InvalidTag:
        raise Mismatch() from None
    return bundle, confirmation(keys.confirm, answer)


def confirmation(confirm_key: bytes, answer: Answer) -> bytes:
    """HMAC-SHA256 proving the box opened this very answer (and so holds K)."""
    digest = hashlib.sha256(answer.nonce + answer.sealed).digest()
    return hmac.new(confirm_key, LABEL + b" confirm" + digest, hashlib.sha256).digest()


def confirmed(confirm_key: bytes, answer: Answer, mac: bytes) -> bool:
    return hmac.compare_digest(confirmation(confirm_key, answer), mac)


# --------------------------------------------------------------------------- encoding


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, code: str) -> bytes:
    """Strict base64, or PairingError(code)."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise PairingError(code, "not base64") from None
