"""Start an MQTT broker for the demo, for `mpp server` convenience and for the test fixtures.

Two brokers are supported:

* Mosquitto 2 (production, tests): run as a child process with a generated config.
* amqtt 0.12 (zero-setup demo on a laptop without Mosquitto): a pure-Python broker running in
  a background thread with its own asyncio loop.

amqtt speaks MQTT 3.1.1 only: an MQTT 5 CONNECT is refused with CONNACK reason
"Unsupported protocol version". Clients must fall back to 3.1.1 when they meet it, and nothing
in the wire contract may need MQTT 5 (see docs/protocol.md and FIELD-NOTES).

Both take a BrokerAccess (accounts, ACL and TLS files from `mpp provision`); without one they
allow anonymous clients, the development switch: bind them to loopback then.
"""

from mpp.broker.amqtt_broker import start_amqtt
from mpp.broker.embedded import start_embedded
from mpp.broker.handle import BrokerError, BrokerHandle, free_port, port_is_free, wait_for_port
from mpp.broker.mosquitto import mosquitto_binary, mosquitto_conf, start_mosquitto

__all__ = [
    "BrokerError",
    "BrokerHandle",
    "free_port",
    "mosquitto_binary",
    "mosquitto_conf",
    "port_is_free",
    "start_amqtt",
    "start_embedded",
    "start_mosquitto",
    "wait_for_port",
]
