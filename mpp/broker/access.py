"""Who may reach a broker we start: accounts and an ACL (DESIGN.md, broker access
control), or nobody checked at all, which is the explicit development switch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The broker's cap on any packet. The largest legitimate one is the server's retained
# state/config (15 kB for the 32-counter sample site); commands are capped far lower by
# the server itself (protocol.messages.MAX_PAYLOAD), which refuses them unparsed.
MAX_PACKET_BYTES = 256 * 1024


@dataclass(frozen=True)
class TlsFiles:
    """The site CA's certificate, and the broker's certificate and key it signed."""

    ca_cert: Path
    server_cert: Path
    server_key: Path


@dataclass(frozen=True)
class BrokerAccess:
    """Mosquitto's password file (user:$7$ hash lines) and ACL file, as `mpp provision`
    writes them."""

    password_file: Path
    acl_file: Path
    tls: TlsFiles | None = None  # the listener speaks TLS with the site CA's certificate
    max_packet_bytes: int = MAX_PACKET_BYTES
    argon2_password_file: Path | None = None  # the same accounts for amqtt (Argon2 hashes)
    # the client id is the user name, whatever the client asks: nobody takes over the
    # server's session (or a kiosk's) by naming its client id. Off only for the test
    # suite's brokers, where several clients of one account run side by side
    bind_client_id: bool = True

    def conf_lines(self) -> list[str]:
        return [
            "allow_anonymous false",
            f"password_file {self.password_file.resolve()}",
            f"acl_file {self.acl_file.resolve()}",
            *(["use_username_as_clientid true"] if self.bind_client_id else []),
            f"max_packet_size {self.max_packet_bytes}",
        ]

    def tls_lines(self) -> list[str]:
        """The options of a TLS listener (they follow its `listener` line)."""
        if self.tls is None:
            return []
        return [f"cafile {self.tls.ca_cert.resolve()}",
                f"certfile {self.tls.server_cert.resolve()}",
                f"keyfile {self.tls.server_key.resolve()}", "tls_version tlsv1.2"]
