"""TLS and authentication for the MQTT link: the client's TLS context (the site CA, the
host name checked, TLS 1.2 at least), and the refusals a broker gives, in words a
technician can act on."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

from queue_server.protocol.credentials import Credentials

# OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH
_NAME_MISMATCH = frozenset({62, 64})
# CONNACK reasons (MQTT 5; paho maps 3.1.1's 4 and 5 onto 0x86 and 0x87)
NOT_AUTHORISED = frozenset({0x86, 0x87, 0x8C})


class _ClosingSSLSocket(ssl.SSLSocket):
    """paho wraps its socket and calls do_handshake() itself; when the handshake fails
    it neither keeps nor closes the socket, which then leaks ("unclosed socket"). This
    one closes itself on a failed handshake."""

    def do_handshake(self, block: bool = False) -> None:
        try:
            super().do_handshake(block)
        except BaseException:
            self.close()
            raise


def client_context(ca: Path | None) -> ssl.SSLContext:
    """Verify the broker's certificate: signed by `ca` (the site CA; None: the system's
    trusted CAs) and naming the host dialled."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca is None:
        context.load_default_certs()
    else:
        context.load_verify_locations(cafile=str(ca))
    context.sslsocket_class = _ClosingSSLSocket
    return context


def tls_failure(err: OSError, host: str, port: int, ca: Path | None) -> str:
    """Why the TLS handshake with host:port failed (an SSLError, or the connection reset
    in the middle of it)."""
    if isinstance(err, ssl.SSLCertVerificationError):
        if err.verify_code in _NAME_MISMATCH:
            return (f"the broker's certificate does not name {host}: dial a name or "
                    f"address it was made for (mpp provision --tls-name / --tls-ip)")
        who = f"this site's CA ({ca})" if ca is not None else "a CA this box trusts"
        return f"the broker's certificate is not signed by {who}"
    reason = getattr(err, "reason", None) or str(err)
    if not isinstance(err, ssl.SSLError) or reason == "WRONG_VERSION_NUMBER" or \
            "EOF" in str(reason):
        return (f"{host}:{port} does not speak TLS (is it the plain MQTT port? "
                f"then use mqtt://)")
    return f"TLS handshake with {host}:{port} failed: {reason}"


def refusal(reason: Any, credentials: Credentials | None) -> str | None:
    """The words for a CONNACK that refuses our credentials; None for other refusals."""
    if getattr(reason, "value", None) not in NOT_AUTHORISED:
        return None
    if credentials is None:
        return ("not authorised: this broker refuses anonymous clients; give the box its "
                "credentials file (--credentials FILE or $MPP_CREDENTIALS)")
    return f"not authorised as {credentials.user}: check {credentials.where()}"
