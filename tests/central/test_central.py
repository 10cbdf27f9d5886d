"""`mpp central` as a city runs it: its own process over TLS on a loopback port, in front
of PostgreSQL. A token opens its own site only; a batch is stored once per key, a repeat
is a duplicate, a different record under a taken key a conflict that changes nothing; every
refusal has its code."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from central.db import make_central_engine
from mpp.cli import main
from queue_server.protocol.upload import batch_body, parse_ack, record_text
from queue_server.wan.http import CentralClient, WanError
from tests.support.central import CentralProcess, fresh_central_db, held, new_site

AT = "2026-11-30T09:14:03.120+08:00"


def body(site: str, seqs: range, stream: str = "tickets", n: int = 0) -> bytes:
    return batch_body(site, stream, [
        record_text(site, stream, s, "ticket.ended", AT, json.dumps({"ticket": f"t{s}",
                                                                     "n": n}))
        for s in seqs])


def client(central, token_file: Path, tls) -> CentralClient:
    return CentralClient((central.url,), token_file.read_text().strip(), tls.ca, 10.0)


@pytest.fixture(scope="module")
def shared(postgres_cluster, central_tls, tmp_path_factory):
    """One central for the module (each test has sites of its own): its start costs
    a second or two."""
    with fresh_central_db(postgres_cluster) as url:
        process = CentralProcess(url, central_tls, tmp_path_factory.mktemp("central")).start()
        yield process, url
        process.stop()


@pytest.fixture
def central(shared):
    return shared[0]


@pytest.fixture
def central_db(shared):
    return shared[1]


@pytest.fixture
def site() -> str:
    return f"mpp-{uuid.uuid4().hex[:8]}"


def test_a_batch_is_stored_once_and_a_repeat_is_acknowledged(central, central_db,
                                                             central_tls, tmp_path, site):
    hall = client(central, new_site(central_db, site, tmp_path), central_tls)
    # WHEN a hall sends records 1-3, then 1-5 (the first three again: a retry)
    first = hall.post(body(site, range(1, 4)), "k")
    again = hall.post(body(site, range(1, 6)), "k")
    # THEN both are acknowledged through their last record, and each key is held once
    assert parse_ack(first.body, site, "tickets", 3).stored == 3
    ack = parse_ack(again.body, site, "tickets", 5)
    assert (ack.stored, ack.duplicates, ack.conflicts) == (2, 3, 0)
    assert held(central_db, site) == {"tickets": [1, 2, 3, 4, 5]}
    # AND a different record under a key already held is a conflict: the first one stays
    changed = parse_ack(hall.post(body(site, range(5, 7), n=1), "k").body, site,
                        "tickets", 6)
    assert (changed.stored, changed.duplicates, changed.conflicts) == (1, 1, 1)
    engine = make_central_engine(central_db, pool_size=1)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT data FROM records WHERE site = :s "
                                 "AND seq = 5"), {"s": site}).scalar()
    engine.dispose()
    assert kept == {"ticket": "t5", "n": 0}
    hall.close()


def test_a_token_opens_its_own_site_only(central, central_db, central_tls, tmp_path, site):
    other_site = site + "-b"
    mine = new_site(central_db, site, tmp_path)
    new_site(central_db, other_site, tmp_path)
    hall = client(central, mine, central_tls)
    # a batch of another site with this token: 403 wrong_site, nothing stored
    other = hall.post(body(other_site, range(1, 2)), "k")
    assert other.status == 403 and json.loads(other.body)["error"]["code"] == "wrong_site"
    # no token, a wrong one: 401 unauthorised
    stranger = CentralClient((central.url,), "not-a-token", central_tls.ca, 10.0)
    answer = stranger.post(body(site, range(1, 2)), "k")
    assert answer.status == 401
    assert json.loads(answer.body)["error"]["code"] == "unauthorised"
    assert held(central_db, site) == {} and held(central_db, other_site) == {}
    hall.close()
    stranger.close()


@pytest.mark.parametrize(("payload", "status", "code"), [
    (b"not json", 400, "bad_batch"),
    (b'{"format": 9}', 400, "unknown_format"),
    (json.dumps({"format": 1, "site": "mpp-a", "stream": "tickets", "records": [
        {"key": "mpp-a:tickets:1", "seq": 1, "type": "x", "at": "2026-13-45T99:00+08:00",
         "data": {}}]}).encode(), 400, "bad_batch"),
    (json.dumps({"format": 1, "site": "mpp-a", "stream": "tickets", "records": [
        {"key": "mpp-a:tickets:1", "seq": 1, "type": "x", "at": AT,
         "data": {"text": "nul\u0000"}}]}).encode(), 400, "bad_batch"),
    (b"x" * (9 * 1024 * 1024), 413, "too_large"),
])
def test_a_wrong_batch_is_refused_with_its_code(central, central_db, central_tls, tmp_path,
                                                payload, status, code, site):
    hall = client(central, new_site(central_db, site, tmp_path), central_tls)
    answer = hall.post(payload.replace(b"mpp-a", site.encode()), "k")
    assert (answer.status, json.loads(answer.body)["error"]["code"]) == (status, code)
    # AND the central goes on taking good batches
    assert hall.post(body(site, range(1, 2)), "k").status == 200
    hall.close()


def test_a_hall_that_does_not_trust_the_central_sends_nothing(central, central_db,
                                                              tmp_path):
    from tests.support.central import make_tls

    other_ca = make_tls(tmp_path / "other").ca  # a CA that never signed the central
    hall = CentralClient((central.url,), "x", other_ca, 10.0)
    with pytest.raises(WanError) as err:
        hall.post(body("mpp-x", range(1, 2)), "k")
    assert err.value.code == "tls_error"


def test_add_site_writes_a_private_token_and_rotate_replaces_it(central, central_db,
                                                                central_tls, tmp_path, site,
                                                                capsys):
    out = tmp_path / "hall" / "central.token"

    def add(*extra: str) -> int:  # the command line, run in this process
        return main(["central", "add-site", site, "--db", central_db, "--token-out",
                     str(out), *extra])

    assert add() == 0
    assert out.stat().st_mode & 0o777 == 0o600
    first = out.read_text().strip()
    printed = capsys.readouterr()
    assert first not in printed.out + printed.err  # the secret is in the file only
    assert add() == 2  # the site exists: no second token by accident
    assert "exists already" in capsys.readouterr().err
    assert add("--rotate") == 0
    old = CentralClient((central.url,), first, central_tls.ca, 10.0)
    new = client(central, out, central_tls)
    assert old.post(body(site, range(1, 2)), "k").status == 401
    assert new.post(body(site, range(1, 2)), "k").status == 200
    old.close()
    new.close()
