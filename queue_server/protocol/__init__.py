"""The MQTT wire contract shared by the server and every app.

Import-light on purpose: no SQLAlchemy, no Qt. See docs/protocol.md.
"""

from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.messages import ROLE_OPS, Command, parse_command
from queue_server.protocol.topics import Topics, valid_device_id

__all__ = [
    "ROLE_OPS",
    "Command",
    "ErrorCode",
    "ProtocolError",
    "Topics",
    "parse_command",
    "valid_device_id",
]
