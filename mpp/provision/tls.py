"""The site's own certificate authority, the broker's certificate and the dashboard's
(`mpp provision --tls`): clients check the broker's certificate, and browsers the
dashboard's, against the site CA, so a stranger's broker or web server on the hall's
network cannot pose as the server. The CA's key never leaves the
provisioning folder; boxes get only the CA certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mpp.broker.access import TlsFiles
from mpp.provision.accounts import ProvisionError, write_private

CA_YEARS = 20  # a hall's lifetime: boxes trust it until the site rotates it
SERVER_DAYS = 5 * 365
RENEW_BEFORE = dt.timedelta(days=60)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MPP queue"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _pem_cert(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _load_ca(folder: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate] | None:
    try:
        key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), None)
        cert = x509.load_pem_x509_certificate((folder / "ca.crt").read_bytes())
    except FileNotFoundError:
        return None
    except ValueError as err:
        raise ProvisionError(f"{folder}: the site CA is unreadable: {err}") from err
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ProvisionError(f"{folder}/ca.key: not the EC key mpp provision makes")
    return key, cert


def site_ca(folder: Path, site_id: str) -> tuple[ec.EllipticCurvePrivateKey,
                                                 x509.Certificate]:
    """The CA in `folder` (ca.key 0600, ca.crt), made on first use."""
    found = _load_ca(folder)
    if found is not None:
        return found
    key = ec.generate_private_key(ec.SECP256R1())
    start = _now() - dt.timedelta(days=1)  # boxes without a real-time clock run behind
    cert = (x509.CertificateBuilder().subject_name(_name(f"MPP {site_id} CA"))
            .issuer_name(_name(f"MPP {site_id} CA")).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=365 * CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True,
                                         False, False), critical=True)
            .sign(key, hashes.SHA256()))
    write_private(folder / "ca.key", _pem_key(key))
    (folder / "ca.crt").write_text(_pem_cert(cert), encoding="utf-8")
    return key, cert


def alt_names(names: list[str], ips: list[str]) -> list[x509.GeneralName]:
    try:
        addresses = [ipaddress.ip_address(ip) for ip in ips]
    except ValueError as err:
        raise ProvisionError(f"--ip: {err}") from err
    return [*(x509.DNSName(n) for n in names), *(x509.IPAddress(a) for a in addresses)]


def _still_good(path: Path, wanted: list[x509.GeneralName], ca: x509.Certificate) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (FileNotFoundError, ValueError, x509.ExtensionNotFound):
        return False
    return (set(sans) == set(wanted) and cert.issuer == ca.subject
            and cert.not_valid_after_utc - _now() > RENEW_BEFORE)


def server_certificate(folder: Path, ca: tuple[ec.EllipticCurvePrivateKey,
                                               x509.Certificate],
                       names: list[str], ips: list[str], site_id: str) -> TlsFiles:
    """The broker's key and certificate for these names and addresses, signed by the site
    CA; kept while they still match and have more than 60 days to run."""
    files = TlsFiles(folder / "ca.crt", folder / "server.crt", folder / "server.key")
    folder.mkdir(parents=True, exist_ok=True)
    files.ca_cert.write_text(_pem_cert(ca[1]), encoding="utf-8")
    leaf_certificate(files.server_cert, files.server_key, ca, names, ips,
                     f"MPP {site_id} broker")
    return files


def leaf_certificate(cert_path: Path, key_path: Path,
                     ca: tuple[ec.EllipticCurvePrivateKey, x509.Certificate],
                     names: list[str], ips: list[str], common: str) -> None:
    """A TLS server's key (0600) and certificate for these names and addresses, signed
    by the site CA: the broker's, the dashboard's. Kept while they still match and have
    more than 60 days to run."""
    wanted = alt_names(names, ips)
    ca_key, ca_cert = ca
    if key_path.exists() and _still_good(cert_path, wanted, ca_cert):
        return
    key = ec.generate_private_key(ec.SECP256R1())
    start = _now() - dt.timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(_name(common))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=SERVER_DAYS))
            .add_extension(x509.SubjectAlternativeName(wanted), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    write_private(key_path, _pem_key(key))
    cert_path.write_text(_pem_cert(cert), encoding="utf-8")
