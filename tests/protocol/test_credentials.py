"""A box's credentials file (queue_server/protocol/credentials.py): what `mpp provision`
writes is read as is; a password may live in a file of its own; every fault names the
file and the key, never the secret; and where the file is looked for."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mpp.provision import provision
from mpp.provision.accounts import read_secrets
from mpp.provision.run import TlsRequest
from queue_server.config import default_site_path, load_site
from queue_server.protocol.credentials import (
    Credentials,
    CredentialsError,
    HttpsFiles,
    credentials_path,
    load_credentials,
    load_https,
)

SECRET = "s3cret-that-must-never-show"


def write(folder: Path, text: str, name: str = "credentials.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_what_mpp_provision_writes_is_read_as_is(tmp_path: Path) -> None:
    done = provision(load_site(default_site_path()), tmp_path,
                     tls=TlsRequest(names=["localhost"], ips=["127.0.0.1"]))
    secrets = read_secrets(tmp_path / "secrets.toml")
    kiosk = load_credentials(done.credentials("kiosk-01"))
    assert (kiosk.user, kiosk.password) == ("kiosk-01", secrets["kiosk-01"])
    assert kiosk.ca == done.credentials("kiosk-01").parent / "ca.crt" and kiosk.ca.is_file()
    assert kiosk.source == done.credentials("kiosk-01")
    # the server's file also holds its follower's account, with the same CA
    follower = load_credentials(done.credentials("server"), "follower")
    assert (follower.user, follower.password) == ("dashboard", secrets["dashboard"])
    assert follower.ca == done.credentials("server").parent / "ca.crt"


def test_the_servers_file_names_the_dashboards_certificate(tmp_path: Path) -> None:
    done = provision(load_site(default_site_path()), tmp_path,
                     tls=TlsRequest(names=["localhost"], ips=["127.0.0.1"]))
    folder = done.credentials("server").parent
    assert load_https(done.credentials("server")) == HttpsFiles(
        folder / "web.crt", folder / "web.key", source=done.credentials("server"))
    # the [https] section changes nothing for the broker accounts beside it
    assert load_credentials(done.credentials("server")).user == "server"
    assert load_https(done.credentials("kiosk-01")) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        pytest.param('https = "web.crt"\n', "[https] must be a table", id="not-a-table"),
        pytest.param('[https]\ncert = "web.crt"\n', "[https] key is missing", id="no-key"),
        pytest.param('[https]\nkey = "web.key"\n', "[https] cert is missing", id="no-cert"),
        pytest.param('[https]\ncert = "web.crt"\nkey = 7\n', "[https] key is missing",
                     id="not-a-string"),
        pytest.param('[https]\ncert = "web.crt"\nkey = "web.key"\nca = "x"\n',
                     "[https] ca: unknown key (known: cert, key)", id="typo"),
        pytest.param('[https]\ncert = "web.crt"\nkey = "nope.key"\n',
                     "[https] key: no such file ", id="no-key-file"),
    ],
)
def test_https_faults_name_the_file_and_the_key(tmp_path: Path, text: str, why: str) -> None:
    write(tmp_path, "(a certificate)", "web.crt")
    write(tmp_path, "(a key)", "web.key")
    path = write(tmp_path, f'{text}[mqtt]\nuser = "server"\npassword = "{SECRET}"\n')
    with pytest.raises(CredentialsError) as err:
        load_https(path)
    assert str(err.value).startswith(f"{path}: ") and why in str(err.value)
    assert SECRET not in str(err.value)


def test_a_web_key_others_may_read_is_named_in_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write(tmp_path, "(a certificate)", "web.crt")
    key = write(tmp_path, "(a key)", "web.key")
    path = write(tmp_path, '[https]\ncert = "web.crt"\nkey = "web.key"\n')
    key.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="mpp.credentials"):
        assert load_https(path) == HttpsFiles(tmp_path / "web.crt", key, source=path)
    assert [r.getMessage() for r in caplog.records] == [
        f"{key} holds a secret and others may read it: chmod 600 {key}"]


def test_the_secret_never_shows_in_a_repr() -> None:
    shown = repr(Credentials("kiosk-01", SECRET))
    assert "kiosk-01" in shown and SECRET not in shown


def test_a_password_file_and_a_user_named_by_the_url(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text(SECRET + "\n", encoding="utf-8")
    (tmp_path / "ca.pem").write_text("(a CA)", encoding="utf-8")
    path = write(tmp_path, '[mqtt]\npassword_file = "secret"\nca = "ca.pem"\n')
    found = load_credentials(path, user="kiosk-03")
    assert (found.user, found.password, found.ca) == ("kiosk-03", SECRET, tmp_path / "ca.pem")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        pytest.param("[mqtt\nuser=", "not a TOML credentials file", id="not-toml"),
        pytest.param('user = "kiosk-01"\n', "the section [mqtt] is missing", id="no-section"),
        pytest.param(f'[mqtt]\npassword = "{SECRET}"\n', "[mqtt] user is missing",
                     id="no-user"),
        pytest.param('[mqtt]\nuser = "kiosk-01"\n', "[mqtt] password (or password_file) is "
                     "missing", id="no-password"),
        pytest.param(f'[mqtt]\nuser = "kiosk-01"\npasword = "{SECRET}"\n',
                     "[mqtt] pasword: unknown key", id="typo"),
        pytest.param(f'[mqtt]\nuser = "kiosk-01"\npassword = "{SECRET}"\n'
                     'password_file = "x"\n', "has both password and password_file",
                     id="both"),
        pytest.param('[mqtt]\nuser = "kiosk-01"\npassword = 42\n',
                     "[mqtt] password must be a non-empty string", id="not-a-string"),
        pytest.param('[mqtt]\nuser = "kiosk-01"\npassword_file = "missing"\n',
                     "[mqtt] password_file", id="no-password-file"),
        pytest.param(f'[mqtt]\nuser = "kiosk-01"\npassword = "{SECRET}"\nca = "nope.crt"\n',
                     "[mqtt] ca: no such file", id="no-ca"),
    ],
)
def test_faults_name_the_file_and_the_key_never_the_secret(tmp_path: Path, text: str,
                                                           why: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CredentialsError) as err:
        load_credentials(path)
    assert str(err.value).startswith(f"{path}: ") and why in str(err.value)
    assert SECRET not in str(err.value)
    assert isinstance(err.value, ValueError) and err.value.code == "bad_credentials"


def test_a_missing_file_and_a_user_the_url_contradicts(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match="no such credentials file"):
        load_credentials(tmp_path / "absent.toml")
    path = write(tmp_path, f'[mqtt]\nuser = "kiosk-01"\npassword = "{SECRET}"\n')
    with pytest.raises(CredentialsError, match="user is 'kiosk-01' but the broker URL "
                                               "names 'kiosk-02'"):
        load_credentials(path, user="kiosk-02")
    with pytest.raises(CredentialsError, match=r"the section \[follower\] is missing"):
        load_credentials(path, "follower")


def test_a_file_others_may_read_is_named_in_a_warning(tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    path = write(tmp_path, f'[mqtt]\nuser = "kiosk-01"\npassword = "{SECRET}"\n')
    load_credentials(path)
    assert not caplog.records
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="mpp.credentials"):
        load_credentials(path)
    assert [r.getMessage() for r in caplog.records] == [
        f"{path} holds a secret and others may read it: chmod 600 {path}"]


def test_where_the_file_is_looked_for(tmp_path: Path) -> None:
    systemd = tmp_path / "creds"
    systemd.mkdir()
    env = {"CREDENTIALS_DIRECTORY": str(systemd)}
    assert credentials_path(None, env) is None  # the folder, but no mqtt.toml in it
    (systemd / "mqtt.toml").write_text("")
    assert credentials_path(None, env) == systemd / "mqtt.toml"
    env["MPP_CREDENTIALS"] = "/etc/mpp/kiosk.toml"
    assert credentials_path(None, env) == Path("/etc/mpp/kiosk.toml")
    assert credentials_path("given.toml", env) == Path("given.toml")
    assert credentials_path(None, {}) is None
