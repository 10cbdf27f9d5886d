"""A raw paho echo responder, run as its own process (own GIL, like the server):
`python -m bench.echo HOST PORT REQ_TOPIC REPLY_TOPIC [CREDENTIALS_FILE [tls]]` (the file's
path on the command line, never the secret). Prints "ready" once subscribed and runs until
SIGTERM or until stdin closes."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

import paho.mqtt.client as mqtt

from bench import mqtt_raw
from queue_server.protocol.credentials import load_credentials


def main(argv: list[str]) -> int:
    host, port, req_topic, rep_topic = argv[0], int(argv[1]), argv[2], argv[3]
    credentials = load_credentials(argv[4]) if len(argv) > 4 else None
    tls = argv[5:6] == ["tls"]
    done = threading.Event()

    def on_message(client: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
        client.publish(rep_topic, msg.payload, qos=1)

    client = mqtt_raw.connect(host, port, credentials.user if credentials else "bench-echo",
                              on_message=on_message, subscribe=req_topic,
                              credentials=credentials, tls=tls)
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready" if mqtt_raw.socket_nodelay(client) else "ready nodelay=0", flush=True)

    def watch_stdin() -> None:
        sys.stdin.read()
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    done.wait()
    mqtt_raw.close(client)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
