"""The device-side client (queue_server/protocol/client.py) on a real Mosquitto, with a
plain MQTT client playing the server: what it keeps of the topics it hears."""

from __future__ import annotations

import json
from typing import Any

from mpp.broker import BrokerHandle
from queue_server.protocol.topics import Topics
from tests.support.broker import MqttClientFactory
from tests.support.hall import client_of


def test_state_is_kept_by_kind_and_id_and_other_sites_are_ignored(
        mosquitto: BrokerHandle, mqtt_client_factory: MqttClientFactory,
        unique_site: str) -> None:
    # GIVEN a client following the state and the events of its site
    events: list[dict[str, Any]] = []
    client = client_of(mosquitto, unique_site, "display-01", "display", follow_events=True,
                       on_event=events.append).start()
    ours, theirs = Topics(unique_site), Topics(f"{unique_site}-b")
    server = mqtt_client_factory(mosquitto, user="server")
    try:
        # WHEN the server publishes state, an event and a reply, and another site its state
        for topic, value in [(theirs.server, {"status": "other"}),
                             (ours.server, {"status": "online"}),
                             (ours.queue("ktp"), {"waiting": 3}),
                             (ours.counter("loket-01"), {"status": "open"}),
                             (ours.event("ticket"), {"kind": "issued"})]:
            server.publish(topic, json.dumps(value), qos=1)
        cmd_id, pending = client.send("ping")
        server.publish(ours.reply("display-01"), json.dumps({"re": cmd_id, "ok": True}), qos=1)
        # THEN it hears the reply, and before it (one publisher: in order) the event and
        # the state, kept under "kind" or "kind/id"
        assert pending.done.wait(5) and pending.reply == {"re": cmd_id, "ok": True}
        assert events == [{"kind": "issued"}]
        assert client.state == {"server": {"status": "online"}, "queue/ktp": {"waiting": 3},
                                "counter/loket-01": {"status": "open"}}
    finally:
        client.stop()

