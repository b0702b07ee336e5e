"""Server mode: the in-process mock behind an HTTP endpoint, for the AWS CLI and any SDK.

A client needs only an endpoint override (``--endpoint-url http://127.0.0.1:4566``): requests
are read off the socket and served by the same :func:`.responses.handle` as in-process calls, so
routing, validation, errors and accounts behave identically. Requests signed for another service
(STS, for account switching, or any service moto mocks) go to moto's own request dispatcher with
the URL that service would have on AWS, acting as the same caller. Administration endpoints live
under ``/_cleanrooms_mock``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeVar
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
from .accounts import Scope, caller, signing_scope
from .exceptions import CleanRoomsError, InternalServerError
from .faults import faults
from .mock import CleanRoomsMock, forward_to_moto, moto_url
from .models import DEFAULT_QUOTAS, quotas, reset_state
from .responses import HANDLERS, handle
from .seeding import SeedError, dump_state, load_state, replace_state, save_state
from .service import (
    MAX_REQUEST_BYTES,
    SERVICE_NAME,
    RequestTooLarge,
    Response,
    SerializationError,
    UnknownOperation,
    find_operation,
    serialize_error,
)
from .settings import check_port, listen_hint, state_file

__all__ = ["ADMIN_PREFIX", "DEFAULT_PORT", "CleanRoomsServer", "ServerSettings", "application"]

log = logging.getLogger(__name__)
#: ``--verbose``: one line per Clean Rooms call (operation, account, region, status, error).
calls_log = logging.getLogger(f"{__name__}.calls")

#: LocalStack's edge port, which the AWS CLI examples of most local emulators use.
DEFAULT_PORT = 4566
ADMIN_PREFIX = "/_cleanrooms_mock"

T = TypeVar("T")
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]

# ---- the WSGI application ------------------------------------------------------------------

#: Where the request handler puts the server's settings, and where a logged call is noted.
_SETTINGS = "cleanrooms_mock.settings"
_CALL_LOGGED = "cleanrooms_mock.call_logged"


@dataclass(frozen=True)
class ServerSettings:
    """What a server was started with; its request handler hands them to :func:`application`."""

    #: Log one line per Clean Rooms call (``serve --verbose``).
    verbose: bool = False
    #: The quotas set at start (``serve --quota``): a reset returns to them.
    quotas: Mapping[str, int] = field(default_factory=dict)


_NO_SETTINGS = ServerSettings()


def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    """Serve one HTTP request; whatever happens, the client gets an AWS-shaped answer."""
    try:
        response = _dispatch(environ)
    except CleanRoomsError as error:
        response = serialize_error(error)
    except Exception as error:  # a bug of ours: say so, keep serving
        response = _server_error(error, environ.get("REQUEST_URI"))
    headers = [(name, value) for name, value in response.headers.items()]
    headers.append(("Content-Length", str(len(response.body))))
    start_response(f"{response.status} {_phrase(response.status)}", headers)
    return [response.body]


def _server_error(error: Exception, target: object) -> Response:
    log.exception("cleanrooms-mock server failed on %s", target)
    return serialize_error(InternalServerError(f"cleanrooms-mock server error: {error!r}"))


def _dispatch(environ: Environ) -> Response:
    method = environ["REQUEST_METHOD"].upper()
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
    parts = urlsplit(target)
    path = parts.path or "/"
    headers = _headers(environ)
    settings: ServerSettings = environ.get(_SETTINGS, _NO_SETTINGS)
    if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/") or path == "/moto-api/reset":
        return _admin(method, path, _body(environ, limit=None), settings)
    url = f"http://{headers.get('host', 'localhost')}{target}"
    scope = signing_scope(headers.get("authorization", ""), url)
    if scope is not None and scope.service != SERVICE_NAME:
        return _through_moto(method, url, scope, headers, environ)
    try:
        body = _body(environ, limit=MAX_REQUEST_BYTES)
    except CleanRoomsError as error:
        response = serialize_error(error)
    else:
        response = handle(method, url, headers, body, lowered=True)
    if settings.verbose:
        _log_call(environ, method, url, headers, response)
    return response


def _log_call(
    environ: Environ, method: str, url: str, headers: Mapping[str, str], response: Response
) -> None:
    """The ``--verbose`` line of one Clean Rooms call, found as :func:`.handle` finds them."""
    try:
        operation = find_operation(method, urlsplit(url).path)[0].name
    except CleanRoomsError:
        operation = "-"
    account, region = caller(headers, url)
    calls_log.info(
        "%s - - [%s] %s account=%s region=%s status=%d error=%s",
        environ.get("REMOTE_ADDR", "-"),
        time.strftime("%d/%b/%Y %H:%M:%S"),
        operation,
        account,
        region,
        response.status,
        response.headers.get("x-amzn-ErrorType", "-"),
    )
    environ[_CALL_LOGGED] = True


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
        return _read(stream, length) if length > 0 else b""
    if environ.get("wsgi.input_terminated"):  # chunked: read to the end, at most limit + 1
        data = _read(stream, -1 if limit is None else limit + 1)
        if limit is not None and len(data) > limit:
            raise RequestTooLarge("Request Entity Too Large")
        return data
    return b""


def _read(stream: Any, size: int) -> bytes:
    try:
        return bytes(stream.read(size))
    except (OSError, ValueError) as error:  # broken chunked encoding, a client gone mid-body
        raise BadRequest(f"The request body could not be read: {error}") from None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class BadRequest(CleanRoomsError):
    """An HTTP request that cannot be read, answered as AWS's front end does: 400."""

    code = "BadRequestException"
    status = 400


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


class _BadAdminRequest(Exception):
    """A 400 of the administration endpoints: ``__type`` ``kind``, and the message."""

    def __init__(self, kind: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.details = details


def _admin(
    method: str, path: str, body: bytes, settings: ServerSettings = _NO_SETTINGS
) -> Response:
    """``/_cleanrooms_mock/{health,reset,state,faults,quotas}``, and moto's ``/moto-api/reset``."""
    action = "reset" if path == "/moto-api/reset" else path[len(ADMIN_PREFIX) :].strip("/")
    try:
        answer = _ADMIN_ACTIONS.get((method, action))
        if answer is None:
            raise UnknownOperation(
                f"No cleanrooms-mock administration endpoint {method} {path}: use"
                f" GET {ADMIN_PREFIX}/health, POST {ADMIN_PREFIX}/reset,"
                f" GET, POST (add) or PUT (replace) {ADMIN_PREFIX}/state,"
                f" GET, POST (add) or DELETE (clear) {ADMIN_PREFIX}/faults,"
                f" GET, POST (set) or PUT (set, the rest to defaults) {ADMIN_PREFIX}/quotas."
            )
        return _json(200, answer(body, settings))
    except _BadAdminRequest as error:
        return _admin_error(error.kind, str(error), **error.details)


def _health(body: bytes, settings: ServerSettings) -> dict[str, Any]:
    return {"status": "running", "version": __version__, "implementedOperations": sorted(HANDLERS)}


def _reset(body: bytes, settings: ServerSettings) -> dict[str, Any]:
    reset_everything(settings.quotas)
    return {"status": "reset"}


def _get_state(body: bytes, settings: ServerSettings) -> dict[str, Any]:
    return dump_state()


def _load_state(replace: bool) -> Callable[[bytes, ServerSettings], dict[str, Any]]:
    def load(body: bytes, settings: ServerSettings) -> dict[str, Any]:
        document = _json_object(body, "The state document", "SeedError")
        try:
            loaded = replace_state(document) if replace else load_state(document)
        except SeedError as error:
            problems = [str(problem) for problem in error.problems]
            raise _BadAdminRequest("SeedError", str(error), problems=problems) from None
        return {"status": "loaded", "collaborations": len(loaded)}

    return load


def _get_faults(body: bytes, settings: ServerSettings) -> dict[str, Any]:
    return {"faults": faults.describe()}


def _add_fault(body: bytes, settings: ServerSettings) -> dict[str, Any]:
    """Inject one fault: the options of :meth:`.FaultPlan.inject`, its members beside them."""
    fault = _read_document(body, "A fault", "InvalidFault", faults.inject_document)
    return {"fault": fault.describe()}


def _clear_faults(body: bytes, settings: ServerSettings) -> dict[str, Any]:
    faults.clear()
    return {"faults": []}


def _get_quotas(body: bytes, settings: ServerSettings) -> dict[str, Any]:
    """Every quota: its value now and AWS's default."""
    current = vars(quotas)
    return {
        "quotas": {
            name: {"value": current[name], "default": default}
            for name, default in DEFAULT_QUOTAS.items()
        }
    }


def _set_quotas(replace: bool) -> Callable[[bytes, ServerSettings], dict[str, Any]]:
    def set_quotas(body: bytes, settings: ServerSettings) -> dict[str, Any]:
        values = _read_document(body, "The quotas", "InvalidQuota", quotas.checked)
        if replace:
            quotas.reset()
        quotas.update(values)
        return _get_quotas(body, settings)

    return set_quotas


_ADMIN_ACTIONS: dict[tuple[str, str], Callable[[bytes, ServerSettings], dict[str, Any]]] = {
    ("GET", "health"): _health,
    ("POST", "reset"): _reset,
    ("GET", "state"): _get_state,
    ("POST", "state"): _load_state(replace=False),
    ("PUT", "state"): _load_state(replace=True),
    ("GET", "faults"): _get_faults,
    ("POST", "faults"): _add_fault,
    ("DELETE", "faults"): _clear_faults,
    ("GET", "quotas"): _get_quotas,
    ("POST", "quotas"): _set_quotas(replace=False),
    ("PUT", "quotas"): _set_quotas(replace=True),
}


def _json_object(body: bytes, what: str, kind: str) -> dict[str, Any]:
    """The body as a JSON object (an empty body is ``{}``); 400 otherwise."""
    try:
        document = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise _BadAdminRequest("SerializationException", f"{what} is not valid JSON.") from None
    if not isinstance(document, dict):
        raise _BadAdminRequest(kind, f"{what} must be a JSON object.")
    return document


def _read_document(body: bytes, what: str, kind: str, read: Callable[[dict[str, Any]], T]) -> T:
    """``read`` applied to the body's JSON object; its ValueError is a 400 of ``kind``."""
    document = _json_object(body, what, kind)
    try:
        return read(document)
    except ValueError as error:
        raise _BadAdminRequest(kind, str(error)) from None


def reset_everything(quota_values: Mapping[str, int] | None = None) -> None:
    """Forget the Clean Rooms state, every moto backend (STS credentials included) and fault;
    quotas back to their defaults, then to ``quota_values`` (the ones the server started with).
    """
    from moto.core.base_backend import BackendDict

    reset_state()
    BackendDict.reset()
    faults.clear()
    quotas.reset()
    quotas.update(quota_values or {})


def _admin_error(kind: str, message: str, **details: Any) -> Response:
    response = _json(400, {"__type": kind, "message": message, **details})
    response.headers["x-amzn-ErrorType"] = kind
    return response


def _json(status: int, document: Any) -> Response:
    body = json.dumps(document).encode("utf-8")
    return Response(status, {"Content-Type": "application/json"}, body)


# ---- the server -----------------------------------------------------------------------------


#: At most this much of a refused request body is read (and dropped) before the connection
#: closes, waiting at most _DISCARD_SECONDS for each piece.
_DISCARD_BYTES = 64 * 1024 * 1024
_DISCARD_SECONDS = 5.0


class _RequestBody:
    """The request body as the application reads it, and whether it was read to its end.

    A connection is kept for the next request only when this request's body was consumed
    exactly: the next request line starts right after it.
    """

    def __init__(self, stream: Any, length: int | None) -> None:
        self._stream = stream
        self._left = length  # None: chunked, ended by its last chunk
        self.complete = length == 0

    def read(self, size: int = -1) -> bytes:
        if self._left is None:
            data = bytes(self._stream.read(size))
            if size < 0 or len(data) < size:  # werkzeug's dechunker fills a read until the end
                self.complete = True
            return data
        wanted = self._left if size < 0 else min(size, self._left)
        data = bytes(self._stream.read(wanted)) if wanted else b""
        self._left -= len(data)
        self.complete = self._left == 0
        return data

    def discard(self, limit: int = _DISCARD_BYTES) -> None:
        """Read and drop what is left (at most ``limit`` bytes): a client still sending a body
        the answer refused (413) then reads that answer, not a reset connection."""
        with contextlib.suppress(OSError, ValueError):
            while not self.complete and limit > 0:
                data = self.read(min(limit, 1 << 20))
                if not data:
                    return
                limit -= len(data)


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's request parsing with persistent connections, quiet unless asked.

    werkzeug's own ``run_wsgi`` closes every connection after one answer; this one keeps it
    (HTTP/1.1) whenever the request was framed and read exactly, so a client pays one TCP
    connection, not one per call. Every answer carries its Content-Length and leaves in one
    write. Unreadable requests are answered 400 and their connection closed.
    """

    protocol_version = "HTTP/1.1"
    wbufsize = -1  # buffered: an answer's head and body leave in one write, at the flush
    settings = _NO_SETTINGS
    #: The server's open connections, shut down when it stops (idle ones would linger).
    connections: set[socket.socket]
    connections_lock: threading.Lock

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.connections_lock:
            self.connections.add(self.connection)

    def finish(self) -> None:
        with self.connections_lock:
            self.connections.discard(self.connection)
        super().finish()

    def handle_one_request(self) -> None:
        self.environ = {}  # a bad request line must not be logged as the previous request
        super().handle_one_request()

    def handle_expect_100(self) -> bool:
        """``Expect: 100-continue``: the interim answer leaves now, before the body is read."""
        answered = super().handle_expect_100()
        self.wfile.flush()
        return answered

    def run_wsgi(self) -> None:
        """Serve one parsed request; keep the connection if its body was read exactly."""
        length_text = self.headers.get("Content-Length")
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        if self.headers.get("Transfer-Encoding") and (not chunked or length_text is not None):
            self.send_error(400, "Transfer-Encoding is not chunked, or comes with Content-Length")
            return
        if length_text is not None and not (length_text.isascii() and length_text.isdigit()):
            self.send_error(400, f"Invalid Content-Length {length_text!r}")
            return
        self.environ = environ = self.make_environ()
        body = _RequestBody(environ["wsgi.input"], None if chunked else int(length_text or 0))
        environ["wsgi.input"] = body
        environ[_SETTINGS] = self.settings
        answer: list[Any] = []
        written: list[bytes] = []  # what the application gave write(), before its iterable

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            answer[:] = [status, headers]
            return written.append

        try:
            result = self.server.app(environ, start_response)
            try:
                data = b"".join([*written, *result])  # write()s come first, result is lazy
            finally:
                if hasattr(result, "close"):
                    result.close()
            status, headers = answer
        except Exception as error:  # application() answers everything; this is a last resort
            failure = _server_error(error, self.path)
            data, headers = failure.body, list(failure.headers.items())
            status = f"{failure.status} {_phrase(failure.status)}"
            body.complete = False
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        bodiless = int(code) < 200 or int(code) in (204, 304)  # RFC 9110: no body, no length
        if not bodiless:
            self.send_header("Content-Length", str(len(data)))
        if self.close_connection or not body.complete:
            self.send_header("Connection", "close")  # and http.server closes it after this
        self.end_headers()
        if self.command != "HEAD" and not bodiless:
            self.wfile.write(data)
        self.wfile.flush()
        if not body.complete:
            self.connection.settimeout(_DISCARD_SECONDS)
            body.discard()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """werkzeug's access log line, for requests that are not Clean Rooms calls."""
        if self.settings.verbose and not self.environ.get(_CALL_LOGGED):
            super().log_request(code, size)

    def log_error(self, format: str, *args: Any) -> None:
        if self.settings.verbose:
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
        self.wfile.flush()


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
    Settings are checked when given and the state file again at start (:mod:`.settings`): a
    bad port raises TypeError/ValueError, a state file whose folder is missing or not writable,
    or of an unknown type, ValueError, so nothing is lost at stop.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        state: str | os.PathLike[str] | None = None,
        verbose: bool = False,
        *,
        quotas: Mapping[str, int] | None = None,
    ) -> None:
        if not isinstance(host, str):
            raise TypeError(f"host must be an address like '127.0.0.1', not {host!r}")
        self.host = host
        self.port = check_port(port)
        self.state = state_file(state) if state is not None else None
        self.verbose = verbose
        self._mock = CleanRoomsMock(quotas=quotas)  # checks them: ValueError names the known
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
        settings = ServerSettings(self.verbose, dict(self._mock.quotas))
        handler = type(
            "RequestHandler",
            (_RequestHandler,),
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
