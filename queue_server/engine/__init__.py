"""The single writer: applies commands in order, commits, then replies and publishes."""

from queue_server.engine.core import Engine, Outbound

__all__ = ["Engine", "Outbound"]
