"""`mpp kiosk`: the citizen ticket kiosk.

    python -m kiosk.app --site-id mpp-makassar --mqtt mqtt://10.0.0.2:1883 \\
        --device kiosk-01 --printer /etc/mpp/printer.toml --scanner /etc/mpp/scanner.toml \\
        --orientation portrait --fullscreen

`--printer simulated` (the default) renders every ticket as a PNG into --tickets-dir.
`--scanner` reads appointment QR codes (docs/kiosk.md); "none" (the default) for a kiosk
without one.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.kiosk import LANDSCAPE, PORTRAIT, Kiosk
from qtkit.app import WindowOptions, application
from qtkit.bridge import Endpoint
from qtkit.cli import base_parser, endpoint_of, window_options_of
from qtkit.setup import run_located

if TYPE_CHECKING:
    from PySide6.QtGui import QGuiApplication

    from drivers.printer import EscposPrinter

log = logging.getLogger("mpp.kiosk")



def default_tickets_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mpp-queue" / "kiosk-tickets"


def parser() -> argparse.ArgumentParser:
    p = base_parser("mpp kiosk", "The citizen ticket kiosk (touchscreen).", device="kiosk-01")
    p.add_argument("--printer", default="simulated", metavar="CONFIG",
                   help='"simulated" (default) or a TOML/JSON printer config file '
                        "(docs/drivers-printer.md)")
    p.add_argument("--tickets-dir", type=Path, default=None,
                   help="where the simulated printer writes each ticket as PNG "
                        "(default $XDG_CACHE_HOME/mpp-queue/kiosk-tickets)")
    p.add_argument("--scanner", default="none", metavar="CONFIG",
                   help='"none" (default), "simulated", or a TOML/JSON scanner config file '
                        "(serial, hid, file, socket; docs/drivers-scanner.md)")
    p.add_argument("--orientation", choices=("portrait", "landscape"), default="portrait",
                   help="portrait 1080x1920 (default) or landscape 1920x1080")
    p.add_argument("--keypad", default="none", metavar="PROFILE",
                   help='"none" (default) or the voice-guidance keypad\'s profile '
                        "(hardware/keypads/kiosk-*.toml; docs/kiosk.md)")
    p.add_argument("--speech", default=None, metavar="play|wav-dir:PATH|none",
                   help="where voice guidance speaks: the speaker (default when this box "
                        "has an audio output), WAV files, or nowhere")
    return p


def open_voice(args: argparse.Namespace) -> dict[str, Any]:
    """The keypad (built; its reader opens it) and the speaker of voice guidance, as
    Kiosk's keyword arguments. A voice that is not there leaves the keys working."""
    from drivers.buttons import KeypadError, load_keypad_profile, open_keypad

    if args.keypad == "none":
        return {}
    try:
        config = load_keypad_profile(args.keypad)
        keypad = open_keypad(config)
    except KeypadError as err:
        raise SystemExit(f"error [{err.code}]: {err}") from err
    return {"keypad": keypad, "press_filter": config.filter.make(),
            "speaker": open_speaker(args.speech)}


def open_speaker(spec: str | None) -> Any | None:
    from drivers.audio import (
        EspeakSpeaker,
        PlayerSink,
        Speaker,
        VoiceError,
        WavFileSink,
        find_player,
    )

    player = find_player()
    spec = spec or ("play" if player else "none")
    if spec == "none":
        log.warning("voice guidance has no speech (--speech none): the keys still work")
        return None
    if spec == "play" and player is None:
        raise SystemExit("error: --speech play: no audio output or player on this box; "
                         "use wav-dir:PATH")
    if spec.startswith("wav-dir:") and len(spec) > len("wav-dir:"):
        sink: Any = WavFileSink(spec[len("wav-dir:"):], prefix="voice")
    elif spec == "play" and player is not None:
        sink = PlayerSink(player)
    else:
        raise SystemExit(f"error: --speech must be play, wav-dir:PATH or none, not {spec!r}")
    voice = EspeakSpeaker()
    try:
        voice.check()
    except VoiceError as err:
        log.error("voice guidance has no voice (%s): the keys still work", err)
        return None
    return Speaker(voice, sink, name="mpp-kiosk")


def open_kiosk_scanner(spec: str) -> tuple[Any | None, bool]:
    """(scanner, opened); (None, False) for "none". One not plugged in yet is opened
    later by the kiosk; walk-in tickets work meanwhile."""
    from drivers.scanner import ScannerError
    from kiosk.scanning import open_configured_scanner

    try:
        return open_configured_scanner(spec)
    except ScannerError as err:  # only a config error gets here
        raise SystemExit(f"error: {err}") from err


def printer_opener(spec: str, tickets_dir: Path | None) -> Callable[[], EscposPrinter]:
    """Opens the printer when called (on the kiosk's worker thread, so the window shows
    without waiting for python-escpos). Raises PrinterConfigError or PrinterError: the
    kiosk then shows numbers on screen and reports the code in its presence."""
    def open_it() -> EscposPrinter:
        from drivers.printer import open_printer
        from kiosk.printing import printer_config

        return open_printer(printer_config(spec, tickets_dir or default_tickets_dir()))
    return open_it


def kiosk_window(args: argparse.Namespace) -> WindowOptions:
    opts = window_options_of(args)
    if opts.size is None:
        opts = replace(opts, size=PORTRAIT if args.orientation == "portrait" else LANDSCAPE)
    return opts


def kiosk_builder(args: argparse.Namespace) -> Callable[[Endpoint], Kiosk]:
    """Makes the kiosk once its server is known (the scanner is opened at once)."""
    opts = kiosk_window(args)
    scanner, opened = open_kiosk_scanner(args.scanner)
    voice = open_voice(args)

    def build(endpoint: Endpoint) -> Kiosk:
        return Kiosk(endpoint, None, lang=args.lang, window=opts, scanner=scanner,
                     scanner_opened=opened,
                     open_printer=printer_opener(args.printer, args.tickets_dir), **voice)
    return build


def start_kiosk(args: argparse.Namespace) -> tuple[QGuiApplication, Kiosk]:
    """The application and the kiosk on --mqtt and --site-id as given (the benchmark's
    children)."""
    app = application([], offscreen=args.offscreen)
    return app, kiosk_builder(args)(endpoint_of(args, role="kiosk"))


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    app = application([], offscreen=args.offscreen)
    return run_located(app, args, "kiosk", kiosk_builder(args), kiosk_window(args))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
