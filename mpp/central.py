"""`mpp central serve|add-site|migrate`: the city's receiver of the halls' outboxes
(central/, docs/outside-world.md). The database is named by --db or $MPP_CENTRAL_DB
(a password belongs in ~/.pgpass or $PGPASSFILE, never on the command line)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from mpp.common import UsageError, wait_for_signal

ENV_DB = "MPP_CENTRAL_DB"


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    central = sub.add_parser("central", help="the city's receiver of the halls' outboxes")
    csub = central.add_subparsers(dest="central_command", required=True)
    serve = csub.add_parser("serve", help="receive uploads over HTTPS (several instances "
                                          "may serve one database)")
    _db_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on "
                                                           "(default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8443, help="port (default 8443)")
    serve.add_argument("--cert", required=True, help="the TLS certificate (PEM)")
    serve.add_argument("--key", required=True, help="its private key (PEM)")
    serve.set_defaults(func=cmd_serve)
    add = csub.add_parser("add-site", help="let a hall upload: its token, into a file")
    _db_option(add)
    add.add_argument("site", help="the hall's site id, as in its site file")
    add.add_argument("--token-out", required=True, metavar="FILE",
                     help="where the token goes (mode 0600): the hall's central.token_file")
    add.add_argument("--rotate", action="store_true",
                     help="a new token for a site already known (the old one stops)")
    add.set_defaults(func=cmd_add_site)
    mig = csub.add_parser("migrate", help="bring the central's schema up to date")
    _db_option(mig)
    mig.set_defaults(func=cmd_migrate)


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=f"PostgreSQL URL (default ${ENV_DB}), e.g. "
                                     "postgresql+psycopg://central@db.example/central")


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from central.db import CentralError, make_central_engine

    url = args.db or os.environ.get(ENV_DB)
    if not url:
        raise UsageError(f"--db URL or ${ENV_DB}: the central's PostgreSQL database")
    try:
        return make_central_engine(url)
    except CentralError as err:
        raise UsageError(str(err)) from None


def cmd_serve(args: argparse.Namespace) -> int:
    from central.db import CentralError
    from central.serve import serve
    from queue_server.web.https import HttpsError

    url = args.db or os.environ.get(ENV_DB) or ""
    _engine(args).dispose()  # the URL and the driver, checked before anything starts
    try:
        serve(url, args.host, args.port, Path(args.cert), Path(args.key),
              lambda: wait_for_signal(None))
    except (CentralError, HttpsError) as err:
        raise UsageError(f"central: {err}") from None
    except OSError as err:
        raise UsageError(f"central: cannot listen on {args.host}:{args.port}: {err}") \
            from None
    return 0


def cmd_add_site(args: argparse.Namespace) -> int:
    from central.db import CentralError, add_site, migrate
    from mpp.provision.accounts import write_private

    engine = _engine(args)
    try:
        migrate(engine)
        made = add_site(engine, args.site, rotate=args.rotate)
    except CentralError as err:
        raise UsageError(str(err)) from None
    finally:
        engine.dispose()
    out = Path(args.token_out)
    write_private(out, made.token + "\n")
    print(f"{'new token for' if args.rotate else 'added'} site {made.site}: its token is "
          f"in {out} (mode 0600); copy it to the hall and name it in the site file's "
          "[central] token_file")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from central.db import CentralError, migrate

    engine = _engine(args)
    try:
        migrate(engine)
    except CentralError as err:
        raise UsageError(str(err)) from None
    finally:
        engine.dispose()
    print("the central's schema is up to date")
    return 0
