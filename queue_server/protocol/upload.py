"""The upload format, version 1: how a hall's outbox reaches its city's central over HTTPS
(docs/outside-world.md is the same contract in prose, for a city writing its own receiver).

    POST {central}/v1/upload            Authorization: Bearer <the site's token>
    {"format": 1, "site": "mpp-makassar", "stream": "tickets",
     "records": [{"key": "mpp-makassar:tickets:41", "seq": 41, "type": "ticket.ended",
                  "at": "2026-11-30T09:14:03.120+08:00", "data": {...}}, ...]}

    200 {"format": 1, "ok": true, "site": ..., "stream": ..., "acked_through": 41,
         "stored": 1, "duplicates": 0, "conflicts": 0}
    4xx/5xx {"ok": false, "error": {"code": "...", "message": "..."}}

One stream per batch; its records in seq order, one after the other without a gap (the
hall numbers each stream from 1 and never skips). The key names a record for ever: a
receiver stores a key once (a repeat is a duplicate, acknowledged and not stored again).
Both sides use this module: the hall to build batches and read the answers, the central
to check batches and build its answers. Standard library only."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMAT = 1
UPLOAD_PATH = "/v1/upload"
STREAMS = ("tickets", "days", "surveys", "incidents")
MAX_RECORDS = 5000  # records in one batch
MAX_BODY = 8 * 1024 * 1024  # bytes of one request
MAX_TYPE = 64
_SITE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")  # protocol/topics.py SLUG_RE


class UploadError(ValueError):
    """A batch or an answer that breaks the format. `code` is stable (it goes on the wire
    and into the hall's status); `status` is the HTTP status a receiver answers with."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def to_wire(self) -> dict[str, Any]:
        return {"ok": False, "error": {"code": self.code, "message": self.message}}


def record_key(site: str, stream: str, seq: int) -> str:
    """The idempotency key of one record: the same record always has the same key."""
    return f"{site}:{stream}:{seq}"


def record_text(site: str, stream: str, seq: int, type_: str, at: str,
                data_json: str) -> str:
    """One record as the batch carries it, from its data already in JSON (the hall keeps
    records in this form, so a batch is joined, not encoded again)."""
    head = json.dumps({"key": record_key(site, stream, seq), "seq": seq, "type": type_,
                       "at": at}, ensure_ascii=False, separators=(",", ":"))
    return f'{head[:-1]},"data":{data_json}}}'


def batch_body(site: str, stream: str, records: list[str]) -> bytes:
    """A request's body from records made by record_text."""
    head = json.dumps({"format": FORMAT, "site": site, "stream": stream},
                      separators=(",", ":"))
    return f'{head[:-1]},"records":[{",".join(records)}]}}'.encode()


@dataclass(frozen=True)
class Record:
    seq: int
    type: str
    at: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Batch:
    site: str
    stream: str
    records: list[Record]

    @property
    def last(self) -> int:
        return self.records[-1].seq


def _bad(message: str) -> UploadError:
    return UploadError("bad_batch", message)


def parse_batch(raw: bytes) -> Batch:
    """A request's body, checked: the format, the site, a known stream, and records in
    seq order without a gap, each with its own key. Raises UploadError."""
    if len(raw) > MAX_BODY:
        raise UploadError("too_large", f"a batch is at most {MAX_BODY} bytes", 413)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise _bad("the body is not UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise _bad("the body is not a JSON object")
    if data.get("format") != FORMAT:
        raise UploadError("unknown_format", f"format {data.get('format')!r} is not "
                          f"known here (this receiver reads format {FORMAT})")
    site, stream, records = data.get("site"), data.get("stream"), data.get("records")
    if not isinstance(site, str) or not _SITE.match(site):
        raise _bad("site: not a site id")
    if stream not in STREAMS:
        raise _bad(f"stream: not one of {', '.join(STREAMS)}")
    if not isinstance(records, list) or not records:
        raise _bad("records: not a non-empty list")
    if len(records) > MAX_RECORDS:
        raise UploadError("too_large", f"a batch holds at most {MAX_RECORDS} records", 413)
    checked = [_record(site, stream, i, r) for i, r in enumerate(records)]
    for i in range(1, len(checked)):
        if checked[i].seq != checked[i - 1].seq + 1:
            raise _bad(f"records[{i}]: seq {checked[i].seq} does not follow "
                       f"{checked[i - 1].seq}")
    return Batch(site, stream, checked)


def _record(site: str, stream: str, i: int, r: Any) -> Record:
    if not isinstance(r, dict):
        raise _bad(f"records[{i}]: not an object")
    seq, type_, at, data = r.get("seq"), r.get("type"), r.get("at"), r.get("data")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise _bad(f"records[{i}].seq: not a whole number from 1")
    if r.get("key") != record_key(site, stream, seq):
        raise _bad(f"records[{i}].key: not {record_key(site, stream, seq)!r}")
    if not isinstance(type_, str) or not 0 < len(type_) <= MAX_TYPE:
        raise _bad(f"records[{i}].type: not a name of 1-{MAX_TYPE} characters")
    if not isinstance(at, str) or not _aware(at):
        raise _bad(f"records[{i}].at: not an ISO 8601 time with its UTC offset")
    if not isinstance(data, dict):
        raise _bad(f"records[{i}].data: not an object")
    return Record(seq, type_, at, data)


def _aware(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


@dataclass(frozen=True)
class Ack:
    acked_through: int
    stored: int
    duplicates: int
    conflicts: int


def ack_body(batch: Batch, stored: int, duplicates: int, conflicts: int) -> dict[str, Any]:
    """The receiver's answer once the whole batch is durably stored (or was already)."""
    return {"format": FORMAT, "ok": True, "site": batch.site, "stream": batch.stream,
            "acked_through": batch.last, "stored": stored, "duplicates": duplicates,
            "conflicts": conflicts}


def parse_ack(raw: bytes, site: str, stream: str, last: int) -> Ack:
    """A 200 answer to a batch of `stream` ending at seq `last`. Anything but the whole
    batch acknowledged is `bad_answer`: the hall keeps the records and sends them again."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise UploadError("bad_answer", "the answer is not JSON") from None
    if not isinstance(data, dict) or data.get("ok") is not True:
        raise UploadError("bad_answer", "the answer does not say ok")
    if data.get("site") != site or data.get("stream") != stream:
        raise UploadError("bad_answer", "the answer is about another site or stream")
    if data.get("acked_through") != last:
        raise UploadError("bad_answer", f"acked_through {data.get('acked_through')!r}, "
                          f"not {last}")
    counts = [data.get(k, 0) for k in ("stored", "duplicates", "conflicts")]
    if not all(isinstance(n, int) and n >= 0 for n in counts):
        raise UploadError("bad_answer", "stored, duplicates, conflicts: not counts")
    return Ack(last, *counts)


def error_of(raw: bytes) -> tuple[str, str] | None:
    """(code, message) of an error answer, or None when it is not one in this format."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        return None
    return error["code"][:64], str(error.get("message", ""))[:300]
