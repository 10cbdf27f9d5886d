"""`mpp server` as a technician starts it: config errors, health endpoint, zeroconf."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from mpp.broker import free_port
from queue_server.config import default_site_path
from queue_server.protocol.discovery import browse
from queue_server.protocol.urls import MqttUrl
from queue_server.server import QueueServer
from tests.support.hall import server_options

ROOT = Path(__file__).resolve().parents[2]


def _mpp(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mpp", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


def test_bad_site_file_is_named_with_key_and_reason(tmp_path):
    bad = tmp_path / "site.toml"
    sample = default_site_path().read_text(encoding="utf-8")
    bad.write_text(sample.replace("[site]\n", '[site]\ncolour = "red"\n', 1), encoding="utf-8")
    done = _mpp("server", "--site", str(bad), "--no-zeroconf")
    assert done.returncode == 2
    assert str(bad) in done.stderr and "colour" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_arguments_get_plain_errors():
    done = _mpp("server", "--mqtt", "http://nowhere", "--no-zeroconf")
    assert done.returncode == 2 and "mqtt://HOST:PORT" in done.stderr
    done = _mpp("server", "--start-at", "tomorrow", "--no-zeroconf")
    assert done.returncode == 2 and "YYYY-MM-DDTHH:MM" in done.stderr
    # a password on the command line is refused, and not repeated
    done = _mpp("server", "--mqtt", "mqtts://server:hunter22@127.0.0.2", "--no-zeroconf")
    assert done.returncode == 2 and "password does not belong" in done.stderr
    assert "hunter22" not in done.stderr


def test_a_missing_credentials_file_is_named(tmp_path):
    missing = tmp_path / "server.toml"
    done = _mpp("server", "--credentials", str(missing), "--no-zeroconf")
    assert done.returncode == 2
    assert f"--credentials: {missing}: no such credentials file" in done.stderr
    assert "Traceback" not in done.stderr


def test_server_waits_for_a_broker_that_is_not_there_yet(fresh_mosquitto, tmp_path,
                                                         suite_credentials):
    # GIVEN a server started before its broker (boot order, or a broker restart)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mpp", "server", "--mqtt", f"mqtts://127.0.0.1:{port}",
         "--credentials", str(suite_credentials["server"].source),
         "--db", f"sqlite:///{tmp_path / 'x.db'}", "--no-zeroconf"],
        env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        # THEN it says plainly which broker it waits for, and keeps running
        assert proc.stderr is not None
        for line in proc.stderr:
            if "waiting for MQTT broker" in line:
                assert f"127.0.0.1:{port}" in line
                break
        assert proc.poll() is None
        # AND it connects by itself once the broker is there
        broker = fresh_mosquitto(port=port)
        for line in proc.stderr:
            if "serving site" in line:
                break
        assert broker.is_running and proc.poll() is None
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "Traceback" not in err


@pytest.mark.mdns
def test_health_endpoint_and_zeroconf(mosquitto, site, sqlite_url, clock):
    port = free_port()
    # the server on the plain listener, the boxes told to dial a TLS one
    boxes = MqttUrl("127.0.0.1", 18883, tls=True)
    server = QueueServer(site, server_options(mosquitto, sqlite_url, http_port=port,
                                              http_host="127.0.0.1", advertise=True,
                                              mdns_interfaces=["127.0.0.1"],
                                              advertise_mqtt=boxes), clock)
    server.start(wait_connected=10)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as resp:
            health = json.load(resp)
        assert health["status"] == "online" and health["mqtt_connected"] is True
        assert health["clock"].startswith("2026-11-30T09:00")
        found = browse(timeout=10, site=site.site.id, interfaces=["127.0.0.1"])
        assert [(s.site, s.mqtt_port, s.http_port, s.mqtt_tls) for s in found] == [
            (site.site.id, 18883, port, True)]
    finally:
        server.stop()


def test_hash_pin_command():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "mpp", "hash-pin"], input="482913\n",
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0
    from queue_server import pins
    assert pins.check_pin("482913", done.stdout.strip())
    bad = subprocess.run([sys.executable, "-m", "mpp", "hash-pin"], input="12\n",
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=False)
    assert bad.returncode == 2 and "4 to 8 digits" in bad.stderr


def test_display_counter_is_wired():
    done = _mpp("display", "counter", "--help")
    assert done.returncode == 0 and "--counter" in done.stdout


def test_console_is_wired():
    done = _mpp("console", "--help")
    assert done.returncode == 0 and "--keypad" in done.stdout


def test_display_wall_is_wired():
    done = _mpp("display", "wall", "--help")
    assert done.returncode == 0 and "--zone" in done.stdout


def test_kiosk_is_wired():
    done = _mpp("kiosk", "--help")
    assert done.returncode == 0 and "--printer" in done.stdout
