"""The `mpp box` commands and the `--boxes` options of `mpp provision` (mpp/cli.py only
registers them)."""

from __future__ import annotations

import argparse
import socket
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from mpp.box.install import BoxError, Installed, NoBundle, firstboot, install_from
from mpp.box.screen import CODE_FILE
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
                                                 "take this box's bundle from a USB stick, "
                                                 "else from the server over the LAN")
    first.add_argument("--media", action="append", metavar="DIR",
                       help="where to look (repeatable; default /media/*, /media/*/*, "
                            "/run/media/*/*, then every USB stick, mounted for the "
                            "moment)")
    first.add_argument("--device", action="append", metavar="DEV",
                       help="mount this block device and look there (repeatable; default "
                            "every unmounted USB stick when no mounted one has a bundle)")
    first.add_argument("--root", default="/", help="the box's root (default /)")
    first.add_argument("--no-pair", action="store_true",
                       help="a stick only: never ask the server over the LAN")
    _pair_options(first)
    first.set_defaults(func=cmd_box_firstboot)
    pair = box_sub.add_parser("pair", help="get this box's bundle from the server over the "
                                           "LAN: show a code, an administrator types it "
                                           "into the dashboard (docs/boxes.md)")
    pair.add_argument("--root", default="/", help="the box's root (default /)")
    _pair_options(pair)
    pair.set_defaults(func=cmd_box_pair)


def _pair_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", metavar="URL",
                        help="the server's dashboard, https://HOST:PORT (default: the one "
                             "queue server zeroconf finds on the LAN)")
    parser.add_argument("--site", metavar="SLUG",
                        help="with zeroconf: take the server of this site (needed when the "
                             "LAN has several)")
    parser.add_argument("--code-file", default=str(CODE_FILE), metavar="FILE",
                        help=f"where the code is written too, for a screen to show "
                             f"(default {CODE_FILE}; empty: none)")
    parser.add_argument("--discover-timeout", type=float, default=5.0, metavar="S",
                        help="seconds of each zeroconf look (default 5)")


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
    source = None
    try:
        try:
            if args.media:
                done = firstboot([Path(m) for m in args.media], root)
            else:  # sticks someone mounted, else the USB sticks, mounted for the moment
                done = firstboot_from_sticks(root, devices=args.device)
        except NoBundle:
            if args.no_pair:
                raise
            done, source = _pair(args, root), "the server, over the LAN"
    except BoxError as err:
        raise UsageError(f"{err.code}: {err}") from None
    except OSError as err:
        raise UsageError(f"{BoxError.code}: cannot install under {root}: {err}") from None
    _report(done, source)
    _start(done, root)
    return 0


def cmd_box_pair(args: argparse.Namespace) -> int:
    root = Path(args.root)
    try:
        done = _pair(args, root)
    except BoxError as err:
        raise UsageError(f"{err.code}: {err}") from None
    except OSError as err:
        raise UsageError(f"{BoxError.code}: cannot install under {root}: {err}") from None
    _report(done, "the server, over the LAN")
    _start(done, root)
    return 0


def _pair(args: argparse.Namespace, root: Path) -> Installed:
    from mpp.box.pair import PairOptions, pair
    from mpp.box.screen import Screen

    opts = PairOptions(socket.gethostname(), server=args.server, site=args.site,
                       code_file=Path(args.code_file) if args.code_file else None,
                       discover_timeout=args.discover_timeout)
    return pair(root, opts, Screen(code_file=opts.code_file))


def _start(done: Installed, root: Path) -> None:
    if done.enabled and root == Path("/"):  # this boot too, not only the next one
        subprocess.run(["systemctl", "daemon-reload"], check=False, timeout=60)
        subprocess.run(["systemctl", "start", "--no-block", done.bundle.role.target],
                       check=False, timeout=60)


def _report(done: Installed, source: str | None = None) -> None:
    b = done.bundle
    print(f"installed box {b.device} ({b.role.name}) of site {b.site} from "
          f"{source or b.path} into {done.root}")
    if done.enabled:
        print(f"  enabled {b.role.target}")
    for note in done.notes:
        print(f"  note: {note}")
