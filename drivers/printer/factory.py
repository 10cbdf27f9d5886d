"""Transports chosen by a type string: `open_printer(config) -> Printer`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from drivers.printer.config import TRANSPORTS, PrinterConfig, PrinterConfigError
from drivers.printer.device import EscposPrinter
from drivers.printer.layout import RenderOptions
from drivers.printer.profiles import find_profile
from drivers.printer.simulated import PrinterSimulator


def open_printer(
    config: PrinterConfig | Mapping[str, Any], *, simulator: PrinterSimulator | None = None
) -> EscposPrinter:
    """Open the configured printer. `simulator` is used by the `simulated` type (a fresh
    one is made when omitted; reach it as `printer.simulator`)."""
    from drivers.printer.transports import build_transport, open_transport  # python-escpos

    cfg = config if isinstance(config, PrinterConfig) else PrinterConfig.from_mapping(config)
    if cfg.type not in TRANSPORTS:
        raise PrinterConfigError(
            f"printer config: key 'type' must be one of {TRANSPORTS}, got {cfg.type!r}"
        )
    cfg, options, near_end = _model(cfg)
    if cfg.type == "simulated" and simulator is None:
        out = Path(cfg.output_dir) if cfg.output_dir else None
        simulator = PrinterSimulator(width_dots=options.width_dots, output_dir=out)
    esc = build_transport(cfg, options, simulator=simulator)
    open_transport(esc, cfg)
    return EscposPrinter(
        esc, options, can_read=cfg.type != "file", near_end_sensor=near_end, simulator=simulator
    )


def _model(cfg: PrinterConfig) -> tuple[PrinterConfig, RenderOptions, bool]:
    """Fill model settings (and USB ids) from the hardware profile where not configured."""
    prof = find_profile(cfg.profile) if cfg.profile else None

    def pick(key: str, default: Any) -> Any:
        value = getattr(cfg, key)
        if value is not None:
            return value
        return getattr(prof, key) if prof else default

    options = RenderOptions(
        escpos_profile=pick("escpos_profile", "default"),
        width_dots=pick("width_dots", 576),
        native_qr=pick("native_qr", True),
    )
    if prof:
        cfg = dataclasses.replace(
            cfg,
            vendor_id=cfg.vendor_id if cfg.vendor_id is not None else prof.usb_vendor_id,
            product_id=cfg.product_id if cfg.product_id is not None else prof.usb_product_id,
        )
    return cfg, options, pick("near_end_sensor", True)
