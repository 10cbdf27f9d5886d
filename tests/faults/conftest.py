"""The fault suite (issue #17): real faults injected in every run, counts scaled up on
demand with MPP_FAULTS_LONG=1 (the issue's figures); `make test-faults` runs it alone."""

from __future__ import annotations

import os


def scaled(short: int, long: int) -> int:
    """`short` in the normal suite, `long` when MPP_FAULTS_LONG=1."""
    return long if os.environ.get("MPP_FAULTS_LONG") == "1" else short
