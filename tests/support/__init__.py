"""Test helpers shared by the suite: real brokers, real PostgreSQL, MQTT collectors.

Import as `from tests.support.broker import Collector` (pytest puts the repo root on sys.path,
see `pythonpath` in pyproject.toml).
"""
