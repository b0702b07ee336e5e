"""Connections of the server: persistent (HTTP/1.1 keep-alive), every answer framed exactly.

werkzeug parses the requests; :class:`RequestHandler` serves each through the WSGI
application (:mod:`.app`) and keeps the connection whenever a request was framed and read
exactly.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable
from typing import Any

from werkzeug.serving import WSGIRequestHandler

from .app import (
    CALL_LOGGED,
    SETTINGS,
    ServerSettings,
    content_length,
    phrase,
    sends_no_body,
    server_error,
)

__all__ = ["RequestHandler"]

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


class RequestHandler(WSGIRequestHandler):
    """werkzeug's request parsing with persistent connections, quiet unless asked.

    werkzeug's own ``run_wsgi`` closes every connection after one answer; this one keeps it
    (HTTP/1.1) whenever the request was framed and read exactly, so a client pays one TCP
    connection, not one per call. Every answer carries its Content-Length and leaves in one
    write. Unreadable requests are answered 400 and their connection closed.
    """

    protocol_version = "HTTP/1.1"
    wbufsize = -1  # buffered: an answer's head and body leave in one write, at the flush
    settings = ServerSettings()
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
        environ[SETTINGS] = self.settings
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
            failure = server_error(error, self.path)
            data, headers = failure.body, list(failure.headers.items())
            status = f"{failure.status} {phrase(failure.status)}"
            body.complete = False
        code, _, reason = status.partition(" ")
        self.log_request(int(code))
        self.send_response_only(int(code), reason)
        # Server and Date once: the application's (moto sends its own) else http.server's.
        present = {name.lower() for name, _ in headers}
        if "server" not in present:
            self.send_header("Server", self.version_string())
        if "date" not in present:
            self.send_header("Date", self.date_time_string())
        given: str | None = None
        for name, value in headers:
            if name.lower() == "content-length":
                given = value  # the representation's, for HEAD and 304
            elif name.lower() not in ("connection", "transfer-encoding"):
                self.send_header(name, value)
        bodiless = sends_no_body(self.command, int(code))
        length = content_length(self.command, int(code), given, data)
        if length is not None:
            self.send_header("Content-Length", length)
        if self.close_connection or not body.complete:
            self.send_header("Connection", "close")  # and http.server closes it after this
        self.end_headers()
        if not bodiless:
            self.wfile.write(data)
        self.wfile.flush()
        if not body.complete:
            self.connection.settimeout(_DISCARD_SECONDS)
            body.discard()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """werkzeug's access log line, for requests that are not Clean Rooms calls."""
        if self.settings.verbose and not self.environ.get(CALL_LOGGED):
            super().log_request(code, size)

    def log_error(self, format: str, *args: Any) -> None:
        if self.settings.verbose:
            super().log_error(format, *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """An unreadable request (bad request line, headers): JSON like every other answer."""
        self.log_error("code %d, message %s", code, message)
        if self.request_version == "HTTP/0.9":  # not HTTP at all: answer with a status line
            self.request_version = "HTTP/1.0"
        body = json.dumps({"message": message or phrase(code)}).encode("utf-8")
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-amzn-ErrorType", "BadRequestException")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)
        self.wfile.flush()
