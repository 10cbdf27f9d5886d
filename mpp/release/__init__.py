"""Releases of the box software: the lock file of pinned dependencies and the release
bundle (VERSION, requirements.lock, wheels/, systemd/, hardware/) that `mpp upgrade`
installs offline."""

from mpp.release.bundle import Bundle, BundleError, open_bundle
from mpp.release.lock import LOCK_EXTRAS, LockError, check_lock, lock_text, read_lock

__all__ = [
    "LOCK_EXTRAS",
    "Bundle",
    "BundleError",
    "LockError",
    "check_lock",
    "lock_text",
    "open_bundle",
    "read_lock",
]
