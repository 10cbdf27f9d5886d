"""The one place that imports python-escpos.

python-escpos parses its capabilities file on every import and leaves a temporary folder
behind unless ESCPOS_CAPABILITIES_PICKLE_DIR names a persistent folder (FIELD-NOTES.md);
the folder must exist before the import. Import escpos only through this module.
"""

from __future__ import annotations

import logging
import os
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

from escpos import exceptions as escpos_exceptions  # noqa: E402
from escpos.escpos import Escpos  # noqa: E402
from escpos.printer import Dummy, File, Network, Serial, Usb  # noqa: E402

for _handler in [h for h in logging.getLogger().handlers if h not in _root_handlers]:
    logging.getLogger().removeHandler(_handler)

__all__ = ["Dummy", "Escpos", "File", "Network", "Serial", "Usb", "escpos_exceptions"]
