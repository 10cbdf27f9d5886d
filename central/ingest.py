"""One batch into PostgreSQL in one statement: the records go in through unnest() arrays,
INSERT ... ON CONFLICT DO NOTHING keeps a key already stored as it is (a hall's retry is a
duplicate, acknowledged and not stored again). When some were there already, a second
statement counts those stored with other contents (conflicts: the hall is told, nothing
is overwritten). No state between requests: any instance takes any batch."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from queue_server.protocol.upload import Batch, Record

INGEST_SQL = """
WITH stored AS (
    INSERT INTO records (site, stream, seq, type, at, data, digest)
    SELECT %(site)s, %(stream)s, seq, type, at::timestamptz, data::jsonb, digest
    FROM unnest(%(seqs)s::bigint[], %(types)s::text[], %(ats)s::text[], %(datas)s::text[],
                %(digests)s::text[]) AS u(seq, type, at, data, digest)
    ON CONFLICT (site, stream, seq) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM stored
"""
# Only when some keys were there already (a retry): which of them hold other contents.
# In the same transaction the batch's new rows are visible, with their own digests.
CONFLICTS_SQL = """
SELECT count(*) FROM records r
JOIN unnest(%(seqs)s::bigint[], %(digests)s::text[]) AS i(seq, digest) ON r.seq = i.seq
WHERE r.site = %(site)s AND r.stream = %(stream)s AND r.digest <> i.digest
"""


@dataclass(frozen=True)
class Stored:
    stored: int
    duplicates: int
    conflicts: int


def digest(r: Record, data: str) -> str:
    return hashlib.sha256(f"{r.type}\n{r.at}\n{data}".encode()).hexdigest()


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def ingest(engine: Engine, batch: Batch) -> Stored:
    """Store a checked batch (protocol/upload.parse_batch) in one transaction."""
    datas = [_canonical(r.data) for r in batch.records]
    params = {"site": batch.site, "stream": batch.stream,
              "seqs": [r.seq for r in batch.records],
              "types": [r.type for r in batch.records],
              "ats": [r.at for r in batch.records], "datas": datas,
              "digests": [digest(r, d) for r, d in zip(batch.records, datas, strict=True)]}
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        try:
            cur.execute(INGEST_SQL, params)
            stored = int(cur.fetchone()[0])  # type: ignore[index]
            conflicts = 0
            if stored < len(batch.records):
                cur.execute(CONFLICTS_SQL, params)
                conflicts = int(cur.fetchone()[0])  # type: ignore[index]
        finally:
            cur.close()
        raw.commit()
    except BaseException:
        try:
            raw.rollback()
        except Exception:  # the connection is gone: the pool drops it
            raw.invalidate()
        raise
    finally:
        raw.close()
    return Stored(stored, len(batch.records) - stored, conflicts)
