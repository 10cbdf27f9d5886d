"""Log events and journald's native protocol (queue_server/journal.py). A unix datagram
socket made by the test in its own folder stands in for journald's
/run/systemd/journal/socket; the handler is pointed at it by path."""

from __future__ import annotations

import array
import logging
import os
import re
import socket
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mpp.broker import BrokerHandle
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.journal import JournalHandler, encode, log_event, under_journald
from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer
from tests.support.hall import server_options

Record = dict[str, str]


def parse(data: bytes) -> Record:
    """One record of the native protocol, both forms (KEY=value, and KEY + length)."""
    fields: Record = {}
    while data:
        line, sep, rest = data.partition(b"\n")
        assert sep, "every field ends with a newline"
        if b"=" in line:
            key, _, value = line.partition(b"=")
            fields[key.decode()], data = value.decode(), rest
        else:
            (size,) = struct.unpack("<Q", rest[:8])
            fields[line.decode()] = rest[8:8 + size].decode()
            assert rest[8 + size:9 + size] == b"\n"
            data = rest[9 + size:]
    return fields


class FakeJournal:
    """A datagram socket in a folder of the test's own; reads records as journald would,
    a memfd passed with SCM_RIGHTS included."""

    def __init__(self, folder: Path) -> None:
        self.path = str(folder / "journal.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(10.0)

    def receive(self) -> Record:
        data, ancillary, _flags, _addr = self.sock.recvmsg(1 << 20, socket.CMSG_SPACE(4))
        for level, kind, payload in ancillary:
            if (level, kind) == (socket.SOL_SOCKET, socket.SCM_RIGHTS):
                fd = array.array("i", payload[:4])[0]
                with os.fdopen(fd, "rb") as memfd:  # journald maps it from its start
                    memfd.seek(0)
                    data = memfd.read()
        return parse(data)

    def until(self, *events: str) -> list[Record]:
        """Records in order until every one of `events` (MPP_EVENT) has come."""
        seen: list[Record] = []
        while not set(events) <= {r.get("MPP_EVENT") for r in seen}:
            seen.append(self.receive())
        return seen

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[FakeJournal]:
    found = FakeJournal(tmp_path)
    yield found
    found.close()


@pytest.fixture
def handler(journal: FakeJournal) -> Iterator[JournalHandler]:
    """On the `mpp` logger at INFO, before anything starts."""
    made = JournalHandler("mpp-test", path=journal.path)
    logger = logging.getLogger("mpp")
    old_level = logger.level
    logger.addHandler(made)
    logger.setLevel(logging.INFO)
    yield made
    logger.removeHandler(made)
    logger.setLevel(old_level)
    made.close()


# -- the protocol ---------------------------------------------------------------------------


def test_a_value_with_a_newline_takes_the_binary_safe_form() -> None:
    data = encode({"MESSAGE": "line one\nline two", "PRIORITY": "6"})
    assert data == (b"MESSAGE\n" + struct.pack("<Q", 17) + b"line one\nline two\n"
                    b"PRIORITY=6\n")
    assert parse(data) == {"MESSAGE": "line one\nline two", "PRIORITY": "6"}


def test_an_event_reaches_the_journal_with_its_fields(journal: FakeJournal,
                                                      handler: JournalHandler) -> None:
    log_event(logging.getLogger("mpp.engine"), "ticket.called", device="counter-03",
              ticket="A-012", service="ktp", counter="loket-03")
    record = journal.receive()
    assert record == {
        "MESSAGE": "event=ticket.called device=counter-03 ticket=A-012 service=ktp "
                   "counter=loket-03",
        "PRIORITY": "6", "SYSLOG_IDENTIFIER": "mpp-test", "LOGGER": "mpp.engine",
        "MPP_EVENT": "ticket.called", "MPP_DEVICE": "counter-03", "MPP_TICKET": "A-012",
        "MPP_SERVICE": "ktp", "MPP_COUNTER": "loket-03"}


def test_a_forged_value_cannot_start_a_line_and_errors_keep_their_priority(
        journal: FakeJournal, handler: JournalHandler) -> None:
    log_event(logging.getLogger("mpp.engine"), "storage.error", level=logging.ERROR,
              device="kiosk-01\nINFO forged", detail='disk "full"')
    record = journal.receive()
    assert record["PRIORITY"] == "3"
    assert record["MPP_DEVICE"] == "kiosk-01\\x0aINFO forged"
    assert record["MESSAGE"] == ('event=storage.error device="kiosk-01\\\\x0aINFO forged" '
                                 'detail="disk \\"full\\""')


def test_a_record_over_the_datagram_limit_goes_in_a_memfd(journal: FakeJournal,
                                                          handler: JournalHandler) -> None:
    logging.getLogger("mpp.test").warning("%s", "x" * 400_000)
    record = journal.receive()
    assert record["PRIORITY"] == "4"
    assert len(record["MESSAGE"]) == 400_000 and set(record["MESSAGE"]) == {"x"}


def test_without_a_journal_the_line_goes_to_stderr(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    gone = JournalHandler(path=str(tmp_path / "no-journal.sock"))
    logger = logging.getLogger("mpp.test.gone")
    logger.addHandler(gone)
    try:
        log_event(logger, "server.stop", level=logging.WARNING, site="mpp-uji")
    finally:
        logger.removeHandler(gone)
        gone.close()
    assert "event=server.stop site=mpp-uji" in capsys.readouterr().err


def test_journald_is_used_only_when_stderr_is_its_stream(journal: FakeJournal,
                                                         tmp_path: Path) -> None:
    with (tmp_path / "stream").open("w") as stream:
        st = os.fstat(stream.fileno())
        ours = {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"}
        assert under_journald(ours, stream, journal.path)
        assert not under_journald({"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino + 1}"},
                                  stream, journal.path)  # inherited, but not our stderr
        assert not under_journald({}, stream, journal.path)
        assert not under_journald(ours, stream, str(tmp_path / "none.sock"))


# -- a real server -------------------------------------------------------------------------


def test_a_servers_events_reach_the_journal(
        journal: FakeJournal, handler: JournalHandler, mosquitto: BrokerHandle,
        site: SiteConfig, sqlite_url: str, clock: ManualClock,
        client_factory: Callable[..., QueueClient]) -> None:
    # GIVEN a server with its dashboard (uvicorn) started after the handler was set up
    server = QueueServer(site, server_options(mosquitto, sqlite_url, http_port=0,
                                              http_host="127.0.0.1", advertise=False), clock)
    server.start(wait_connected=10)
    try:
        assert journal.until("server.start")[-1]["MPP_SITE"] == site.site.id
        assert server.web is not None and server.web.live.connected.wait(10)
        # WHEN a kiosk comes online and issues a ticket that a counter calls
        kiosk = client_factory("kiosk-01", "kiosk")
        counter = client_factory("counter-01", "counter")
        issued = kiosk.request("ticket.issue", {"service": "ktp"})
        counter.request("counter.open", {"counter": "loket-01"})
        counter.request("counter.call_next", {"counter": "loket-01"})
        records = journal.until("ticket.issued", "ticket.called", "device.online")
        while not {"kiosk-01", "counter-01"} <= {r.get("MPP_DEVICE") for r in records
                                                 if r.get("MPP_EVENT") == "device.online"}:
            records.append(journal.receive())
    finally:
        server.stop()
    records += journal.until("server.stop")
    # THEN each event is a record with its name, its device and its ticket's number
    events = {r["MPP_EVENT"]: r for r in records if "MPP_EVENT" in r}
    called = events["ticket.called"]
    assert events["ticket.issued"]["MPP_DEVICE"] == "kiosk-01"
    assert events["ticket.issued"]["MPP_TICKET"] == issued["number"] == "A-001"
    assert events["ticket.issued"]["MPP_SERVICE"] == "ktp"
    assert called["MPP_DEVICE"] == "counter-01" and called["MPP_TICKET"] == "A-001"
    assert called["MESSAGE"].startswith("event=ticket.called device=counter-01 ticket=A-001")
    assert all(r["SYSLOG_IDENTIFIER"] == "mpp-test" for r in records)
    # AND the dashboard's follower told of the kiosk coming online
    online = [r for r in records if r.get("MPP_EVENT") == "device.online"]
    assert {"kiosk-01", "counter-01"} <= {r["MPP_DEVICE"] for r in online}
    assert {r["MPP_ROLE"] for r in online if r["MPP_DEVICE"] == "kiosk-01"} == {"kiosk"}
    # AND nothing that opens the ticket's page, nor its internal id, is in any record
    key = issued["url"].rstrip("/").rpartition("/")[2]
    text = "\n".join(v for r in records for v in r.values())
    assert key not in text and issued["id"] not in text
    assert not re.search(r"\d{16}", text)  # no NIK-shaped number
