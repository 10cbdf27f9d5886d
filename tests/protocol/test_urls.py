"""The broker address every command takes: mqtt://HOST:PORT (port 1883 by default) or
mqtts://[USER@]HOST:PORT (8883), strict, and never a password."""

from __future__ import annotations

import pytest

from queue_server.protocol.urls import MqttUrl, MqttUrlError, parse_mqtt_url


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [
        pytest.param("mqtt://127.0.0.2:1884", "127.0.0.2", 1884, id="address-and-port"),
        pytest.param("mqtt://127.0.0.2", "127.0.0.2", 1883, id="default-port"),
        pytest.param("mqtt://broker.local:1883/", "broker.local", 1883, id="trailing-slash"),
        pytest.param("MQTT://Broker.Local", "broker.local", 1883, id="any-case"),
        pytest.param("  mqtt://127.0.0.1:1  ", "127.0.0.1", 1, id="spaces-around"),
        pytest.param("mqtt://[::1]:65535", "::1", 65535, id="ipv6"),
    ],
)
def test_good_addresses(text: str, host: str, port: int) -> None:
    assert parse_mqtt_url(text) == MqttUrl(host, port)


@pytest.mark.parametrize(
    ("text", "url"),
    [
        pytest.param("mqtts://127.0.0.2", MqttUrl("127.0.0.2", 8883, tls=True), id="default"),
        pytest.param("MQTTS://hall.local:8884", MqttUrl("hall.local", 8884, tls=True),
                     id="port"),
        pytest.param("mqtts://kiosk-01@127.0.0.2", MqttUrl("127.0.0.2", 8883, True, "kiosk-01"),
                     id="user"),
        pytest.param("mqtt://server@127.0.0.1:1883", MqttUrl("127.0.0.1", 1883, False,
                                                           "server"), id="plain-user"),
    ],
)
def test_tls_addresses_and_a_user(text: str, url: MqttUrl) -> None:
    assert parse_mqtt_url(text) == url


@pytest.mark.parametrize(
    ("text", "why"),
    [
        pytest.param("http://127.0.0.2:1883", "must start with mqtt://", id="other-scheme"),
        pytest.param("tcp://127.0.0.2:1883", "must start with mqtt://", id="tcp-scheme"),
        pytest.param("127.0.0.2:1883", "must start with mqtt://", id="no-scheme"),
        pytest.param("mqtt:127.0.0.2", "must start with mqtt://", id="no-slashes"),
        pytest.param("", "must start with mqtt://", id="empty"),
        pytest.param("mqtt://", "host is missing", id="no-host"),
        pytest.param("mqtt://:1883", "host is missing", id="port-only"),
        pytest.param("mqtt://host:port", "port must be a number", id="port-not-a-number"),
        pytest.param("mqtt://host:0", "port must be a number", id="port-zero"),
        pytest.param("mqtt://host:65536", "port must be a number", id="port-too-big"),
        pytest.param("mqtt://host:1883/mpp", "nothing may follow", id="path"),
        pytest.param("mqtt://host:1883?x=1", "nothing may follow", id="query"),
        pytest.param("mqtts://Kiosk 1@host", "user is a device id", id="bad-user"),
        pytest.param("mqtt://user:pw@host:1883", "password does not belong", id="password"),
        pytest.param("mqtts://kiosk-01:s3cret@host", "password does not belong",
                     id="tls-password"),
        pytest.param("mqtts://:s3cret@host", "password does not belong", id="password-only"),
    ],
)
def test_bad_addresses_name_the_form_and_the_fault(text: str, why: str) -> None:
    with pytest.raises(MqttUrlError) as err:
        parse_mqtt_url(text)
    assert "mqtt://HOST:PORT" in str(err.value) and why in str(err.value)
    assert isinstance(err.value, ValueError)  # argparse and callers catch ValueError
    assert "s3cret" not in str(err.value) and ":pw@" not in str(err.value)  # never echoed


@pytest.mark.parametrize(
    ("url", "text"),
    [
        pytest.param(MqttUrl("127.0.0.2"), "mqtt://127.0.0.2:1883", id="ipv4"),
        pytest.param(MqttUrl("::1", 1884), "mqtt://[::1]:1884", id="ipv6"),
        pytest.param(MqttUrl("h.local", 8883, True, "kiosk-01"), "mqtts://kiosk-01@h.local:8883",
                     id="tls-user"),
    ],
)
def test_an_address_prints_as_it_is_parsed(url: MqttUrl, text: str) -> None:
    assert str(url) == text and parse_mqtt_url(text) == url
