"""Server mode: the in-process mock behind an HTTP endpoint, for the AWS CLI and any SDK.

A client needs only an endpoint override (``--endpoint-url http://127.0.0.1:4566``): requests
are read off the socket and served by the same :func:`.responses.handle` as in-process calls, so
routing, validation, errors and accounts behave identically. Requests signed for another service
(STS, for account switching, or any service moto mocks) go to moto's own request dispatcher with
the URL that service would have on AWS, acting as the same caller. Administration endpoints live
under ``/_cleanrooms_mock``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, HTTPHeaders
from werkzeug.serving import (
    BaseWSGIServer,
    WSGIRequestHandler,
    get_sockaddr,
    make_server,
    select_address_family,
)

from . import __version__
from .accounts import Scope, signing_scope
from .exceptions import CleanRoomsError, InternalServerError
from .mock import CleanRoomsMock, forward_to_moto, moto_url
from .models import reset_state
from .responses import HANDLERS, handle
from .seeding import SeedError, dump_state, load_state, replace_state, save_state
from .service import (
    MAX_REQUEST_BYTES,
    SERVICE_NAME,
    RequestTooLarge,
    Response,
    SerializationError,
    UnknownOperation,
    serialize_error,
)

__all__ = ["ADMIN_PREFIX", "DEFAULT_PORT", "CleanRoomsServer", "application"]

log = logging.getLogger(__name__)

#: LocalStack's edge port, which the AWS CLI examples of most local emulators use.
DEFAULT_PORT = 4566
ADMIN_PREFIX = "/_cleanrooms_mock"

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]

# ---- the WSGI application ------------------------------------------------------------------


def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    """Serve one HTTP request; whatever happens, the client gets an AWS-shaped answer."""
    try:
        response = _dispatch(environ)
    except CleanRoomsError as error:
        response = serialize_error(error)
    except Exception as error:  # a bug of ours: say so, keep serving
        log.exception("cleanrooms-mock server failed on %s", environ.get("REQUEST_URI"))
        response = serialize_error(InternalServerError(f"cleanrooms-mock server error: {error!r}"))
    headers = [(name, value) for name, value in response.headers.items()]
    headers.append(("Content-Length", str(len(response.body))))
    start_response(f"{response.status} {_phrase(response.status)}", headers)
    return [response.body]


def _dispatch(environ: Environ) -> Response:
    method = environ["REQUEST_METHOD"].upper()
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
    parts = urlsplit(target)
    path = parts.path or "/"
    headers = _headers(environ)
    if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/") or path == "/moto-api/reset":
        return _admin(method, path, _body(environ, limit=None))
    url = f"http://{headers.get('host', 'localhost')}{target}"
    scope = signing_scope(headers.get("authorization", ""), url)
    if scope is not None and scope.service != SERVICE_NAME:
        return _through_moto(method, url, scope, headers, environ)
    body = _body(environ, limit=MAX_REQUEST_BYTES)
    return handle(method, url, headers, body, lowered=True)


def _headers(environ: Environ) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return headers


def _body(environ: Environ, limit: int | None) -> bytes:
    """The request body; more than ``limit`` bytes is refused before it is read into memory."""
    stream = environ["wsgi.input"]
    length_text = environ.get("CONTENT_LENGTH") or ""
    if length_text:
        try:
            length = int(length_text)
        except ValueError:
            raise SerializationError(f"Invalid Content-Length {length_text!r}.") from None
        if limit is not None and length > limit:
            raise RequestTooLarge("Request Entity Too Large")
        return bytes(stream.read(length)) if length > 0 else b""
    if environ.get("wsgi.input_terminated"):  # chunked: read to the end, at most limit + 1
        data = bytes(stream.read() if limit is None else stream.read(limit + 1))
        if limit is not None and len(data) > limit:
            raise RequestTooLarge("Request Entity Too Large")
        return data
    return b""


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


# ---- other services, through moto -----------------------------------------------------------


class ServiceNotServed(CleanRoomsError):
    """A request signed for a service moto cannot answer here."""

    code = "ServiceNotServed"
    status = 501


def _through_moto(
    method: str, url: str, scope: Scope, headers: Mapping[str, str], environ: Environ
) -> Response:
    """Serve a request for another AWS service with moto, as if it had reached AWS's endpoint,
    and as the caller Clean Rooms would act as (:func:`.mock.forward_to_moto`)."""
    # moto answers a URL none of its services claims with a bare 404 "Not yet implemented".
    if moto_url(url, scope.service, scope.region) is None:
        service, path = scope.service, urlsplit(url).path
        raise ServiceNotServed(
            f"cleanrooms-mock serves Clean Rooms and moto's services; moto has no {service!r} "
            f"service (signed for {service!r}, {method} {path})."
        )
    forwarded = HTTPHeaders()
    for name, value in headers.items():
        forwarded[name] = value
    body = _body(environ, limit=None)
    request = AWSPreparedRequest(method, url, forwarded, body, False)
    try:
        answer = forward_to_moto(request, scope.service)
    except ImportError as error:
        raise ServiceNotServed(
            f"moto's {scope.service} needs more packages (pip install 'moto[{scope.service}]'): "
            f"{error}"
        ) from None
    if answer is None:  # moto was told to let this service through to AWS: we never do
        raise ServiceNotServed(
            f"moto passes {scope.service!r} requests through; they are not served."
        )
    status, moto_headers, moto_body = answer
    data = moto_body.encode("utf-8") if isinstance(moto_body, str) else bytes(moto_body or b"")
    out = {
        str(name): str(value)
        for name, value in dict(moto_headers).items()
        if str(name).lower() not in ("content-length", "transfer-encoding", "connection")
    }
    return Response(int(status), out, data)


# ---- administration -------------------------------------------------------------------------


def _admin(method: str, path: str, body: bytes) -> Response:
    """``/_cleanrooms_mock/{health,reset,state}``, and moto server's ``/moto-api/reset``."""
    action = "reset" if path == "/moto-api/reset" else path[len(ADMIN_PREFIX) :].strip("/")
    if (method, action) == ("GET", "health"):
        return _json(
            200,
            {
                "status": "running",
                "version": __version__,
                "implementedOperations": sorted(HANDLERS),
            },
        )
    if (method, action) == ("POST", "reset"):
        reset_everything()
        return _json(200, {"status": "reset"})
    if (method, action) == ("GET", "state"):
        return _json(200, dump_state())
    if method in ("POST", "PUT") and action == "state":
        try:
            document = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return _admin_error("SerializationException", "The state document is not valid JSON.")
        if not isinstance(document, dict):
            return _admin_error("SeedError", "The state document must be a JSON object.")
        try:
            loaded = replace_state(document) if method == "PUT" else load_state(document)
        except SeedError as error:
            problems = [str(problem) for problem in error.problems]
            return _admin_error("SeedError", str(error), problems=problems)
        return _json(200, {"status": "loaded", "collaborations": len(loaded)})
    raise UnknownOperation(
        f"No cleanrooms-mock administration endpoint {method} {path}: use"
        f" GET {ADMIN_PREFIX}/health, POST {ADMIN_PREFIX}/reset, GET {ADMIN_PREFIX}/state,"
        f" POST (add) or PUT (replace) {ADMIN_PREFIX}/state."
    )


def reset_everything() -> None:
    """Forget the Clean Rooms state and every moto backend (STS credentials included)."""
    from moto.core.base_backend import BackendDict

    reset_state()
    BackendDict.reset()


def _admin_error(kind: str, message: str, **details: Any) -> Response:
    response = _json(400, {"__type": kind, "message": message, **details})
    response.headers["x-amzn-ErrorType"] = kind
    return response


def _json(status: int, document: Any) -> Response:
    body = json.dumps(document).encode("utf-8")
    return Response(status, {"Content-Type": "application/json"}, body)


# ---- the server -----------------------------------------------------------------------------


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's handler, quiet unless asked: a test run should not print a line per call."""

    verbose = False

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.verbose:
            super().log_request(code, size)

    def log_error(self, format: str, *args: Any) -> None:
        if self.verbose:
            super().log_error(format, *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """An unreadable request (bad request line, headers): JSON like every other answer."""
        self.log_error("code %d, message %s", code, message)
        if self.request_version == "HTTP/0.9":  # not HTTP at all: answer with a status line
            self.request_version = "HTTP/1.0"
        body = json.dumps({"message": message or _phrase(code)}).encode("utf-8")
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-amzn-ErrorType", "BadRequestException")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)


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
        raise OSError(error.errno, f"cannot listen on {host}:{port}: {error.strerror}") from None
    return listening


class CleanRoomsServer:
    """cleanrooms-mock on a socket, in a background thread: ``start()``, ``url``, ``stop()``.

    The mock is active for the server's lifetime. With ``state``, the file is loaded at start
    (when it exists) and written atomically at stop, so a crash never leaves half a file.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        state: str | os.PathLike[str] | None = None,
        verbose: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.state = Path(state) if state is not None else None
        self.verbose = verbose
        self._mock = CleanRoomsMock()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Bind, load the state file, and serve in a daemon thread (``port=0``: any free port)."""
        handler = type("RequestHandler", (_RequestHandler,), {"verbose": self.verbose})
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
