"""The ``cleanrooms-mock`` command: ``serve`` runs the mock as an HTTP endpoint until stopped."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

from . import __version__
from .domain.quotas import DEFAULT_QUOTAS, quotas
from .seeding import SeedError
from .server import ADMIN_PREFIX, DEFAULT_PORT, CleanRoomsServer
from .settings import port_argument, state_argument

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleanrooms-mock",
        description="A faithful, offline AWS Clean Rooms for tests.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve Clean Rooms (and moto's STS) over HTTP until Ctrl-C or SIGTERM",
        description=(
            "Serve AWS Clean Rooms over HTTP for the AWS CLI and any SDK: point them at the "
            "printed endpoint (--endpoint-url). Requests signed for other services (STS, ...) "
            f"are answered by moto. Administration: GET {ADMIN_PREFIX}/health, "
            f"POST {ADMIN_PREFIX}/reset, GET/POST/PUT {ADMIN_PREFIX}/state, "
            f"GET/POST/DELETE {ADMIN_PREFIX}/faults, GET/POST/PUT {ADMIN_PREFIX}/quotas, "
            f"GET/POST {ADMIN_PREFIX}/options."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument(
        "--port",
        type=port_argument,
        default=DEFAULT_PORT,
        help=f"port (default: {DEFAULT_PORT}; 0 picks a free one)",
    )
    serve.add_argument(
        "--state",
        metavar="FILE",
        type=state_argument,
        help="load FILE (JSON, or YAML with PyYAML) at start if it exists; save to it, "
        "atomically, on shutdown (its folder must exist and be writable)",
    )
    serve.add_argument(
        "--quota",
        metavar="NAME=VALUE",
        action="append",
        type=_quota,
        default=[],
        help="set a service quota, e.g. memberships_per_account=2 (repeatable; names: "
        f"{', '.join(DEFAULT_QUOTAS)}); a reset returns to these values",
    )
    serve.add_argument(
        "--no-verify-glue-tables",
        dest="verify_glue_tables",
        action="store_false",
        help="let configured tables name Glue and Athena tables that do not exist in the "
        "caller's Glue Data Catalog (as moto's own Clean Rooms does); by default they must "
        "exist, with the allowed columns; a reset returns to this choice",
    )
    serve.add_argument(
        "--step-protected-queries",
        action="store_true",
        help="make protected queries move one status per read (SUBMITTED, STARTED, then "
        "SUCCESS or FAILED), to test polling and cancellation; by default a query has finished "
        "by its first read; a reset returns to this choice",
    )
    serve.add_argument(
        "--verbose",
        action="store_true",
        help="log to stderr one line per Clean Rooms call (operation, account, region, status, "
        "error code) and werkzeug's access line for any other request",
    )
    return parser


def _quota(text: str) -> tuple[str, int]:
    """``--quota NAME=VALUE``, checked as the Python API checks quotas."""
    name, equals, value = (part.strip() for part in text.partition("="))
    try:
        if not equals:
            known = ", ".join(DEFAULT_QUOTAS)
            raise ValueError(f"{text!r} is not NAME=VALUE; known quotas: {known}")
        number: Any = int(value) if value.isascii() and value.isdigit() else value
        ((name, number),) = quotas.checked({name: number}).items()
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{error} (e.g. --quota memberships_per_account=2)"
        ) from None
    return name, number


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    return _serve(arguments)


def _serve(arguments: argparse.Namespace) -> int:
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        # Made inside the try: a state folder that vanished since the arguments were checked is
        # a start-up error with a message, not a traceback.
        server = CleanRoomsServer(
            arguments.host,
            arguments.port,
            arguments.state,
            arguments.verbose,
            quotas=dict(arguments.quota),
            verify_glue_tables=arguments.verify_glue_tables,
            step_protected_queries=arguments.step_protected_queries,
        )
        server.start()
    except (OSError, SeedError, ValueError) as error:
        print(f"cleanrooms-mock: cannot start: {error}", file=sys.stderr, flush=True)
        return 1
    state = f", state file {arguments.state}" if arguments.state else ""
    print(
        f"cleanrooms-mock {__version__}: AWS Clean Rooms on {server.url}{state} (Ctrl-C to stop)",
        flush=True,
    )
    while not stopping.wait(0.5):
        pass
    try:
        server.stop()
    except (OSError, ValueError) as error:
        print(f"cleanrooms-mock: could not save the state: {error}", file=sys.stderr, flush=True)
        return 1
    saved = f"; state saved to {arguments.state}" if arguments.state else ""
    print(f"cleanrooms-mock: stopped{saved}", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
