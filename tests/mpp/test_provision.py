"""`mpp provision` and the broker it configures: the ACL matrix of DESIGN.md's broker
access control, tried against a real Mosquitto with MQTT 5 clients (whose PUBACK and
SUBACK say "not authorised", where MQTT 3.1.1 would drop a denied publish silently)."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mpp.broker import BrokerHandle, start_mosquitto
from mpp.provision import Provisioned, ProvisionError, provision
from mpp.provision.accounts import read_secrets
from mpp.provision.mosquitto import password_line
from mpp.provision.run import SuitePolicy, TlsRequest
from queue_server.config import default_site_path, load_site, parse_site
from queue_server.protocol.credentials import HttpsFiles, load_https
from queue_server.protocol.topics import Topics
from tests.support.broker import require_mosquitto
from tests.support.probe import NOT_AUTHORIZED, REFUSED, Probe

SITE = load_site(default_site_path())
T = Topics(SITE.site.id)
# one account of each kind; "other" is a device of another role, for the cross checks
USERS = ("server", "dashboard", "kiosk-01", "counter-01", "display-hall", "supervisor-01")
OTHER = {"kiosk-01": "counter-01", "counter-01": "kiosk-01", "display-hall": "counter-01",
         "supervisor-01": "counter-01", "server": "kiosk-01", "dashboard": "kiosk-01"}


@dataclass
class Hall:
    done: Provisioned
    broker: BrokerHandle
    secrets: dict[str, str]

    def probe(self, user: str | None, password: str | None = None,
              client_id: str | None = None) -> Probe:
        secret = self.secrets.get(user or "") if password is None else password
        return Probe(self.broker.host, self.broker.port, user, secret, client_id)


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hall]:
    require_mosquitto()
    out = tmp_path_factory.mktemp("provision")
    done = provision(SITE, out)
    broker = start_mosquitto(out / "run", access=done.access)
    try:
        yield Hall(done, broker, read_secrets(out / "secrets.toml"))
    finally:
        broker.stop()


# --------------------------------------------------------------------------- the policy
# DESIGN.md, restated here on its own so the generated ACL is checked against the text.


def may_publish(user: str, topic: str) -> bool:
    kind, _, who = topic.removeprefix(T.root + "/").partition("/")
    if user == "server":
        return kind in ("state", "event", "reply")
    if user == "dashboard":
        return False
    return kind in ("cmd", "device") and who == user


def may_read(user: str, topic: str) -> bool:
    kind, _, who = topic.removeprefix(T.root + "/").partition("/")
    if user == "server":
        return kind == "cmd"
    if user == "dashboard":
        return kind in ("state", "event", "device")
    if kind == "device":  # a kiosk whose printer is out points to another that is up
        return SITE.device(user) is not None and SITE.device(user).role == "kiosk"
    return kind in ("state", "event") or (kind == "reply" and who == user)


def topics_for(user: str) -> list[str]:
    other = OTHER[user]
    return [T.cmd(user), T.cmd(other), T.reply(user), T.reply(other), T.device(user),
            T.device(other), T.calls, T.server, T.counter("loket-01"), T.event("ticket")]


# --------------------------------------------------------------------------- connecting


def test_anonymous_and_wrong_secrets_are_refused(hall: Hall) -> None:
    with hall.probe(None) as anonymous:
        assert anonymous.connack in REFUSED
    with hall.probe("kiosk-01", "not-the-secret") as wrong:
        assert wrong.connack in REFUSED
    with hall.probe("kiosk-01", hall.secrets["counter-01"]) as swapped:
        assert swapped.connack in REFUSED
    with hall.probe("nobody", hall.secrets["kiosk-01"]) as unknown:
        assert unknown.connack in REFUSED
    for user in USERS:
        with hall.probe(user) as probe:
            assert probe.accepted, user


def test_a_stolen_client_id_takes_over_nothing(hall: Hall) -> None:
    # GIVEN the server connected under the client id "server"
    with hall.probe("server", client_id="server") as server:
        assert server.accepted
        # WHEN a kiosk connects asking for the server's client id
        with hall.probe("kiosk-01", client_id="server") as thief:
            assert thief.accepted
            # THEN the server keeps its session (it still publishes) and the thief reads
            # nothing of the server's: its client id is its own user name
            server.subscribe(T.cmd("counter-01"))
            thief.subscribe(T.cmd("counter-01"))
            with hall.probe("counter-01") as desk:
                desk.publish(T.cmd("counter-01"))
            assert server.wait_for(T.cmd("counter-01")) == [T.cmd("counter-01")]
            assert not server.disconnected.is_set()
            thief.subscribe(T.calls)
            assert server.publish(T.calls) in (0, 0x10)
            assert T.cmd("counter-01") not in thief.wait_for(T.calls)


# --------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("user", USERS)
def test_each_account_publishes_only_where_design_says(hall: Hall, user: str) -> None:
    with hall.probe(user) as probe:
        assert probe.accepted
        decided = {topic: probe.publish(topic) != NOT_AUTHORIZED for topic in topics_for(user)}
    assert decided == {topic: may_publish(user, topic) for topic in topics_for(user)}


def publisher_of(topic: str) -> str:
    """Who may publish on `topic`: the device named in cmd/ and device/, else the server."""
    kind, _, who = topic.removeprefix(T.root + "/").partition("/")
    return who if kind in ("cmd", "device") else "server"


# after the topics under test, a message the reader may read: once it has arrived, any
# message of those topics that the broker let through has arrived before it (each was
# acknowledged, so queued to the reader, before the marker was sent)
MARKERS = {"server": T.cmd("kiosk-02"), "dashboard": T.device("kiosk-02")}


@pytest.mark.parametrize("user", USERS)
def test_each_account_hears_only_where_design_says(hall: Hall, user: str) -> None:
    # Mosquitto grants every subscription and filters each message on delivery, so what
    # counts is what arrives
    marker = MARKERS.get(user, T.queue("marker"))
    # the topics someone may publish on (nobody sends on cmd/server, for one)
    topics = [t for t in topics_for(user) if may_publish(publisher_of(t), t)]
    with hall.probe(user) as reader:
        for topic in [*topics, marker]:
            reader.subscribe(topic)
        for topic in [*topics, marker]:
            if publisher_of(topic) == user:  # a second connection would take its place
                assert reader.publish(topic) != NOT_AUTHORIZED, topic
                continue
            with hall.probe(publisher_of(topic)) as writer:
                assert writer.publish(topic) != NOT_AUTHORIZED, topic
        heard = set(reader.wait_for(marker)) - {marker}
    assert heard == {topic for topic in topics if may_read(user, topic)}


def test_a_device_listening_to_everything_hears_only_what_it_may(hall: Hall) -> None:
    # GIVEN a kiosk subscribed to the whole site, and a server reading commands
    with hall.probe("kiosk-01") as spy, hall.probe("server") as server, \
            hall.probe("counter-01") as desk:
        spy.subscribe(f"{T.root}/#")
        server.subscribe(T.cmd("+"))
        # WHEN an officer signs in (a PIN in the command) and the server answers
        desk.publish(T.cmd("counter-01"), b'{"id":"1","op":"officer.signin","args":'
                                          b'{"officer":"petugas-01","pin":"1234"}}')
        assert server.wait_for(T.cmd("counter-01")) == [T.cmd("counter-01")]
        server.publish(T.reply("counter-01"))
        server.publish(T.calls)  # the marker: the spy may read it, and it comes last
        heard = spy.wait_for(T.calls)
    # THEN the spy heard the public state, not the command nor the reply
    assert heard == [T.calls]


def test_only_the_servers_retained_state_reaches_a_display(hall: Hall) -> None:
    forged = b'{"calls":[{"number":"Z-999","counter":"loket-01"}]}'
    with hall.probe("kiosk-01") as forger:
        assert forger.publish(T.calls, forged, retain=True) == NOT_AUTHORIZED
        assert forger.publish(T.server, b'{"status":"offline"}', retain=True) == NOT_AUTHORIZED
        assert forger.publish(T.device("counter-01"), b'{"status":"offline"}',
                              retain=True) == NOT_AUTHORIZED
        assert forger.publish(T.event("ticket"), forged) == NOT_AUTHORIZED
    with hall.probe("server") as server:
        assert server.publish(T.calls, b'{"calls":[]}', retain=True) in (0, 0x10)
    with hall.probe("display-hall") as wall:
        wall.subscribe(T.calls)
        wall.wait_for(T.calls)
    assert [m.payload for m in wall.received] == [b'{"calls":[]}']


# --------------------------------------------------------------------------- the files


def test_provisioning_again_keeps_every_secret_unless_rotated(tmp_path: Path) -> None:
    first = provision(SITE, tmp_path)
    before = read_secrets(tmp_path / "secrets.toml")
    provision(SITE, tmp_path)
    assert read_secrets(tmp_path / "secrets.toml") == before
    provision(SITE, tmp_path, rotate=frozenset({"kiosk-02"}))
    after = read_secrets(tmp_path / "secrets.toml")
    assert after["kiosk-02"] != before["kiosk-02"]
    assert {k: v for k, v in after.items() if k != "kiosk-02"} == \
        {k: v for k, v in before.items() if k != "kiosk-02"}
    assert set(after) == {"server", "dashboard", *(d.id for d in SITE.devices)}
    with pytest.raises(ProvisionError, match="no broker account 'kiosk-99'"):
        provision(SITE, tmp_path, rotate=frozenset({"kiosk-99"}))
    assert len(set(after.values())) == len(after), "every account has its own secret"
    # secrets and credentials are readable by their owner only
    for path in [tmp_path / "secrets.toml",
                 *(first.credentials(u) for u in ("server", "kiosk-01"))]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    text = first.credentials("kiosk-01").read_text()
    assert 'user = "kiosk-01"' in text and after["kiosk-01"] in text
    assert after["dashboard"] in first.credentials("server").read_text()
    assert after["server"] not in text


def test_a_device_named_like_the_servers_account_is_refused() -> None:
    data = {
        "site": {"id": "mpp-uji", "name": "MPP Uji"},
        "schedules": {"standard": {"mon": ["08:00-12:00"]}},
        "agencies": [{"id": "bank", "name_id": "Bank", "name_en": "Bank"}],
        "services": [{"id": "setor", "agency": "bank", "name_id": "Setor",
                      "name_en": "Deposit", "prefix": "A"}],
        "counters": [{"id": "loket-01", "name": "Loket 1", "number": 1, "agency": "bank",
                      "services": ["setor"]}],
        "devices": [{"id": "server", "role": "kiosk"}],
    }
    with pytest.raises(ProvisionError, match="'server' is reserved"):
        provision(parse_site(data), Path("/nonexistent/never-written"))


def test_password_lines_are_mosquittos_own_format() -> None:
    # the line mosquitto_passwd wrote for kiosk-01 / secret123 with this salt
    salt = bytes.fromhex("bbefa0b99fe99b730400a8a0")
    assert password_line("kiosk-01", "secret123", salt) == (
        "kiosk-01:$7$101$u++guZ/pm3MEAKig$5IER2LuiKm0rlwKoENw+A0/eZCLBa7kfHgUarorn9WYWvsb"
        "JWH/9wnIG5qZFWbTRWwrViknnaMkOa/5HKSznUg==")


def test_the_command_says_what_it_wrote_and_refuses_clearly(tmp_path: Path) -> None:
    def mpp(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mpp", "provision", "--out",
                               str(tmp_path), *args], capture_output=True, text=True,
                              timeout=60, check=False)

    done = mpp()
    assert done.returncode == 0, done.stderr
    assert f"provisioned site {SITE.site.id} in {tmp_path}: 41 broker accounts" in done.stdout
    assert (tmp_path / "devices" / "kiosk-01" / "credentials.toml").exists()
    refused = mpp("--rotate", "nobody")
    assert refused.returncode == 2
    assert refused.stderr.strip() == (f"mpp: cannot provision {SITE.site.id}: no broker "
                                      f"account 'nobody' at site {SITE.site.id}")


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def tls_hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hall]:
    require_mosquitto()
    out = tmp_path_factory.mktemp("provision-tls")
    done = provision(SITE, out, tls=TlsRequest(names=["mpp-server.local"],
                                               ips=["127.0.0.1"]))
    broker = start_mosquitto(out / "run", access=done.access)
    try:
        yield Hall(done, broker, read_secrets(out / "secrets.toml"))
    finally:
        broker.stop()


def test_a_box_reaches_the_broker_over_tls_with_the_site_ca(tls_hall: Hall) -> None:
    ca = tls_hall.done.credentials("kiosk-01").parent / "ca.crt"
    assert 'ca = "ca.crt"' in tls_hall.done.credentials("kiosk-01").read_text()
    with Probe(tls_hall.broker.host, tls_hall.broker.port, "kiosk-01",
               tls_hall.secrets["kiosk-01"], ca=ca) as kiosk:
        assert kiosk.accepted
        assert kiosk.publish(T.cmd("kiosk-01")) in (0, 0x10)
    with Probe(tls_hall.broker.host, tls_hall.broker.port, "kiosk-01", "wrong",
               ca=ca) as wrong:
        assert wrong.connack in REFUSED


def handshake(host: str, port: int, ca: Path) -> None:
    """A TLS handshake as a box makes it: the chain to `ca`, and `host` in the certificate
    (paho wraps its socket the same way; a failed handshake there leaks the socket)."""
    context = ssl.create_default_context(cafile=str(ca))
    with socket.create_connection((host, port), timeout=5) as raw, \
            context.wrap_socket(raw, server_hostname=host):
        pass


def test_a_broker_the_site_ca_did_not_sign_is_refused(tls_hall: Hall,
                                                      tmp_path: Path) -> None:
    # GIVEN the CA of another site (another provisioning)
    other = provision(SITE, tmp_path, tls=TlsRequest(names=["mpp-server.local"],
                                                     ips=["127.0.0.1"]))
    foreign_ca = other.credentials("kiosk-01").parent / "ca.crt"
    # THEN a box of that site refuses this broker's certificate
    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        handshake(tls_hall.broker.host, tls_hall.broker.port, foreign_ca)


def test_the_certificate_must_name_the_host_dialled(tls_hall: Hall) -> None:
    ca = tls_hall.done.credentials("kiosk-01").parent / "ca.crt"
    # "localhost" is 127.0.0.1 too, but the certificate does not name it
    handshake(tls_hall.broker.host, tls_hall.broker.port, ca)
    with pytest.raises(ssl.SSLCertVerificationError, match=r"Hostname mismatch"):
        handshake("localhost", tls_hall.broker.port, ca)


def test_a_plain_client_gets_nothing_from_the_tls_listener(tls_hall: Hall) -> None:
    probe = Probe(tls_hall.broker.host, tls_hall.broker.port, "kiosk-01",
                  tls_hall.secrets["kiosk-01"])
    with probe:
        assert not probe.accepted


def test_tls_files_are_kept_until_the_names_change(tmp_path: Path) -> None:
    request = TlsRequest(names=["mpp-server.local"], ips=["127.0.0.2"])
    first = provision(SITE, tmp_path, tls=request).access.tls
    assert first is not None
    cert, ca = first.server_cert.read_bytes(), first.ca_cert.read_bytes()
    assert stat.S_IMODE((tmp_path / "ca" / "ca.key").stat().st_mode) == 0o600
    provision(SITE, tmp_path, tls=request)
    assert first.server_cert.read_bytes() == cert
    provision(SITE, tmp_path, tls=TlsRequest(names=["mpp-server.local"],
                                             ips=["127.0.0.3"]))
    assert first.server_cert.read_bytes() != cert, "new address, new certificate"
    assert first.ca_cert.read_bytes() == ca, "same CA: the boxes keep trusting it"
    assert not (tmp_path / "devices" / "kiosk-01" / "ca.key").exists()
    conf = (tmp_path / "broker" / "mpp.conf").read_text()
    assert "listener 1883 127.0.0.1\nlistener 8883\ncafile " in conf


def test_tls_also_makes_the_dashboards_certificate(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID

    def sans(path: Path) -> set[x509.GeneralName]:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        return set(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value)

    request = TlsRequest(names=["mpp-server.local"], ips=["127.0.0.2"])
    done = provision(SITE, tmp_path, tls=request)
    cert_path, key_path = done.web_files()
    assert (cert_path.parent, cert_path.name, key_path.name) == (
        tmp_path / "devices" / "server", "web.crt", "web.key")
    # a key pair of its own (not the broker's), readable by its owner only
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert key_path.read_bytes() != (tmp_path / "broker" / "server.key").read_bytes()
    # signed by the site CA, for the broker's names, to serve TLS
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    ca = x509.load_pem_x509_certificate((tmp_path / "ca" / "ca.crt").read_bytes())
    cert.verify_directly_issued_by(ca)
    assert sans(cert_path) == sans(tmp_path / "broker" / "server.crt")
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.SERVER_AUTH]
    # the server's credentials name them; no other box gets them
    assert 'cert = "web.crt"\nkey = "web.key"' in done.credentials("server").read_text()
    assert load_https(done.credentials("server")) == HttpsFiles(
        cert_path, key_path, source=done.credentials("server"))
    assert load_https(done.credentials("kiosk-01")) is None
    assert not list((tmp_path / "devices" / "kiosk-01").glob("web.*"))
    # kept while the names hold, renewed when they change
    before = cert_path.read_bytes()
    provision(SITE, tmp_path, tls=request)
    assert cert_path.read_bytes() == before
    provision(SITE, tmp_path, tls=TlsRequest(names=["mpp-server.local"], ips=["127.0.0.3"]))
    assert cert_path.read_bytes() != before
    assert x509.IPAddress(ipaddress.ip_address("127.0.0.3")) in sans(cert_path)
    # without --tls, plain HTTP: no certificate, no [https]
    plain = provision(SITE, tmp_path / "plain")
    assert load_https(plain.credentials("server")) is None
    assert not plain.web_files()[0].exists()


# --------------------------------------------------------------------------- test suite


def test_the_suites_relaxations_are_asked_for_never_given(tmp_path: Path) -> None:
    """The test suite's brokers (tests/support/accounts.py) use SuitePolicy; a hall's
    provisioning has none of it."""
    hall = provision(SITE, tmp_path / "hall")
    acl = hall.access.acl_file.read_text()
    assert f"topic write {T.root}/cmd/kiosk-01" in acl and "+" not in acl
    assert "observer" not in acl and hall.access.bind_client_id
    assert "use_username_as_clientid true" in hall.access.conf_lines()
    suite = provision(SITE, tmp_path / "suite",
                      testing=SuitePolicy(extra_devices=("kiosk-99",), observer="observer"))
    acl = suite.access.acl_file.read_text()
    assert "topic write mpp/v1/+/cmd/kiosk-01" in acl
    assert "user kiosk-99\ntopic write mpp/v1/+/cmd/kiosk-99" in acl
    assert "user observer\ntopic read mpp/v1/+/#\ntopic read $SYS/#\n" in acl
    assert "use_username_as_clientid true" not in suite.access.conf_lines()
    assert "bench" not in acl, "no floor account unless asked for"


def test_the_benchmarks_floor_accounts_may_use_bench_topics_only(tmp_path: Path) -> None:
    """bench/access.py: the raw floor clients log in and pass the ACL as every client does,
    on topics of their own; a hall's accounts are unchanged."""
    done = provision(SITE, tmp_path, testing=SuitePolicy(
        any_site=False, observer=None, bind_client_id=True,
        floor_accounts=("bench-floor-1", "bench-floor-2")))
    acl = done.access.acl_file.read_text()
    for user in ("bench-floor-1", "bench-floor-2"):
        assert f"user {user}\ntopic readwrite bench/#\n" in acl
        assert done.credentials(user).exists()
    assert f"topic write {T.root}/cmd/kiosk-01" in acl and "+" not in acl
    assert "use_username_as_clientid true" in done.access.conf_lines()


def test_the_embedded_broker_gets_the_same_accounts(tmp_path: Path) -> None:
    from pwdlib.hashers.argon2 import Argon2Hasher

    done = provision(SITE, tmp_path)
    secrets = read_secrets(tmp_path / "secrets.toml")
    assert done.access.argon2_password_file is not None
    lines = dict(line.split(":", 1) for line in
                 done.access.argon2_password_file.read_text().splitlines())
    assert set(lines) == set(secrets)
    assert Argon2Hasher().verify(secrets["kiosk-01"], lines["kiosk-01"])
    assert not Argon2Hasher().verify(secrets["kiosk-02"], lines["kiosk-01"])
    assert stat.S_IMODE(done.access.argon2_password_file.stat().st_mode) == 0o600
