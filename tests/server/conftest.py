"""Server tests use the hall fixtures of tests/support/hall.py (site, clock, sqlite_url,
server_factory, server, client_factory), registered in tests/conftest.py."""
