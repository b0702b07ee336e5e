"""Handing a request to moto: on a URL moto knows, acting as the caller Clean Rooms acts as.

A request goes to the service it is signed for (or its client's service), never by its URL, so a
client with any ``endpoint_url`` is served: a request handed to moto is rebuilt on that service's
AWS host when moto does not know its URL (:func:`moto_url`), and moto acts as the account
:mod:`..accounts` names, the one Clean Rooms acts as (:func:`moto_acts_as`, read by the patch of
moto's ``get_current_account`` in :mod:`.moto_patches`). Used by the botocore hook, the moto
stubber patch and the HTTP server alike.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, HeadersDict
from moto.core.models import botocore_stubber

from ..accounts import ACCOUNT_HEADER, named_account, signing_scope
from ..defaults import DEFAULT_REGION

__all__ = [
    "MotoAnswer",
    "forward_to_moto",
    "header",
    "moto_account",
    "moto_url",
    "virtual_host_bucket",
]

#: What moto's stubber answers: (status, headers, body).
MotoAnswer = tuple[int, Mapping[str, str], str | bytes]

#: The account moto acts as for the request being handed to it (see moto_acts_as).
_MOTO_ACCOUNT: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "cleanrooms_mock_moto_account", default=None
)

#: moto's own ``process_request``, before our patches wrap it (set by moto_patches).
moto_process_request: Callable[[Any], MotoAnswer | None] = botocore_stubber.process_request


def header(request: Any, name: str) -> str:
    """One header of the request as text ("" when absent); names match in any case."""
    value = request.headers.get(name)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return "" if value is None else str(value)


def moto_url(url: str, service: str, region: str, bucket: str | None = None) -> str | None:
    """The URL moto answers for a request to ``url`` signed for ``service`` in ``region``.

    moto finds a service by its AWS host name, so a URL none of its services claims (a client's
    ``endpoint_url``, the server's own address) is rebuilt on the host the service has on AWS
    (``https://sts.us-east-1.amazonaws.com`` + path and query). ``bucket`` is the S3 bucket a
    virtual-hosted request names in its host (``http://ads.localhost:1234/key``): it stays in
    the host (``https://ads.s3.us-east-1.amazonaws.com/key``), or the request would reach
    another bucket's key (see :func:`virtual_host_bucket`). Returns ``url`` itself when moto
    knows it, None when moto has no service signed as ``service`` (services whose host is not
    their signing name may not be found).
    """
    from moto.backend_index import backend_url_patterns

    parts = urlsplit(url)
    if _moto_knows(f"{parts.scheme}://{parts.netloc}{parts.path}", backend_url_patterns):
        return url
    host = f"https://{service}.{region}.amazonaws.com"
    if not _moto_knows(f"{host}{parts.path or '/'}", backend_url_patterns):
        return None
    if bucket is not None:
        host = f"https://{bucket}.{service}.{region}.amazonaws.com"
    return f"{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def virtual_host_bucket(request: Any) -> str | None:
    """The S3 bucket ``request`` names in its host name (virtual-hosted-style addressing).

    A client with its own ``endpoint_url`` and ``s3={"addressing_style": "virtual"}`` sends
    ``http://<bucket>.<endpoint host>/<key>``; only the request's context (botocore's, which
    the prepared request keeps) says which part of the host is the bucket. None for path-style
    requests, requests without a bucket and requests without that context (the server's, whose
    clients address it by IP address and so path-style).
    """
    context = getattr(request, "context", None)
    redirect = context.get("s3_redirect") if isinstance(context, dict) else None
    bucket = redirect.get("bucket") if isinstance(redirect, dict) else None
    if not isinstance(bucket, str) or not bucket:
        return None
    host = urlsplit(request.url).hostname or ""
    return bucket if host.startswith(f"{bucket.lower()}.") else None


def _moto_knows(url: str, patterns: list[tuple[str, re.Pattern[str]]]) -> bool:
    return any(pattern.match(url) for _, pattern in patterns)


def forward_to_moto(request: Any, service: str | None) -> MotoAnswer | None:
    """moto's answer to ``request``, acting as the caller Clean Rooms would act as; None when
    moto lets the request through (as moto's stubber does).

    ``service`` is the client's service, for a request that is not signed (a signed one goes to
    the service its signature names).
    The URL is rebuilt with :func:`moto_url` unless moto knows it or is configured to pass it
    through (``mock_aws(config={"core": {"passthrough": ...}})``).
    """
    from moto.core.config import passthrough_url

    scope = signing_scope(header(request, "authorization"), request.url)
    service = scope.service if scope is not None else service
    if service is not None:
        parts = urlsplit(request.url)
        if not passthrough_url(f"{parts.scheme}://{parts.netloc}{parts.path}"):
            region = scope.region if scope else DEFAULT_REGION
            url = moto_url(request.url, service, region, virtual_host_bucket(request))
            if url is not None and url != request.url:
                request = _with_url(request, url)
    with moto_acts_as(named_account(header(request, ACCOUNT_HEADER), scope)):
        return moto_process_request(request)


def _with_url(request: Any, url: str) -> AWSPreparedRequest:
    """A copy of ``request`` sent to ``url`` (the Host header, if any, follows)."""
    host = urlsplit(url).netloc
    headers = HeadersDict()
    for name, value in request.headers.items():
        headers[name] = host if str(name).lower() == "host" else value
    return AWSPreparedRequest(request.method, url, headers, request.body, request.stream_output)


@contextmanager
def moto_acts_as(account: str | None) -> Iterator[None]:
    """moto acts as ``account`` for what it answers inside (None: as moto itself decides).

    moto reads ``MOTO_ACCOUNT_ID`` before the request's own ``x-moto-account-id`` header and
    access key (``BaseResponse.get_current_account``); the account the request names must win
    here, as it does for Clean Rooms, so moto is told directly (per thread and task).
    """
    token = _MOTO_ACCOUNT.set(account)
    try:
        yield
    finally:
        _MOTO_ACCOUNT.reset(token)


def moto_account() -> str | None:
    """The account moto acts as for the request being handed to it (None: moto decides)."""
    return _MOTO_ACCOUNT.get()
