"""Who calls: the one place that names the calling account and region of a request.

Every service the mock serves uses it: Clean Rooms (the dispatcher is given :func:`caller`:
:mod:`.integration.service`), and the requests handed to moto (STS for account switching, Glue
and S3; inside ``mock_aws`` every service), which are made to act as the same account
(:mod:`.integration.forwarding`), in-process and in server mode alike.

Order of precedence (README "Accounts and regions"): what the request itself names wins over a
process-wide default. moto orders the per-request sources the same way (``x-moto-account-id``,
then the access key: ``moto.core.responses.BaseResponse.get_current_account``) but lets
``MOTO_ACCOUNT_ID`` override them all; here it is only the default.

1. the ``x-moto-account-id`` header (``CleanRoomsMock.client(account)``, the pytest fixtures);
2. the access key the request is signed with: 12 digits is that account (LocalStack's
   convention), a key moto's IAM or STS issued (``assume_role``) is its account;
3. ``MOTO_ACCOUNT_ID``;
4. moto's default account, ``123456789012``.

Kept light (no service model, no backend): it runs for every request moto answers under the mock.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from .defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION

__all__ = [
    "ACCOUNT_HEADER",
    "AccountError",
    "Scope",
    "ambient_account",
    "caller",
    "credential_scope",
    "is_account_id",
    "named_account",
    "signing_scope",
]

#: moto's header naming the calling account (moto/core/responses.py, ``get_current_account``).
ACCOUNT_HEADER = "x-moto-account-id"

# SigV4's credential scope: access key / date / region / service / aws4_request.
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
#: An AWS account ID: exactly 12 ASCII digits (the model's AccountId shape: length 12, digits;
#: Python's \d would also take other scripts' digits).
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
#: The region in the host name of a Clean Rooms endpoint of AWS (not of any endpoint_url).
_HOST_REGION = re.compile(r"^cleanrooms(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com|api\.aws)")


class AccountError(ValueError):
    """The account a request names is not an AWS account ID: the request must be refused."""


def is_account_id(text: str) -> bool:
    """Whether ``text`` is an AWS account ID: exactly 12 ASCII digits."""
    return _ACCOUNT_ID.fullmatch(text) is not None


def _checked(account: str, source: str) -> str:
    if _ACCOUNT_ID.fullmatch(account) is None:
        raise AccountError(
            f"{source} must be a 12-digit AWS account ID, like '{DEFAULT_ACCOUNT_ID}', "
            f"not '{account}'."
        )
    return account


class Scope(NamedTuple):
    """The SigV4 credential scope a request is signed with."""

    access_key: str
    region: str
    service: str


def credential_scope(authorization: str) -> tuple[str, str, str] | None:
    """(access key, region, service) of a SigV4 Authorization header; None when unsigned."""
    match = _CREDENTIAL.search(authorization)
    return (match.group(1), match.group(2), match.group(3)) if match else None


def signing_scope(authorization: str, url: str) -> Scope | None:
    """The scope a request is signed for: its SigV4 ``Authorization`` header, else a presigned
    URL's ``X-Amz-Credential``; None when the request is unsigned.

    Source: "Elements of an AWS API request signature" (AWS IAM user guide), the credential scope.
    """
    scope = credential_scope(authorization)
    if scope is not None:
        return Scope(*scope)
    query = urlsplit(url).query
    if "X-Amz-Credential" not in query:
        return None
    for credential in parse_qs(query).get("X-Amz-Credential", []):
        parts = credential.split("/")
        if len(parts) == 5 and parts[4] == "aws4_request":
            return Scope(parts[0], parts[2], parts[3])
    return None


def ambient_account() -> str:
    """The process-wide default account: ``MOTO_ACCOUNT_ID``, else moto's ``123456789012``."""
    return os.environ.get("MOTO_ACCOUNT_ID") or DEFAULT_ACCOUNT_ID


def named_account(account_header: str | None, scope: Scope | None) -> str | None:
    """The account a request itself names (steps 1 and 2 above): its ``x-moto-account-id``
    header's value, else the account of the access key in its signing scope; None if neither."""
    if account_header:
        return account_header
    if scope is None:
        return None
    if _ACCOUNT_ID.fullmatch(scope.access_key):
        return scope.access_key
    return _issued_by_moto(scope.access_key)


def caller(headers: Mapping[str, str], url: str) -> tuple[str, str]:
    """The calling (account, region) of a request whose header names are lower-cased.

    Account: the order of precedence above. Region: the one the request is signed for, else
    the one in the host name of an AWS Clean Rooms endpoint, else ``us-east-1``. Raises
    AccountError when the source that names the account (the ``x-moto-account-id`` header, the
    account moto issued the access key for, ``MOTO_ACCOUNT_ID``) names no 12-digit account ID.
    """
    signed = _CREDENTIAL.search(headers.get("authorization", ""))
    scope = Scope(*signed.groups()) if signed is not None else signing_scope("", url)
    if scope is not None:
        region = scope.region
    else:
        host = _HOST_REGION.match(urlsplit(url).hostname or "")
        region = host.group(1) if host else DEFAULT_REGION
    named = headers.get(ACCOUNT_HEADER)
    if named:
        return _checked(named, f"The {ACCOUNT_HEADER} header"), region
    if scope is not None:
        if _ACCOUNT_ID.fullmatch(scope.access_key):  # 12 digits: that account, checked
            return scope.access_key, region
        by_key = _issued_by_moto(scope.access_key)
        if by_key:  # moto's STS may have issued a key for any account moto was told of
            return _checked(by_key, "The account of the access key"), region
    ambient = os.environ.get("MOTO_ACCOUNT_ID")
    if ambient:
        return _checked(ambient, "MOTO_ACCOUNT_ID"), region
    return DEFAULT_ACCOUNT_ID, region


def _issued_by_moto(access_key: str) -> str | None:
    """The account of an access key moto's IAM issued (STS ``assume_role`` keys included)."""
    iam = sys.modules.get("moto.iam.models")
    if iam is None:  # only moto's IAM/STS can have issued keys; never import it just to look
        return None
    # list(): other threads may add accounts meanwhile (as moto's get_account_id_from does).
    for account_id, account in list(iam.iam_backends.items()):
        for backend in list(account.values()):
            if access_key in backend.access_keys:
                return str(account_id)
    return None
