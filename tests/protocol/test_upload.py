"""The upload format (protocol/upload.py, docs/outside-world.md): the hall's batches are
what a receiver accepts, and each way a batch or an answer can be wrong has its code."""

from __future__ import annotations

import json

import pytest

from queue_server.protocol.upload import (
    UploadError,
    ack_body,
    batch_body,
    error_of,
    parse_ack,
    parse_batch,
    record_text,
)

AT = "2026-11-30T09:14:03.120+08:00"


def records(*seqs: int, site: str = "mpp-a", stream: str = "tickets") -> list[str]:
    return [record_text(site, stream, s, "ticket.ended", AT, json.dumps({"n": s}))
            for s in seqs]


def test_a_batch_of_records_round_trips():
    body = batch_body("mpp-a", "tickets", records(7, 8, 9))
    batch = parse_batch(body)
    assert (batch.site, batch.stream, batch.last) == ("mpp-a", "tickets", 9)
    assert [r.data for r in batch.records] == [{"n": 7}, {"n": 8}, {"n": 9}]
    assert json.loads(body)["records"][0]["key"] == "mpp-a:tickets:7"
    ack = ack_body(batch, stored=2, duplicates=1, conflicts=0)
    assert parse_ack(json.dumps(ack).encode(), "mpp-a", "tickets", 9).duplicates == 1


def _mangled(change) -> bytes:
    data = json.loads(batch_body("mpp-a", "tickets", records(1, 2)))
    change(data)
    return json.dumps(data).encode()


@pytest.mark.parametrize(("change", "code", "where"), [
    (lambda d: d.update(format=2), "unknown_format", "format"),
    (lambda d: d.update(stream="secrets"), "bad_batch", "stream"),
    (lambda d: d.update(site="Mpp A"), "bad_batch", "site"),
    (lambda d: d.update(records=[]), "bad_batch", "records"),
    (lambda d: d["records"][1].update(seq=3, key="mpp-a:tickets:3"), "bad_batch", "follow"),
    (lambda d: d["records"][0].update(key="mpp-b:tickets:1"), "bad_batch", "key"),
    (lambda d: d["records"][0].update(at="2026-11-30T09:14:03"), "bad_batch", "offset"),
    (lambda d: d["records"][0].update(data=[1]), "bad_batch", "data"),
    (lambda d: d["records"][0].update(seq=True), "bad_batch", "seq"),
])
def test_a_wrong_batch_is_refused_with_its_reason(change, code, where):
    with pytest.raises(UploadError) as err:
        parse_batch(_mangled(change))
    assert err.value.code == code and where in err.value.message


def test_garbage_and_a_flood_are_refused():
    with pytest.raises(UploadError, match="JSON"):
        parse_batch(b"\xff not json")
    with pytest.raises(UploadError) as err:
        parse_batch(batch_body("mpp-a", "tickets", records(*range(1, 5002))))
    assert (err.value.code, err.value.status) == ("too_large", 413)


@pytest.mark.parametrize("answer", [
    b"<html>502 Bad Gateway</html>", b'{"ok": false}', b'{"ok": true, "site": "mpp-a"}',
    b'{"ok": true, "site": "mpp-a", "stream": "tickets", "acked_through": 8}',
    b'{"ok": true, "site": "mpp-a", "stream": "days", "acked_through": 9}',
    b'{"ok": true, "site": "mpp-a", "stream": "tickets", "acked_through": 9, "stored": -1}',
])
def test_an_answer_that_does_not_acknowledge_the_whole_batch_is_bad(answer):
    with pytest.raises(UploadError) as err:
        parse_ack(answer, "mpp-a", "tickets", 9)
    assert err.value.code == "bad_answer"


def test_an_error_answer_gives_its_code():
    assert error_of(b'{"ok": false, "error": {"code": "unauthorised", "message": "no"}}') == (
        "unauthorised", "no")
    assert error_of(b"Internal Server Error") is None
