"""The `mpp box` commands and the `--boxes` options of `mpp provision` (mpp/cli.py only
registers them)."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from mpp.box.install import BoxError, Installed, firstboot, install_from
from mpp.box.sticks import firstboot_from_sticks
from mpp.common import UsageError

if TYPE_CHECKING:
    from mpp.provision import Provisioned
    from mpp.provision.run import TlsRequest
    from queue_server.config import SiteConfig


def add_box_options(prov: argparse.ArgumentParser) -> None:
    prov.add_argument("--boxes", action="store_true",
                      help="also a bundle per box, OUT/boxes/ID.mppbox, for `mpp box "
                           "install` / first boot (docs/boxes.md)")
    prov.add_argument("--box", action="append", metavar="ID=ROLE[:ARG]",
                      help="with --boxes: what a device's box runs when not its role's "
                           "default (kiosk, counter PC = console, display = wall), e.g. "
                           "display-02=counter:loket-03 or display-01=wall:lantai-1")
    prov.add_argument("--box-lang", default="id", choices=("id", "en"),
                      help="with --boxes: the screens' primary language (id)")
    prov.add_argument("--box-mqtt", metavar="URL",
                      help="with --boxes: a static broker URL the boxes fall back to when "
                           "zeroconf finds no server (default: none, zeroconf only)")


def provision_boxes(args: argparse.Namespace, cfg: SiteConfig, done: Provisioned,
                    tls: TlsRequest | None) -> None:
    """Make the bundles after `mpp provision` and say what was made."""
    from mpp.box.bundle import BoxOptions, make_boxes, parse_box_choice
    from mpp.provision import ProvisionError
    try:
        opts = BoxOptions(tuple(parse_box_choice(c) for c in args.box or ()),
                          args.box_lang, args.box_mqtt)
        boxes = make_boxes(cfg, done, opts, port=args.port, tls=tls)
    except (ProvisionError, OSError) as err:
        raise UsageError(f"cannot make the box bundles of {cfg.site.id}: {err}") from None
    print(f"  bundles: {len(boxes.made)} in {done.out / 'boxes'} (ID.mppbox, mode 0600): "
          "copy them to a USB stick; each box takes its own at first boot")
    for line in boxes.skipped:
        print(f"    no bundle: {line}")


def add_box_parser(sub: argparse._SubParsersAction) -> None:
    box = sub.add_parser("box", help="install this box from its bundle (docs/boxes.md)")
    box_sub = box.add_subparsers(dest="box_command", required=True)
    inst = box_sub.add_parser("install", help="install a bundle: a .mppbox file, or a "
                                              "folder (USB stick) holding one or several")
    inst.add_argument("src", help="ID.mppbox, or a folder holding bundles")
    inst.add_argument("--root", default="/", help="the box's root (default /)")
    inst.add_argument("--pick", metavar="ID",
                      help="which bundle of the folder (default: the one named like this "
                           "host, else the only one not yet taken)")
    inst.set_defaults(func=cmd_box_install)
    first = box_sub.add_parser("firstboot", help="at first boot (mpp-firstboot.service): "
                                                 "take this box's bundle from a USB stick")
    first.add_argument("--media", action="append", metavar="DIR",
                       help="where to look (repeatable; default /media/*, /media/*/*, "
                            "/run/media/*/*, then every USB stick, mounted for the "
                            "moment)")
    first.add_argument("--device", action="append", metavar="DEV",
                       help="mount this block device and look there (repeatable; default "
                            "every unmounted USB stick when no mounted one has a bundle)")
    first.add_argument("--root", default="/", help="the box's root (default /)")
    first.set_defaults(func=cmd_box_firstboot)


def cmd_box_install(args: argparse.Namespace) -> int:
    try:
        done = install_from(Path(args.src), Path(args.root), pick=args.pick)
    except BoxError as err:
        raise UsageError(f"{err.code}: {err}") from None
    except OSError as err:  # not root, a full or read-only disk
        raise UsageError(f"{BoxError.code}: cannot install under {args.root}: {err}") from None
    _report(done)
    return 0


def cmd_box_firstboot(args: argparse.Namespace) -> int:
    root = Path(args.root)
    if (root / "etc/mpp/box.toml").exists():
        print(f"mpp box firstboot: {root / 'etc/mpp/box.toml'} is there: already a box")
        return 0
    try:
        if args.media:
            done = firstboot([Path(m) for m in args.media], root)
        else:  # sticks someone mounted, else the USB sticks, mounted here for the moment
            done = firstboot_from_sticks(root, devices=args.device)
    except BoxError as err:
        raise UsageError(f"{err.code}: {err}") from None
    except OSError as err:
        raise UsageError(f"{BoxError.code}: cannot install under {root}: {err}") from None
    _report(done)
    if done.enabled and root == Path("/"):  # this boot too, not only the next one
        subprocess.run(["systemctl", "daemon-reload"], check=False, timeout=60)
        subprocess.run(["systemctl", "start", "--no-block", done.bundle.role.target],
                       check=False, timeout=60)
    return 0


def _report(done: Installed) -> None:
    b = done.bundle
    print(f"installed box {b.device} ({b.role.name}) of site {b.site} from {b.path} "
          f"into {done.root}")
    if done.enabled:
        print(f"  enabled {b.role.target}")
    for note in done.notes:
        print(f"  note: {note}")
