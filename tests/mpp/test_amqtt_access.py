"""The embedded amqtt broker (mpp/broker/amqtt_access.py) with the accounts and ACL of
`mpp provision`, plain and over TLS: it refuses anonymous clients and wrong secrets, and
it enforces the ACL on publish, subscribe and delivery. amqtt speaks MQTT 3.1.1 only,
where a denied publish is acknowledged and dropped: what counts is what arrives."""

from __future__ import annotations

from collections.abc import Iterator

import paho.mqtt.client as mqtt
import pytest

from mpp.broker import BrokerHandle, start_amqtt
from mpp.provision import Provisioned
from queue_server.protocol.credentials import Credentials
from queue_server.protocol.link import NOT_AUTHORISED, Link, LinkError, LinkOptions
from queue_server.protocol.topics import Topics
from tests.support.accounts import access_of, secured
from tests.support.broker import (
    Collector,
    MqttClientFactory,
    publish_json,
    subscribe_and_wait,
)


@pytest.fixture(params=["plain", "tls"])
def amqtt(request: pytest.FixtureRequest, broker_accounts: Provisioned,
          suite_credentials: dict[str, Credentials]) -> Iterator[BrokerHandle]:
    handle = start_amqtt(access=access_of(broker_accounts, tls=request.param == "tls"))
    yield secured(handle, suite_credentials)
    handle.stop()


def refused(broker: BrokerHandle, credentials: Credentials | None) -> LinkError:
    attempt = Link(LinkOptions(broker.host, broker.port, client_id="kiosk-01-try",
                               credentials=credentials, tls=broker.tls))
    with pytest.raises(LinkError) as err:
        attempt.start(timeout=5.0)
    attempt.stop()
    return err.value


def test_anonymous_and_wrong_secrets_are_refused(
        amqtt: BrokerHandle, mqtt_client_factory: MqttClientFactory) -> None:
    assert amqtt.tls == amqtt.url.startswith("mqtts://")
    with pytest.raises(AssertionError, match="refused"):
        mqtt_client_factory(amqtt, user=None)  # over TLS, with the site's CA
    kiosk = amqtt.credentials("kiosk-01")
    assert kiosk is not None
    assert refused(amqtt, Credentials("kiosk-01", "not-the-secret", kiosk.ca)).code == \
        NOT_AUTHORISED
    counter = amqtt.credentials("counter-01")
    assert counter is not None  # another account's secret is no better
    assert refused(amqtt, Credentials("kiosk-01", counter.password, kiosk.ca)).code == \
        NOT_AUTHORISED
    box = Link(LinkOptions(amqtt.host, amqtt.port, client_id="kiosk-01-ok",
                           credentials=kiosk, tls=amqtt.tls))
    box.start(timeout=5.0)
    box.stop()


def test_a_device_publishes_only_on_its_own_topics(amqtt: BrokerHandle,
                                                   mqtt_client_factory: MqttClientFactory,
                                                   unique_site: str) -> None:
    t = Topics(unique_site)
    everything = Collector(mqtt_client_factory(amqtt), f"{t.root}/#")  # the observer
    kiosk = mqtt_client_factory(amqtt, user="kiosk-01")
    # WHEN a kiosk forges a counter's command, the server's state and an event, then
    # sends its own command
    for topic in (t.cmd("counter-01"), t.calls, t.server, t.event("ticket"),
                  t.device("counter-01"), t.reply("kiosk-01")):
        publish_json(kiosk, topic, {"forged": True}, retain=topic == t.calls)
    publish_json(kiosk, t.cmd("kiosk-01"), {"id": "1", "op": "ping"})
    # THEN only its own command went through (the broker keeps the order of one client)
    everything.wait_for(t.cmd("kiosk-01"))
    assert [item.topic for item in everything.snapshot()] == [t.cmd("kiosk-01")]


def test_a_device_hears_only_what_it_may(amqtt: BrokerHandle,
                                         mqtt_client_factory: MqttClientFactory,
                                         unique_site: str) -> None:
    t = Topics(unique_site)
    kiosk = mqtt_client_factory(amqtt, user="kiosk-01")
    # a subscription outside its own (another device's replies, the commands, all) is
    # refused outright
    for topic_filter in (t.reply("counter-01"), t.cmd_all, f"{t.root}/#"):
        with pytest.raises(AssertionError, match="refused"):
            subscribe_and_wait(kiosk, topic_filter)
    spy = Collector(kiosk, t.state_all)  # its own: granted
    server = mqtt_client_factory(amqtt, user="server")
    desk = mqtt_client_factory(amqtt, user="counter-01")
    publish_json(desk, t.cmd("counter-01"), {"id": "1", "op": "officer.signin",
                                             "args": {"officer": "petugas-01", "pin": "1234"}})
    publish_json(server, t.reply("counter-01"), {"re": "1", "ok": True})
    publish_json(server, t.calls, {"calls": []})  # the marker: the kiosk may read it
    spy.wait_for(t.calls)
    assert [item.topic for item in spy.snapshot()] == [t.calls]


def test_the_server_reads_commands_and_the_dashboard_only_reads(
        amqtt: BrokerHandle, mqtt_client_factory: MqttClientFactory, unique_site: str) -> None:
    t = Topics(unique_site)
    server = mqtt_client_factory(amqtt, user="server")
    commands = Collector(server, t.cmd_all)
    dashboard = mqtt_client_factory(amqtt, user="dashboard")
    presence = Collector(dashboard, t.device_all)
    publish_json(dashboard, t.cmd("kiosk-01"), {"forged": True})  # dropped
    publish_json(dashboard, t.server, {"status": "offline"}, retain=True)  # dropped
    kiosk = mqtt_client_factory(amqtt, user="kiosk-01")
    publish_json(kiosk, t.device("kiosk-01"), {"status": "online"})
    publish_json(kiosk, t.cmd("kiosk-01"), {"id": "2", "op": "ping"})
    assert commands.wait_for(t.cmd("kiosk-01")).payload == {"id": "2", "op": "ping"}
    assert [i.topic for i in commands.snapshot()] == [t.cmd("kiosk-01")]
    assert presence.wait_for(t.device("kiosk-01")).payload == {"status": "online"}
    assert server.protocol == mqtt.MQTTv311  # amqtt speaks 3.1.1 only
