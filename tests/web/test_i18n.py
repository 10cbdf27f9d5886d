"""Both catalogues of the dashboard hold every string the pages and the script ask for,
and every code the server can answer with."""

from __future__ import annotations

import re
from pathlib import Path

from mpp.box.layout import ROLES
from queue_server.domain.alerts import AlertKind
from queue_server.protocol.errors import ErrorCode
from queue_server.protocol.ops import PAUSE_REASONS
from queue_server.protocol.pairing import ERRORS as PAIRING_ERRORS
from queue_server.web.i18n import LANGS, catalogue, error_text, translate
from queue_server.web.pairing import State

WEB = Path(__file__).resolve().parents[2] / "queue_server" / "web"
# keys the script builds from data: prefix -> the values the server sends
DYNAMIC = {
    "alert.": [k.value for k in AlertKind],
    "service.closed.": ["hours", "supervisor", "quota", "unknown"],
    "counter.": ["open", "paused", "closed", "unknown"],
    "reason.": list(PAUSE_REASONS),
    "ticket.": ["waiting", "called", "serving", "done", "no_show", "transferred", "cancelled",
                "voided"],
    "role.": ["kiosk", "counter", "display", "supervisor", "administrator"],
    "device.": ["online", "offline", "unknown"],
    "paper.": ["ok", "near_end", "out", "unknown"],
    "printer.": ["paper_near_end", "paper_out", "cover_open", "error", "offline", "unknown"],
    "lang.": list(LANGS),
    "pairing.state.": [s.value for s in State],
    "pairing.role.": [r for r in ROLES if r != "server"],
    "wan.": ["up", "down", "refused", "unknown", "off"],  # the outbox's WAN state
    "error.": [c.value for c in ErrorCode] + ["csrf", "not_found", "method_not_allowed",
                                              "http_error", "unknown_alert", "network",
                                              *PAIRING_ERRORS],  # a box's pairing
}


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*(WEB / "templates").glob("*.html"), WEB / "static" / "dashboard.js",
                 *WEB.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        # whole keys only: t("service.closed." + reason) is covered by DYNAMIC
        found = re.findall(r"""\b(?:t|translate)\(\s*(?:lang,\s*)?["']([a-z_.]+)["']""", text)
        keys |= {k for k in found if "." in k and not k.endswith(".")}
    for prefix, values in DYNAMIC.items():
        keys |= {prefix + v for v in values}
    return keys


def test_catalogues_have_the_same_keys_and_no_empty_text():
    ids, ens = catalogue("id"), catalogue("en")
    assert set(ids) == set(ens)
    assert all(v.strip() for v in [*ids.values(), *ens.values()])
    for key in ids:  # the same placeholders in both languages
        assert set(re.findall(r"\{(\w+)\}", ids[key])) == set(re.findall(r"\{(\w+)\}", ens[key]))


def test_every_used_key_is_translated():
    keys = used_keys()
    assert len(keys) > 100
    missing = {lang: sorted(k for k in keys if k not in catalogue(lang)) for lang in LANGS}
    assert missing == {lang: [] for lang in LANGS}


def test_translate_and_error_text():
    assert translate("en", "alerts.acked_by", user="ani") == "acknowledged by ani"
    assert translate("xx", "auth.sign_in") == "Masuk"  # unknown languages fall back to id
    assert error_text("en", "quota_full") == "The daily quota is reached."
    assert error_text("id", "brand_new_code") == "Gagal (brand_new_code)."
