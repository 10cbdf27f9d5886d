"""Logs a technician can filter: one line per event with a stable name and key=value
fields (`event=ticket.called device=counter-03 ticket=A-012 service=ktp`), and, under
systemd, records sent to journald's native socket with the fields as journal fields
(MPP_EVENT, MPP_DEVICE, MPP_TICKET, ...), so `journalctl -u mpp-server
MPP_EVENT=ticket.called` finds them (docs/observability.md).

Nothing personal goes in a field: devices by id, tickets by number, never a name, NIK or
phone. The native protocol is small and written here (no dependency): each field is
`KEY=value\\n`, or, when the value holds a newline, `KEY\\n` + its length as 64-bit
little-endian + the value + `\\n`; a record too big for one datagram goes in a sealed
memfd passed over the socket."""

from __future__ import annotations

import array
import errno
import fcntl
import logging
import os
import socket
import struct
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["JOURNAL_SOCKET", "JournalHandler", "encode", "log_event", "log_handler",
           "under_journald"]

JOURNAL_SOCKET = "/run/systemd/journal/socket"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
MAX_VALUE = 200  # characters of one field in a line: a device cannot flood the log
# logging level -> syslog priority (journald's PRIORITY field)
PRIORITIES = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4),
              (logging.INFO, 6))
FIELDS_ATTR = "mpp_fields"  # the LogRecord attribute that carries an event's fields


# -- events ------------------------------------------------------------------------------


def log_event(logger: logging.Logger, name: str, *, level: int = logging.INFO,
              device: str | None = None, ticket: str | None = None,
              **fields: Any) -> None:
    """One line `event=NAME device=... ticket=... key=value ...`; the fields whose value
    is None are left out. The same fields reach journald as MPP_<KEY>."""
    if not logger.isEnabledFor(level):  # the engine's thread: nothing built for nothing
        return
    kept = {"event": name}
    parts = ["event=" + name]
    for key, value in (("device", device), ("ticket", ticket), *fields.items()):
        if value is None:
            continue
        # the usual value (short, printable, no space) costs no call: the engine logs
        # every ticket event on the thread that answers commands
        text = value if type(value) is str and len(value) <= MAX_VALUE \
            and value.isprintable() else _clean(value)
        kept[key] = text
        plain = text and " " not in text and '"' not in text and "=" not in text
        parts.append(f"{key}={text}" if plain else f"{key}={_quoted(text)}")
    logger.log(level, " ".join(parts), extra={FIELDS_ATTR: kept})


def _clean(value: object) -> str:
    """No control character (a forged value cannot start a log line of its own), and a
    bounded length."""
    text = str(value)[:MAX_VALUE]
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- the journal's native protocol --------------------------------------------------------


def encode(fields: Mapping[str, str]) -> bytes:
    """One record in journald's native format."""
    out = bytearray()
    for key, value in fields.items():
        data = value.encode("utf-8", "replace")
        if b"\n" in data:
            out += key.encode() + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
        else:
            out += key.encode() + b"=" + data + b"\n"
    return bytes(out)


def _priority(levelno: int) -> str:
    return str(next((p for level, p in PRIORITIES if levelno >= level), 7))


def _field_name(key: str) -> str:
    """A journal field name: A-Z, 0-9 and _, not starting with _ or a digit."""
    name = "".join(c if c.isalnum() and c.isascii() else "_" for c in key.upper())
    return "MPP_" + name.strip("_")


class JournalHandler(logging.Handler):
    """Sends each record to journald's native socket (`path`), with MESSAGE, PRIORITY,
    SYSLOG_IDENTIFIER, LOGGER and an event's fields as MPP_EVENT, MPP_DEVICE, MPP_TICKET
    and so on. When the journal cannot take it, the line goes to stderr instead."""

    def __init__(self, identifier: str = "mpp", path: str = JOURNAL_SOCKET) -> None:
        super().__init__()
        self.identifier, self.path = identifier, path
        self.setFormatter(logging.Formatter("%(message)s"))
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)

    def record_fields(self, record: logging.LogRecord) -> dict[str, str]:
        fields = {"MESSAGE": self.format(record), "PRIORITY": _priority(record.levelno),
                  "SYSLOG_IDENTIFIER": self.identifier, "LOGGER": record.name}
        for key, value in getattr(record, FIELDS_ATTR, {}).items():
            fields[_field_name(key)] = value
        return fields

    def emit(self, record: logging.LogRecord) -> None:
        try:
            data = encode(self.record_fields(record))
            try:
                self._sock.sendto(data, self.path)
            except OSError as err:
                if err.errno not in (errno.EMSGSIZE, errno.ENOBUFS):
                    raise
                self._send_large(data)
        except OSError:  # no journal (restarting, gone): the line is not lost
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)

    def _send_large(self, data: bytes) -> None:
        """A record over the datagram limit (a long traceback): in a sealed memfd."""
        fd = os.memfd_create("mpp-journal", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        try:
            os.write(fd, data)
            fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW
                        | fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL)
            rights = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [fd]))]
            self._sock.sendmsg([], rights, 0, self.path)
        finally:
            os.close(fd)

    def close(self) -> None:
        self._sock.close()
        super().close()


def under_journald(env: Mapping[str, str] | None = None, stream: Any = None,
                   socket_path: str = JOURNAL_SOCKET) -> bool:
    """Whether stderr is systemd's journal stream (JOURNAL_STREAM names its device and
    inode: a child that inherited the variable but writes elsewhere says no) and the
    native socket is there."""
    value = (os.environ if env is None else env).get("JOURNAL_STREAM", "")
    dev, _, ino = value.partition(":")
    if not (dev.isdigit() and ino.isdigit()) or not Path(socket_path).exists():
        return False
    try:
        st = os.fstat((stream or sys.stderr).fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (st.st_dev, st.st_ino) == (int(dev), int(ino))


def log_handler(identifier: str = "mpp") -> logging.Handler:
    """The process's one log handler: the journal's socket under systemd, else stderr
    lines (TEXT_FORMAT)."""
    if under_journald():
        return JournalHandler(identifier)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    return handler
