"""The dashboard over HTTPS: the TLS context of its web server, from the certificate and
key that the `[https]` section of the server's credentials file names (`mpp provision
--tls` makes them, signed by the site CA). TLS 1.2 at least. Every fault names the file
and says what is wrong with it, so the server refuses to start instead of serving plain
HTTP; the key's bytes never reach a message or a log."""

from __future__ import annotations

import datetime as dt
import logging
import ssl

from queue_server.protocol.credentials import HttpsFiles

log = logging.getLogger("mpp.web")


class HttpsError(ValueError):
    """The dashboard's certificate or key is missing, unreadable, malformed or not a
    pair: the server does not start."""

    code = "bad_https"


def server_context(files: HttpsFiles) -> ssl.SSLContext:
    """A TLS server context holding the dashboard's certificate and key. Raises
    HttpsError naming the file at fault."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert_pem, key_pem = _read(files, "cert"), _read(files, "key")
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError:
        raise HttpsError(f"{_where(files, 'cert')}: not a PEM certificate") from None
    try:
        key = serialization.load_pem_private_key(key_pem, None)
    except (ValueError, TypeError):  # TypeError: it wants a passphrase
        raise HttpsError(f"{_where(files, 'key')}: not a PEM private key without a "
                         "passphrase") from None
    public = serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*public) != cert.public_key().public_bytes(*public):
        raise HttpsError(f"{_where(files, 'key')}: not the key of the certificate "
                         f"{files.cert} (run `mpp provision --tls` again and copy both)")
    _warn_if_out_of_date(files, cert.not_valid_before_utc, cert.not_valid_after_utc)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    try:
        context.load_cert_chain(str(files.cert), str(files.key))
    except (ssl.SSLError, OSError) as err:
        reason = getattr(err, "reason", None) or getattr(err, "strerror", None) or err
        raise HttpsError(f"{_where(files, 'cert')} and key {files.key}: TLS refuses "
                         f"them: {reason}") from None
    return context


def _where(files: HttpsFiles, which: str) -> str:
    path = files.cert if which == "cert" else files.key
    return f"{files.source}: [https] {which} {path}" if files.source else str(path)


def _read(files: HttpsFiles, which: str) -> bytes:
    path = files.cert if which == "cert" else files.key
    try:
        return path.read_bytes()
    except OSError as err:
        raise HttpsError(f"{_where(files, which)}: cannot read it: "
                         f"{err.strerror or err}") from None


def _warn_if_out_of_date(files: HttpsFiles, start: dt.datetime, end: dt.datetime) -> None:
    """Browsers refuse a certificate out of its dates; the hall's queue goes on, so the
    server starts and says so."""
    now = dt.datetime.now(dt.UTC)
    if now > end:
        log.warning("the dashboard's certificate %s expired on %s: browsers refuse it; "
                    "run `mpp provision --tls` again", files.cert, end.date().isoformat())
    elif now < start:
        log.warning("the dashboard's certificate %s is valid only from %s: is this "
                    "box's clock right?", files.cert, start.isoformat(timespec="minutes"))
