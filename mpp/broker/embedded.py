"""The broker `mpp demo` starts: Mosquitto when it is installed, else amqtt."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mpp.broker.access import BrokerAccess
from mpp.broker.amqtt_broker import start_amqtt
from mpp.broker.handle import BrokerHandle
from mpp.broker.mosquitto import mosquitto_binary, start_mosquitto

log = logging.getLogger(__name__)


def start_embedded(
    data_dir: Path, port: int | None = None, bind: str = "127.0.0.1",
    access: BrokerAccess | None = None,
) -> BrokerHandle:
    """Mosquitto when its binary is installed, else the pure-Python amqtt broker, each
    with `access` (accounts, ACL, TLS) or anonymous without it.
    MPP_BROKER=amqtt forces the embedded one (to try a machine without Mosquitto)."""
    if os.environ.get("MPP_BROKER") != "amqtt" and mosquitto_binary() is not None:
        return start_mosquitto(data_dir, port=port, bind=bind, access=access)
    why = "MPP_BROKER=amqtt" if os.environ.get("MPP_BROKER") == "amqtt" else \
        "mosquitto not installed"
    log.warning("%s: using the embedded amqtt broker (MQTT 3.1.1 only)", why)
    return start_amqtt(port=port, bind=bind, access=access)
