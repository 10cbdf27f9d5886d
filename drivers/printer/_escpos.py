"""The one place that imports python-escpos.

python-escpos parses its capabilities file on every import and leaves a temporary folder
behind unless ESCPOS_CAPABILITIES_PICKLE_DIR names a persistent folder (FIELD-NOTES.md);
the folder must exist before the import. Import escpos only through this module.

escpos writes that pickle in place (open, dump): a second process importing it meanwhile
(a kiosk and a display starting together, parallel test workers) read half a file and
died with EOFError. The import holds an exclusive lock on a file in that folder.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mpp" / "escpos"


if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    _dir = _cache_dir()
    _dir.mkdir(parents=True, exist_ok=True)
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_dir)
else:
    Path(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]).mkdir(parents=True, exist_ok=True)

# escpos.capabilities calls logging.basicConfig() at import; logging is the app's to set up.
_root_handlers = list(logging.getLogger().handlers)


@contextmanager
def _one_at_a_time() -> Iterator[None]:
    """Exclusive across processes; without a lock where the folder is read-only (escpos
    then only reads a pickle made before)."""
    try:
        lock = (Path(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"]) / "import.lock").open("a")
    except OSError:
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


with _one_at_a_time():
    from escpos import exceptions as escpos_exceptions
    from escpos.escpos import Escpos
    from escpos.printer import Dummy, File, Network, Serial, Usb

for _handler in [h for h in logging.getLogger().handlers if h not in _root_handlers]:
    logging.getLogger().removeHandler(_handler)

__all__ = ["Dummy", "Escpos", "File", "Network", "Serial", "Usb", "escpos_exceptions"]
