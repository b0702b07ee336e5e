"""The botocore ``before-send`` hook: the first to see every request of every client.

Alone, ``mock_cleanrooms`` answers through it: Clean Rooms itself is served by
:func:`.service.handle`; STS (so that ``assume_role`` can switch accounts), AWS Glue and Amazon
S3 (the tables configured tables read) go through moto; any other AWS call is refused, never
sent. Inside ``mock_aws`` moto's stubber, after us, answers
every call; the hook answers only the Clean Rooms requests the stubber cannot tell apart:
unsigned ones to an ``endpoint_url`` of the client's own (the hook knows the client's service
from the event name, the stubber only the request).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.handlers import BUILTIN_HANDLERS
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber

from .. import _activation
from ..accounts import signing_scope
from .forwarding import forward_to_moto, header

if TYPE_CHECKING:
    from ..protocol.model import Response

__all__ = [
    "ANSWERED",
    "SERVED",
    "SERVED_THROUGH_MOTO",
    "SERVICE",
    "NotMockedError",
    "install_hook",
    "serve",
    "service_of",
]

#: Clean Rooms' signing name and endpoint prefix (botocore model metadata).
SERVICE = "cleanrooms"
#: Only for unsigned requests, which name no service: Clean Rooms' AWS endpoints.
_CLEANROOMS_URL = re.compile(
    r"^https?://cleanrooms(?:-fips)?\.[a-z0-9-]+\.(?:amazonaws\.com|api\.aws)"
)
#: Services ``mock_cleanrooms`` serves through moto besides Clean Rooms (client service names,
#: as botocore's events name them): STS, so that ``assume_role`` credentials can act as another
#: account; AWS Glue and Amazon S3, the Data Catalog tables configured tables read and the
#: objects behind them.
SERVED_THROUGH_MOTO = frozenset({"sts", "glue", "s3"})
#: What ``mock_cleanrooms`` serves alone, as NotMockedError says it.
SERVED = (
    "Clean Rooms, STS (for account switching), AWS Glue and Amazon S3 (the tables configured "
    "tables read)"
)
_HOOK_ID = "cleanrooms-mock-before-send"
#: Marks a request our before-send hook answered, so that moto's stubber does not answer it too.
ANSWERED = "_cleanrooms_mock_answered"


class NotMockedError(RuntimeError):
    """An AWS call ``mock_cleanrooms`` does not serve: raised instead of letting it leave."""


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        if hasattr(body, "seek"):
            body.seek(0)
        return data if isinstance(data, bytes) else str(data).encode("utf-8")
    return bytes(body)


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _headers(request: Any) -> dict[str, str]:
    """The request's headers, names lower-cased as handle() wants them, values as text."""
    headers = request.headers
    lowered: dict[str, str] = {}
    if type(headers) is HeadersDict:
        # Its entries, read directly: keys that carry their lower-cased name (``_lower``), values
        # mostly bytes by the time botocore sends. Several times faster than items(),
        # which rebuilds a key object per header. One pass, no generator and no call per bytes
        # value: a frame per header cost more than decoding it.
        for key, value in headers._dict.items():
            lowered[key._lower] = value.decode("utf-8") if type(value) is bytes else _text(value)
    else:
        for key, value in headers.items():
            lowered[str(key).lower()] = _text(value)
    return lowered


#: :func:`.service.handle`, once :func:`serve` first needed it.
_handle: Callable[..., Response] | None = None


def serve(request: Any) -> Response:
    """Serve a botocore request to Clean Rooms (the service is imported on first use)."""
    global _handle
    if _handle is None:
        # Once, not per call: an import statement in a function runs the import machinery
        # every time it executes, even for a module already imported.
        from .service import handle

        _handle = handle
    return _handle(
        request.method, request.url, _headers(request), _body_bytes(request.body), lowered=True
    )


def service_of(request: Any) -> str | None:
    """The service a request is signed for; an unsigned one to a Clean Rooms endpoint of AWS is
    Clean Rooms'; None for any other unsigned request."""
    scope = signing_scope(header(request, "authorization"), request.url)
    if scope is not None:
        return scope.service
    return SERVICE if _CLEANROOMS_URL.match(request.url) else None


def _aws_response(url: str, response: Response) -> AWSResponse:
    return AWSResponse(url, response.status, response.headers, MockRawResponse(response.body))


def _before_send(event_name: str, request: Any, **kwargs: Any) -> AWSResponse | None:
    moto_active = botocore_stubber.enabled
    if not moto_active and not _activation.active():
        return None
    # The client's service, from the event ("before-send.<service>.<Operation>"): it names the
    # service even for an unsigned request or a client with its own endpoint_url.
    service = event_name.split(".")[1] if event_name.count(".") >= 1 else ""
    if service == SERVICE:
        if moto_active and service_of(request) == SERVICE:
            return None  # moto's stubber, after us, gives it to us (see moto_patches)
        # botocore runs every before-send handler and takes the first answer: moto's stubber,
        # after us, must leave this request alone (see moto_patches).
        setattr(request, ANSWERED, True)
        return _aws_response(request.url, serve(request))
    if moto_active:
        return None  # inside mock_aws moto's stubber, after us, answers every other service
    if service not in SERVED_THROUGH_MOTO:
        raise NotMockedError(
            f"mock_cleanrooms serves {SERVED}; "
            f"{service or 'this service'} is not mocked, so the request to {request.url} was not "
            f"sent. To mock {service or 'it'} too, wrap the code in moto's mock_aws() as well: "
            "Clean Rooms calls stay with cleanrooms-mock inside it."
        )
    answer = forward_to_moto(request, service)
    if answer is None:
        raise NotMockedError(
            f"moto is configured to pass {service} requests through; the request to "
            f"{request.url} was not sent. Remove it from moto's passthrough configuration."
        )
    status, headers, body = answer
    return AWSResponse(request.url, status, headers, MockRawResponse(body))


def install_hook() -> None:
    """Register our hook for new botocore sessions (and boto3's default one); idempotent.

    The hook goes before moto's stubber, so inside ``mock_aws`` it still sees which client sent
    a request (an unsigned Clean Rooms call with its own ``endpoint_url`` is ours too).
    """
    if ("before-send", _before_send) not in BUILTIN_HANDLERS:
        stubber = next(
            (i for i, entry in enumerate(BUILTIN_HANDLERS) if entry[1] is botocore_stubber),
            len(BUILTIN_HANDLERS),
        )
        BUILTIN_HANDLERS.insert(stubber, ("before-send", _before_send))
        # boto3's default session, if one was made before this import, lacks the hook.
        session = boto3.DEFAULT_SESSION
        if session is not None:
            session.events.register_first("before-send", _before_send, unique_id=_HOOK_ID)
