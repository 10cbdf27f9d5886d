"""Raw paho clients for the MQTT floors: no queue_server code on the measured path."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from queue_server.protocol.credentials import Credentials
from queue_server.protocol.link import close_sockets
from queue_server.protocol.secure import client_context

CONNECT_TIMEOUT_S = 10.0


def _nodelay(_client: mqtt.Client, _userdata: Any, sock: Any) -> None:
    if isinstance(sock, socket.socket) and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def socket_nodelay(client: mqtt.Client) -> bool:
    """Whether the client's connected socket really has TCP_NODELAY (an SSLSocket is a
    socket too)."""
    sock = client.socket()
    if not isinstance(sock, socket.socket):
        return False
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def connect(host: str, port: int, client_id: str,
            on_message: Callable[[mqtt.Client, Any, mqtt.MQTTMessage], None] | None = None,
            subscribe: str | None = None, *, credentials: Credentials | None = None,
            tls: bool = False) -> mqtt.Client:
    """A connected MQTT 5 paho client with TCP_NODELAY and its loop thread running;
    subscribed (SUBACK received) to `subscribe` at QoS 1 when given; logged in with
    `credentials` (None: anonymous), over TLS with their CA when `tls`."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id,
                         protocol=mqtt.MQTTv5)
    client.on_socket_open = _nodelay
    if credentials is not None:
        client.username_pw_set(credentials.user, credentials.password)
    if tls:
        client.tls_set_context(client_context(credentials.ca if credentials else None))
    client.max_inflight_messages_set(1000)
    connected, subscribed = threading.Event(), threading.Event()

    def on_connect(_c: mqtt.Client, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if not reason.is_failure:
            connected.set()

    def on_subscribe(_c: mqtt.Client, _u: Any, _mid: int, _codes: Any, _p: Any) -> None:
        subscribed.set()

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    if on_message is not None:
        client.on_message = on_message
    client.connect(host, port, keepalive=30)
    client.loop_start()
    if not connected.wait(CONNECT_TIMEOUT_S):
        close(client)
        raise RuntimeError(f"{client_id}: no CONNACK from {host}:{port}")
    if subscribe is not None:
        client.subscribe(subscribe, qos=1)
        if not subscribed.wait(CONNECT_TIMEOUT_S):
            close(client)
            raise RuntimeError(f"{client_id}: no SUBACK for {subscribe}")
    return client


def close(client: mqtt.Client) -> None:
    try:
        client.disconnect()
    finally:
        client.loop_stop()
        close_sockets(client)


def wait_published(info: mqtt.MQTTMessageInfo, timeout: float = 5.0) -> None:
    try:
        info.wait_for_publish(timeout=timeout)
    except (RuntimeError, ValueError):
        pass


def settle(seconds: float = 0.05) -> None:
    time.sleep(seconds)
