"""The WSGI application of the server: Clean Rooms, other services through moto, administration.

Requests are read off the socket and served by the same :func:`..integration.service.handle` as
in-process calls, so routing, validation, errors and accounts behave identically. Requests
signed for another service (STS, for account switching, or any service moto mocks) go to moto's
own request dispatcher with the URL that service would have on AWS, acting as the same caller
(:mod:`..integration.forwarding`). Administration endpoints live under ``/_cleanrooms_mock``
(:mod:`.admin`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, HTTPHeaders

from ..accounts import ACCOUNT_HEADER, AccountError, Scope, caller, signing_scope
from ..integration.forwarding import forward_to_moto, moto_url
from ..integration.service import handle
from ..protocol.errors import (
    CleanRoomsError,
    InternalServerError,
    RequestTooLarge,
    SerializationError,
)
from ..protocol.model import SERVICE_NAME, Response, serialize_error
from ..protocol.parsing import MAX_REQUEST_BYTES
from ..protocol.routing import find_operation
from .admin import admin, is_admin

__all__ = [
    "CALL_LOGGED",
    "SETTINGS",
    "BadRequest",
    "ServerSettings",
    "application",
    "calls_log",
    "content_length",
    "phrase",
    "server_error",
]

log = logging.getLogger(__package__)
#: ``--verbose``: one line per Clean Rooms call (operation, account, region, status, error).
calls_log = logging.getLogger(f"{__package__}.calls")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]

#: Where the request handler puts the server's settings, and where a logged call is noted.
SETTINGS = "cleanrooms_mock.settings"
CALL_LOGGED = "cleanrooms_mock.call_logged"


@dataclass(frozen=True)
class ServerSettings:
    """What a server was started with; its request handler hands them to :func:`application`."""

    #: Log one line per Clean Rooms call (``serve --verbose``).
    verbose: bool = False
    #: The quotas set at start (``serve --quota``): a reset returns to them.
    quotas: Mapping[str, int] = field(default_factory=dict)
    #: The options set at start (``serve --no-verify-glue-tables``): a reset returns to them.
    options: Mapping[str, bool] = field(default_factory=dict)


_NO_SETTINGS = ServerSettings()


def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    """Serve one HTTP request; whatever happens, the client gets an AWS-shaped answer."""
    try:
        response = _dispatch(environ)
    except CleanRoomsError as error:
        response = serialize_error(error)
    except Exception as error:  # a bug of ours: say so, keep serving
        response = server_error(error, environ.get("REQUEST_URI"))
    headers, given = [], None
    for name, value in response.headers.items():
        if name.lower() == "content-length":
            given = value  # moto's, the representation's length: kept for HEAD and 304 only
        else:
            headers.append((name, value))
    length = content_length(environ["REQUEST_METHOD"], response.status, given, response.body)
    if length is not None:
        headers.append(("Content-Length", length))
    start_response(f"{response.status} {phrase(response.status)}", headers)
    return [response.body]


def sends_no_body(method: str, status: int) -> bool:
    """Whether an answer has no body by protocol, whatever its headers say (RFC 9110 §6.3):
    an answer to HEAD, 1xx, 204 No Content, 304 Not Modified."""
    return method.upper() == "HEAD" or status < 200 or status in (204, 304)


def content_length(method: str, status: int, given: str | None, body: bytes) -> str | None:
    """The Content-Length of an answer (RFC 9110 §8.6), or None when it carries none.

    Takes the request's method, the answer's status, the Content-Length its maker gave (moto's)
    and its body. 1xx and 204 carry none. An answer to HEAD, and a 304, carry the length of the
    representation a GET would send (S3 HeadObject's ``Content-Length`` is the object's size), so
    the given one when there is one: their body is never sent; a HEAD without one gets the length
    of its body (what a GET would send), a 304 none. Anything else: its body's length.
    """
    if status < 200 or status == 204:
        return None
    if sends_no_body(method, status) and given is not None and given.strip().isdigit():
        return given.strip()
    if status == 304:
        return None
    return str(len(body))


def server_error(error: Exception, target: object) -> Response:
    """A bug of ours, logged, as the InternalServerException the client gets."""
    log.exception("cleanrooms-mock server failed on %s", target)
    return serialize_error(InternalServerError(f"cleanrooms-mock server error: {error!r}"))


def _dispatch(environ: Environ) -> Response:
    method = environ["REQUEST_METHOD"].upper()
    target = environ.get("REQUEST_URI") or environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
    parts = urlsplit(target)
    path = parts.path or "/"
    headers = _headers(environ)
    settings: ServerSettings = environ.get(SETTINGS, _NO_SETTINGS)
    if is_admin(path):
        return admin(method, path, _body(environ, limit=None), settings.quotas, settings.options)
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
    try:
        account, region = caller(headers, url)
    except AccountError:  # refused (AccessDeniedException): log what the request named
        account, region = headers.get(ACCOUNT_HEADER, "-"), "-"
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
    environ[CALL_LOGGED] = True


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
            raise SerializationError(f"Invalid Content-Length '{length_text}'.") from None
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


def phrase(status: int) -> str:
    """The reason phrase of an HTTP status."""
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
    and as the caller Clean Rooms would act as (:func:`..integration.forwarding.forward_to_moto`).
    """
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
    # A body that is sent is framed by its own length; an answer that sends none (HEAD, 304)
    # keeps moto's Content-Length, the representation's (S3 HeadObject: the object's size).
    dropped = {"transfer-encoding", "connection"}
    if not sends_no_body(method, int(status)):
        dropped.add("content-length")
    out = {
        str(name): str(value)
        for name, value in dict(moto_headers).items()
        if str(name).lower() not in dropped
    }
    return Response(int(status), out, data)
