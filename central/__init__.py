"""`mpp central`: the receiver a city or province runs for its halls' outboxes (issue 14,
docs/outside-world.md). Stateless HTTP over TLS in front of PostgreSQL: every instance
serves every hall, the database's own primary key keeps each record once.

    db.py       the engine, the schema (Alembic, central/migrations), sites and tokens
    ingest.py   one batch into PostgreSQL: one statement, ON CONFLICT DO NOTHING
    app.py      the FastAPI application: POST /v1/upload, GET /health
    serve.py    uvicorn over TLS, until SIGTERM
"""
