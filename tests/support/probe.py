"""An MQTT 5 client that reports what the broker decided, for access-control tests: the
CONNACK reason, each PUBACK's reason (0x87 when the ACL denies a publish, which MQTT 3.1.1
would hide behind a plain PUBACK) and each SUBACK's, and the messages it received."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.reasoncodes import ReasonCode

from queue_server.protocol.link import close_sockets

WAIT_S = 5.0
NOT_AUTHORIZED = 0x87  # PUBACK and SUBACK; Mosquitto's CONNACK to a wrong secret too
REFUSED = frozenset({0x86, 0x87})  # CONNACK: bad user name or password / not authorised


class Probe:
    def __init__(self, host: str, port: int, user: str | None, password: str | None,
                 client_id: str | None = None, ca: Path | None = None) -> None:
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2,
                                  client_id=client_id or f"probe-{uuid.uuid4().hex[:8]}",
                                  protocol=MQTTProtocolVersion.MQTTv5)
        if user is not None:
            self.client.username_pw_set(user, password)
        if ca is not None:  # the broker's certificate must chain to `ca` and name `host`
            self.client.tls_set(ca_certs=str(ca))
        self.host, self.port = host, port
        self.connack: int | None = None
        self.disconnected = threading.Event()
        self.connected = threading.Event()
        self.acks: dict[int, list[int]] = {}
        self.received: list[mqtt.MQTTMessage] = []
        self.cond = threading.Condition()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_publish = self._on_publish
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    def __enter__(self) -> Probe:
        try:
            self.client.connect(self.host, self.port, keepalive=30)
        except Exception:
            close_sockets(self.client)
            raise
        self.client.loop_start()
        self.connected.wait(WAIT_S)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.client.disconnect()
        self.client.loop_stop()
        close_sockets(self.client)

    # -- callbacks (paho's thread) -------------------------------------------------

    def _on_connect(self, _c: Any, _u: Any, _f: Any, reason: ReasonCode, _p: Any) -> None:
        self.connack = reason.value
        self.connected.set()

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, reason: ReasonCode, _p: Any) -> None:
        if self.connack is None:
            self.connack = reason.value
        self.connected.set()
        self.disconnected.set()

    def _on_publish(self, _c: Any, _u: Any, mid: int, reason: ReasonCode, _p: Any) -> None:
        with self.cond:
            self.acks[mid] = [reason.value]
            self.cond.notify_all()

    def _on_subscribe(self, _c: Any, _u: Any, mid: int, reasons: list[ReasonCode],
                      _p: Any) -> None:
        with self.cond:
            self.acks[mid] = [r.value for r in reasons]
            self.cond.notify_all()

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        with self.cond:
            self.received.append(msg)
            self.cond.notify_all()

    # -- what the tests call -------------------------------------------------------

    @property
    def accepted(self) -> bool:
        return self.connack == 0

    def _ack(self, mid: int) -> list[int]:
        with self.cond:
            if not self.cond.wait_for(lambda: mid in self.acks, WAIT_S):
                raise TimeoutError(f"no ack for message {mid}")
            return self.acks[mid]

    def publish(self, topic: str, payload: bytes = b"{}", retain: bool = False) -> int:
        """The PUBACK's reason: 0 or 0x10 (no subscribers) accepted, 0x87 denied."""
        info = self.client.publish(topic, payload, qos=1, retain=retain)
        return self._ack(info.mid)[0]

    def subscribe(self, topic: str) -> int:
        """The SUBACK's reason: the granted QoS (0-2), or 0x87 denied."""
        _rc, mid = self.client.subscribe(topic, qos=1)
        assert mid is not None
        return self._ack(mid)[0]

    def wait_for(self, topic: str) -> list[str]:
        """Until a message on `topic` arrives; the topics received so far, in order."""
        with self.cond:
            self.cond.wait_for(lambda: any(m.topic == topic for m in self.received), WAIT_S)
            return [m.topic for m in self.received]
