"""The botocore ``before-send`` hook that answers Clean Rooms calls under ``mock_cleanrooms``.

Clean Rooms itself is served by :func:`.service.handle`; STS goes through moto so that
``assume_role`` can switch accounts; any other AWS call is refused, never sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.handlers import BUILTIN_HANDLERS
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber

from .. import _activation

if TYPE_CHECKING:
    from ..protocol.model import Response

__all__ = ["NotMockedError", "install_hook", "serve"]

#: Services ``mock_cleanrooms`` serves through moto besides Clean Rooms: STS, so that
#: ``assume_role`` credentials can act as another account.
_SERVED_THROUGH_MOTO = frozenset({"sts"})
_HOOK_ID = "cleanrooms-mock-before-send"


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


def _headers(request: Any) -> dict[str, str]:
    """The request's headers, names lower-cased as handle() wants them, values as text."""
    headers = request.headers
    # botocore's HeadersDict keeps its entries in ``_dict`` under keys that carry their
    # lower-cased name; reading it directly is several times faster than items(), which
    # rebuilds a key object per header (a sixth of the mock's time per call, by profile).
    store = getattr(headers, "_dict", None)
    if isinstance(store, dict):
        pairs = ((getattr(key, "_lower", None) or str(key).lower(), v) for key, v in store.items())
    else:
        pairs = ((str(key).lower(), v) for key, v in headers.items())
    return {key: (v.decode("utf-8") if isinstance(v, bytes) else str(v)) for key, v in pairs}


def serve(request: Any) -> Response:
    """Serve a botocore request to Clean Rooms (the service is imported on first use)."""
    from .service import handle

    return handle(
        request.method, request.url, _headers(request), _body_bytes(request.body), lowered=True
    )


def _aws_response(url: str, response: Response) -> AWSResponse:
    return AWSResponse(url, response.status, response.headers, MockRawResponse(response.body))


def _before_send(event_name: str, request: Any, **kwargs: Any) -> AWSResponse | None:
    if not _activation.active() or botocore_stubber.enabled:
        return None  # inactive, or inside mock_aws where moto's stubber answers every call
    service = event_name.split(".")[1] if event_name.count(".") >= 1 else ""
    if service == "cleanrooms":
        return _aws_response(request.url, serve(request))
    if service in _SERVED_THROUGH_MOTO:
        answer = botocore_stubber.process_request(request)
        if answer is not None:
            status, headers, body = answer
            return AWSResponse(request.url, status, headers, MockRawResponse(body))
    raise NotMockedError(
        f"mock_cleanrooms serves Clean Rooms (and STS for account switching), not "
        f"{service or 'this service'}: the request to {request.url} was not sent. "
        "Wrap the code in moto's mock_aws() as well to mock other AWS services."
    )


def install_hook() -> None:
    """Register our hook for new botocore sessions (and boto3's default one); idempotent."""
    if ("before-send", _before_send) not in BUILTIN_HANDLERS:
        BUILTIN_HANDLERS.append(("before-send", _before_send))
        # boto3's default session, if one was made before this import, lacks the hook.
        session = boto3.DEFAULT_SESSION
        if session is not None:
            session.events.register("before-send", _before_send, unique_id=_HOOK_ID)
