"""Where a request goes and who sends it: method + path -> operation, from each operation's
``requestUri`` in the model; headers -> the calling account and region, as moto finds them."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from ..defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from .errors import UnknownOperation
from .model import Operation, operation, service_model

__all__ = ["caller", "credential_scope", "find_operation"]

# SigV4's credential scope: access key / date / region / service / aws4_request.
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
_ACCOUNT_KEY = re.compile(r"\d{12}")
_HOST_REGION = re.compile(r"^cleanrooms(?:-fips)?\.([a-z0-9-]+)\.")


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    operation_name: str


def _compile_route(request_uri: str) -> tuple[re.Pattern[str], tuple[int, ...]]:
    path = request_uri.split("?", 1)[0]
    regex = ["^"]
    rank: list[int] = []
    for segment in path.strip("/").split("/"):
        regex.append("/")
        label = re.fullmatch(r"\{(\w+)(\+?)\}", segment)
        if label is None:
            regex.append(re.escape(segment))
            rank.append(0)
        elif label.group(2):
            regex.append(f"(?P<{label.group(1)}>.+)")
            rank.append(2)
        else:
            regex.append(f"(?P<{label.group(1)}>[^/]+)")
            rank.append(1)
    regex.append("/?$")
    return re.compile("".join(regex)), tuple(rank)


@lru_cache(maxsize=1)
def _routes() -> dict[str, list[_Route]]:
    model = service_model()
    ranked: dict[str, list[tuple[tuple[int, ...], _Route]]] = {}
    for name in model.operation_names:
        http = model.operation_model(name).http
        pattern, rank = _compile_route(http["requestUri"])
        ranked.setdefault(http["method"], []).append((rank, _Route(pattern, name)))
    # A literal segment beats a label at the same position (e.g. /a/b before /a/{x}).
    return {
        method: [route for _, route in sorted(entries, key=lambda e: e[0])]
        for method, entries in ranked.items()
    }


def find_operation(method: str, path: str) -> tuple[Operation, dict[str, str]]:
    """The operation serving ``method path`` and its (still percent-encoded) path labels."""
    for route in _routes().get(method.upper(), ()):
        match = route.pattern.match(path)
        if match is not None:
            return operation(route.operation_name), match.groupdict()
    raise UnknownOperation(f"No Clean Rooms operation matches {method.upper()} {path}.")


def credential_scope(authorization: str) -> tuple[str, str, str] | None:
    """(access key, region, service) of a SigV4 Authorization header; None when unsigned."""
    match = _CREDENTIAL.search(authorization)
    return (match.group(1), match.group(2), match.group(3)) if match else None


def caller(headers: Mapping[str, str], url: str) -> tuple[str, str]:
    """The calling (account, region), found the way moto finds them.

    Account: ``MOTO_ACCOUNT_ID``, then the ``x-moto-account-id`` header, then the access key:
    a key of 12 digits is that account (LocalStack's convention, handy with the AWS CLI), and
    credentials from STS ``assume_role`` inside moto map to the role's account. Last, moto's
    default account. Region: the SigV4 credential scope, then the endpoint's host name.
    """
    authorization = headers.get("authorization", "")
    scope = credential_scope(authorization)
    region = scope[1] if scope else None
    if region is None:
        host = _HOST_REGION.match(urlsplit(url).hostname or "")
        region = host.group(1) if host else DEFAULT_REGION
    account = os.environ.get("MOTO_ACCOUNT_ID") or headers.get("x-moto-account-id")
    if not account and scope and _ACCOUNT_KEY.fullmatch(scope[0]):
        account = scope[0]
    if not account:
        account = DEFAULT_ACCOUNT_ID
        iam = sys.modules.get("moto.iam.models")
        # Only moto's IAM/STS can have issued non-default keys; never import it just to look.
        if scope and iam is not None:
            account = iam.get_account_id_from(scope[0])
    return account, region
