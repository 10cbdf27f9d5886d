"""One MQTT connection with the habits every part needs (FIELD-NOTES.md):
TCP_NODELAY, a retained Last Will, a birth message and subscriptions renewed on
every connect, success judged by the reason code, MQTT 5 with a fallback to
3.1.1 for brokers (amqtt) that refuse it; a user name and password when it has
credentials, TLS with the site CA when asked (the host name checked)."""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from queue_server.protocol.credentials import Credentials
from queue_server.protocol.secure import client_context, refusal, tls_failure

log = logging.getLogger("mpp.mqtt")

Message = tuple[str, bytes, bool]  # topic, payload, retain

# Brokers seen to refuse MQTT 5 in this process: later links go straight to 3.1.1.
_ONLY_311: set[tuple[str, int]] = set()


class LinkError(Exception):
    """The broker could not be reached, or refused us; `code` says which."""

    code = "broker_unavailable"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


NOT_AUTHORISED = "not_authorised"  # LinkError.code: the broker refused the credentials
TLS_REFUSED = "tls_refused"  # LinkError.code: the broker's certificate was not accepted


@dataclass(frozen=True)
class LinkOptions:
    host: str
    port: int
    client_id: str
    subscriptions: Sequence[str | tuple[str, int]] = ()  # a topic alone is QoS 1
    will: Message | None = None
    persistent: bool = False  # keep the session (queued QoS 1) across reconnects
    # DESIGN.md: everything speaks 3.1.1. MQTT 5 also costs paho a Properties and a
    # ReasonCode object per PUBACK, several per call on the server. "auto" tries 5 first.
    protocol: str = "3.1.1"  # "3.1.1" | "5" | "auto"
    credentials: Credentials | None = None  # None: anonymous (the development switch)
    tls: bool = False  # mqtts: the broker's certificate checked against credentials.ca


def close_sockets(client: mqtt.Client) -> None:
    """Close a stopped client's sockets now. paho closes its internal socket pair (and a
    connection still being made) only in __del__; a client caught in a reference cycle is
    finalized by the garbage collector after its sockets, which then warn "unclosed"."""
    reset = getattr(client, "_reset_sockets", None)  # private, but the only way in paho 2
    if reset is not None:
        try:
            reset()
        except OSError:
            pass


class Link:
    """`on_message` gets (topic, payload); `on_received` the whole Message, for a reader
    that tells a retained message (stored before it subscribed) from a live one."""

    def __init__(self, opts: LinkOptions,
                 on_message: Callable[[str, bytes], None] | None = None,
                 birth: Callable[[], Sequence[Message]] | None = None,
                 on_connected: Callable[[], None] | None = None, *,
                 on_received: Callable[[Message], None] | None = None,
                 on_disconnected: Callable[[], None] | None = None) -> None:
        self.opts = opts
        self._on_message = on_message
        self._on_received = on_received
        self._birth = birth
        self._on_connected = on_connected
        self._on_disconnected = on_disconnected
        self.connected = threading.Event()
        self._result = threading.Event()
        self._failure: str | None = None
        self._failure_code: str | None = None
        self.threaded = True
        self._next_reconnect = 0.0
        self.protocol = mqtt.MQTTv5 if opts.protocol in ("5", "auto") else mqtt.MQTTv311
        self.client = self._make(self.protocol)

    def _make(self, protocol: mqtt.MQTTProtocolVersion) -> mqtt.Client:
        opts = self.opts
        clean_session = None if protocol == mqtt.MQTTv5 else not opts.persistent
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=opts.client_id,
                             protocol=protocol, clean_session=clean_session)
        client.on_socket_open = _nodelay
        client.on_connect = self._connect_cb
        client.on_disconnect = self._disconnect_cb
        client.on_message = self._message_cb
        client.max_inflight_messages_set(0)  # unlimited: paho walks the window per PUBACK
        client.max_queued_messages_set(0)
        client.reconnect_delay_set(min_delay=1, max_delay=5)
        if opts.credentials is not None:
            client.username_pw_set(opts.credentials.user, opts.credentials.password)
        if opts.tls:
            client.tls_set_context(client_context(
                opts.credentials.ca if opts.credentials else None))
        if opts.will is not None:
            topic, payload, retain = opts.will
            client.will_set(topic, payload, qos=1, retain=retain)
        return client

    def start(self, timeout: float = 10.0, threaded: bool = True) -> None:
        """Connect and wait for the first success. Threaded: paho's own thread runs the
        network and reconnects. Not threaded: the caller's thread must call pump()."""
        self.threaded = threaded
        where = (self.opts.host, self.opts.port)
        order = {"auto": [mqtt.MQTTv5, mqtt.MQTTv311], "5": [mqtt.MQTTv5],
                 "3.1.1": [mqtt.MQTTv311]}[self.opts.protocol]
        if self.opts.protocol == "auto" and where in _ONLY_311:
            order = [mqtt.MQTTv311]
        for protocol in order:
            if protocol != self.protocol:
                self.client = self._make(protocol)
                self.protocol = protocol
            # amqtt never answers an MQTT 5 CONNECT that carries a Will: do not wait long
            wait = min(timeout, 2.0) if protocol != order[-1] else timeout
            if self._try_connect(wait):
                if protocol == mqtt.MQTTv311 and len(order) > 1:
                    _ONLY_311.add(where)
                return
            if threaded:
                self.client.loop_stop()
            self.client.disconnect()
            close_sockets(self.client)
            if self._failure_code is not None:
                break  # refused for who we are, not for how we speak: 3.1.1 is no better
        raise LinkError(f"cannot connect to MQTT broker {self.opts.host}:{self.opts.port}: "
                        f"{self._failure or self._hint('no answer')}", self._failure_code)

    def _hint(self, what: str) -> str:
        """A broker that hangs up or stays silent before CONNACK: a TLS port, perhaps."""
        return what if self.opts.tls else f"{what} (if that port speaks TLS, use mqtts://)"

    def _try_connect(self, timeout: float) -> bool:
        self._result.clear()
        self._failure = self._failure_code = None
        props = None
        clean: Literal[True, False, 3] = mqtt.MQTT_CLEAN_START_FIRST_ONLY
        if self.protocol == mqtt.MQTTv5:
            props = Properties(PacketTypes.CONNECT)
            if self.opts.persistent:
                props.SessionExpiryInterval = 24 * 3600
                clean = False
        try:
            if self.protocol == mqtt.MQTTv5:
                self.client.connect(self.opts.host, self.opts.port, keepalive=15,
                                    clean_start=clean, properties=props)
            else:
                self.client.connect(self.opts.host, self.opts.port, keepalive=15)
        except ssl.SSLError as err:  # ssl.CertificateError too; the socket closed itself
            self._failure = tls_failure(err, self.opts.host, self.opts.port, self._ca())
            self._failure_code = TLS_REFUSED
            return False
        except (ConnectionResetError, BrokenPipeError) as err:
            # the TCP connection was made, then dropped: over TLS, in the handshake
            self._failure = str(err)
            if self.opts.tls:
                self._failure = tls_failure(err, self.opts.host, self.opts.port, self._ca())
                self._failure_code = TLS_REFUSED
            return False
        except OSError as err:
            self._failure = str(err)
            return False
        if self.threaded:
            self.client.loop_start()
            self._result.wait(timeout)
        else:
            deadline = time.monotonic() + timeout
            while not self._result.is_set() and time.monotonic() < deadline:
                if self.client.loop(0.05) != mqtt.MQTT_ERR_SUCCESS:
                    break
        return self.connected.is_set()

    def pump(self, timeout: float) -> bool:
        """Not threaded: run the network for up to `timeout` s (callbacks fire here).
        Reconnects by itself, at most once a second. False while disconnected."""
        if self.client.loop(timeout) == mqtt.MQTT_ERR_SUCCESS:
            return True
        self.connected.clear()
        now = time.monotonic()
        if now < self._next_reconnect:
            time.sleep(min(timeout, self._next_reconnect - now))
            return False
        self._next_reconnect = now + 1.0
        try:
            self.client.reconnect()
        except ssl.SSLError as err:
            log.warning("MQTT broker %s:%d refused: %s; retrying", self.opts.host,
                        self.opts.port, tls_failure(err, self.opts.host, self.opts.port,
                                                    self._ca()))
        except OSError as err:
            log.warning("MQTT broker %s:%d unreachable (%s); retrying", self.opts.host,
                        self.opts.port, err)
        return False

    def _ca(self) -> Path | None:
        return self.opts.credentials.ca if self.opts.credentials else None

    def stop(self) -> None:
        """Clean disconnect: the Last Will is not sent, so publish your own offline first."""
        self.connected.clear()
        self.client.disconnect()
        if self.threaded:
            self.client.loop_stop()
        else:
            self.client.loop(0.1)  # let the DISCONNECT go out
        close_sockets(self.client)

    def retarget(self, host: str, port: int, *, tls: bool) -> None:
        """Dial another broker from the next start(): the server moved. Call it stopped;
        the subscriptions, Will and account stay (a fresh paho client carries them)."""
        self.opts = replace(self.opts, host=host, port=port, tls=tls)
        self.client = self._make(self.protocol)

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> mqtt.MQTTMessageInfo:
        return self.client.publish(topic, payload, qos=1, retain=retain)

    @contextmanager
    def burst(self) -> Iterator[None]:
        """Messages published inside leave together when it ends, in as few TCP segments
        as fit (TCP_CORK, Linux). The broker then wakes once for them all: sent one by
        one, each send woke it, and on two cores it often took the CPU from us before
        the next message (a call's second event left up to 1 ms after its first)."""
        sock = self.client.socket()
        cork = getattr(sock, "setsockopt", None) if hasattr(socket, "TCP_CORK") else None
        if cork is not None:
            try:
                cork(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
            except OSError:
                cork = None
        try:
            yield
        finally:
            if cork is not None:
                try:
                    cork(socket.IPPROTO_TCP, socket.TCP_CORK, 0)
                except OSError:
                    pass

    # -- paho callbacks: never block here ---------------------------------------------

    def _connect_cb(self, client, _userdata, _flags, reason, _props) -> None:  # type: ignore[no-untyped-def]
        if reason.is_failure:
            words = refusal(reason, self.opts.credentials)
            self._failure = words or str(reason)
            self._failure_code = NOT_AUTHORISED if words else None
            log.warning("MQTT connect refused: %s", self._failure)
            self._result.set()
            return
        for sub in self.opts.subscriptions:
            topic, qos = (sub, 1) if isinstance(sub, str) else sub
            client.subscribe(topic, qos=qos)
        for topic, payload, retain in (self._birth() if self._birth else ()):
            client.publish(topic, payload, qos=1, retain=retain)
        self.connected.set()
        self._result.set()
        if self._on_connected is not None:
            self._on_connected()

    def _disconnect_cb(self, _client, _userdata, _flags, reason, _props) -> None:  # type: ignore[no-untyped-def]
        if self.connected.is_set():
            log.warning("MQTT connection lost (%s); reconnecting", reason)
        elif not self._result.is_set():
            self._failure = self._hint(str(reason))
            self._result.set()
        self.connected.clear()
        if self._on_disconnected is not None:
            self._on_disconnected()

    def _message_cb(self, _client, _userdata, msg) -> None:  # type: ignore[no-untyped-def]
        if self._on_message is not None:
            self._on_message(msg.topic, msg.payload)
        if self._on_received is not None:
            self._on_received((msg.topic, msg.payload, bool(msg.retain)))


def _nodelay(_client, _userdata, sock) -> None:  # type: ignore[no-untyped-def]
    # Nagle costs 40-90 ms per request/reply round trip (FIELD-NOTES.md).
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):
        pass
