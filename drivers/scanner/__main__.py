"""`python -m drivers.scanner udev-rules PROFILE_DIR`: print the udev rules for the profiles.

`python -m drivers.scanner listen CONFIG.toml`: print scans from the configured scanner
(the [scanner] table of the file) until Ctrl+C, with their classification.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from ._classify import parse_scan
from ._config import open_scanner, parse_scanner_config
from ._profiles import load_profiles, render_udev_rules
from ._reader import iter_scans
from ._types import ScannerError

USAGE = "usage: python -m drivers.scanner {udev-rules PROFILE_DIR | listen CONFIG.toml}"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("udev-rules", "listen"):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        if argv[0] == "udev-rules":
            sys.stdout.write(render_udev_rules(load_profiles(Path(argv[1]))))
        else:
            _listen(Path(argv[1]))
    except ScannerError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


def _listen(path: Path) -> None:
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("scanner", {})
    scanner = open_scanner(parse_scanner_config(table, source=str(path)))
    try:
        for scan in iter_scans(scanner):
            print(f"{scan.source}\t{parse_scan(scan.text).kind.value}\t{scan.text!r}")
    except KeyboardInterrupt:
        pass
    finally:
        scanner.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
