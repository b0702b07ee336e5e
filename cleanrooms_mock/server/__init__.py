"""Server mode: the in-process mock behind an HTTP endpoint, for the AWS CLI and any SDK.

A client needs only an endpoint override (``--endpoint-url http://127.0.0.1:4566``): requests
are read off the socket and served by the same :func:`..integration.service.handle` as
in-process calls, so routing, validation, errors and accounts behave identically. Requests
signed for another service (STS, for account switching, or any service moto mocks) go to moto's
own request dispatcher with the URL that service would have on AWS, acting as the same caller.
Administration endpoints live under ``/_cleanrooms_mock``.

``app`` is the WSGI application, ``admin`` the administration endpoints, ``handler`` the
connections (keep-alive); :class:`CleanRoomsServer` runs them on a socket.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Mapping

from werkzeug.serving import BaseWSGIServer, get_sockaddr, make_server, select_address_family

from ..mock import CleanRoomsMock
from ..seeding import load_state, save_state
from ..settings import check_port, check_quotas, listen_hint, state_file
from .admin import ADMIN_PREFIX
from .app import ServerSettings, application, calls_log
from .handler import RequestHandler

__all__ = ["ADMIN_PREFIX", "DEFAULT_PORT", "CleanRoomsServer", "ServerSettings", "application"]

#: LocalStack's edge port, which the AWS CLI examples of most local emulators use.
DEFAULT_PORT = 4566


def _show_calls() -> None:
    """Send the call log to stderr, unless logging is set up to take it (as werkzeug does)."""
    if calls_log.level == logging.NOTSET:
        calls_log.setLevel(logging.INFO)
    level = calls_log.getEffectiveLevel()
    logger: logging.Logger | None = calls_log
    while logger is not None:
        if any(handler.level <= level for handler in logger.handlers):
            return
        logger = logger.parent if logger.propagate else None
    calls_log.addHandler(logging.StreamHandler())


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket; binding ourselves keeps werkzeug from exiting the process on error."""
    family = select_address_family(host, port)
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(get_sockaddr(host, port, family))
        listening.listen(128)
    except OSError as error:
        listening.close()
        raise OSError(
            error.errno, f"cannot listen on {host}:{port}: {error.strerror}; {listen_hint(error)}"
        ) from None
    return listening


class CleanRoomsServer:
    """cleanrooms-mock on a socket, in a background thread: ``start()``, ``url``, ``stop()``.

    The mock is active for the server's lifetime. With ``state``, the file is loaded at start
    (when it exists) and written atomically at stop, so a crash never leaves half a file.
    ``quotas``, ``verify_glue_tables`` and ``step_protected_queries`` are the server's start
    values (``serve --quota``, ``--no-verify-glue-tables``, ``--step-protected-queries``), which
    a reset returns to.
    Settings are checked when given and the state file again at start (:mod:`.settings`): a
    bad port or ``quotas`` raises TypeError/ValueError naming the argument, a state file whose
    folder is missing or not writable, or of an unknown type, ValueError, so nothing is lost at
    stop.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        state: str | os.PathLike[str] | None = None,
        verbose: bool = False,
        *,
        quotas: Mapping[str, int] | None = None,
        verify_glue_tables: bool = True,
        step_protected_queries: bool = False,
    ) -> None:
        if not isinstance(host, str):
            raise TypeError(f"host must be an address like '127.0.0.1', not {host!r}")
        self.host = host
        self.port = check_port(port)
        self.state = state_file(state) if state is not None else None
        self.verbose = verbose
        checked = check_quotas({} if quotas is None else quotas, "CleanRoomsServer(quotas=...)")
        # TypeError for an option that is not True or False.
        self._mock = CleanRoomsMock(
            quotas=checked,
            verify_glue_tables=verify_glue_tables,
            step_protected_queries=step_protected_queries,
        )
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Bind, load the state file, and serve in a daemon thread (``port=0``: any free port)."""
        if self.state is not None:
            state_file(self.state)  # the folder may have gone since the server was made
        settings = ServerSettings(self.verbose, dict(self._mock.quotas), dict(self._mock.options))
        handler = type(
            "RequestHandler",
            (RequestHandler,),
            {
                "settings": settings,
                "connections": self._connections,
                "connections_lock": threading.Lock(),
            },
        )
        if self.verbose:
            _show_calls()
        listening = _listen(self.host, self.port)
        try:
            server = make_server(
                self.host,
                self.port,
                application,
                threaded=True,
                request_handler=handler,
                fd=listening.fileno(),
            )
        finally:
            listening.close()  # the server holds its own duplicate of the socket
        self._mock.start()
        try:
            if self.state is not None and self.state.exists():
                load_state(self.state)
        except BaseException:
            self._mock.stop()
            server.server_close()
            raise
        self._server = server
        self.port = server.port
        self._thread = threading.Thread(
            target=server.serve_forever, name="cleanrooms-mock-server", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, write the state file if one was given, and discard the state."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join()
        for connection in list(self._connections):  # idle keep-alive connections end here
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        try:
            if self.state is not None:
                save_state(self.state)
        finally:
            self._mock.stop()

    def __enter__(self) -> CleanRoomsServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
