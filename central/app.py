"""The central's HTTP API (FastAPI): POST /v1/upload takes one batch of one hall's stream
(queue_server/protocol/upload.py, docs/outside-world.md), GET /health says it is up.

Every upload names its site's token (`Authorization: Bearer ...`, as `mpp central
add-site` made it); a token opens its own site only. Answers are JSON with a stable
`error.code`; the batch is acknowledged only once it is committed."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from central.db import site_of
from central.ingest import ingest
from queue_server.journal import log_event
from queue_server.protocol.upload import (
    FORMAT,
    MAX_BODY,
    UPLOAD_PATH,
    Batch,
    UploadError,
    ack_body,
    parse_batch,
)

log = logging.getLogger("mpp.central")


def _refuse(err: UploadError) -> JSONResponse:
    return JSONResponse(err.to_wire(), status_code=err.status)


def _token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UploadError("unauthorised", "no site token (Authorization: Bearer ...)", 401)
    return token.strip()


async def _body(request: Request) -> bytes:
    """The request's body, refused past MAX_BODY without reading the rest."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise UploadError("too_large", f"a batch is at most {MAX_BODY} bytes", 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise UploadError("too_large", f"a batch is at most {MAX_BODY} bytes", 413)
        chunks.append(chunk)
    return b"".join(chunks)


def _authorised(engine: Engine, token: str) -> str:
    try:
        with engine.connect() as conn:
            site = site_of(conn, token)
    except SQLAlchemyError as err:
        raise _storage(err) from err
    if site is None:
        raise UploadError("unauthorised", "unknown or disabled site token", 401)
    return site


def _storage(err: Exception) -> UploadError:
    log.warning("database: %s", str(err).splitlines()[0][:300])
    return UploadError("storage_error", "the central could not store it; send it again", 503)


def _store(engine: Engine, batch: Batch) -> dict[str, Any]:
    import psycopg

    try:
        done = ingest(engine, batch)
    except psycopg.DataError as err:  # a value PostgreSQL cannot hold (a NUL, a bad time)
        raise UploadError("bad_batch", f"a value the database cannot store: "
                          f"{str(err).splitlines()[0][:200]}") from err
    except (psycopg.Error, SQLAlchemyError) as err:
        raise _storage(err) from err
    if done.conflicts:
        log_event(log, "central.conflict", level=logging.WARNING, site=batch.site,
                  stream=batch.stream, conflicts=done.conflicts,
                  text="keys already stored with other contents: kept as they were")
    return ack_body(batch, done.stored, done.duplicates, done.conflicts)


def create_app(engine: Engine) -> FastAPI:
    app = FastAPI(title="MPP central", version=str(FORMAT), docs_url=None, redoc_url=None,
                  openapi_url=None)

    @app.post(UPLOAD_PATH)
    async def upload(request: Request) -> JSONResponse:
        try:
            site = await run_in_threadpool(_authorised, engine, _token(request))
            batch = parse_batch(await _body(request))
            if batch.site != site:
                raise UploadError("wrong_site", f"this token is site {site}'s", 403)
            return JSONResponse(await run_in_threadpool(_store, engine, batch))
        except UploadError as err:
            if err.status != 503:
                log.info("refused an upload: %s %s", err.code, err.message[:200])
            return _refuse(err)

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "format": FORMAT}

    return app
