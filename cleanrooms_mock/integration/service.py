"""Clean Rooms, served: the protocol's dispatcher bound to the domain's backends and faults.

Every request, from the botocore hook, moto's stubber or the HTTP server, goes through
:func:`handle`, acting as the caller :mod:`..accounts` names (as every service the mock answers
does). The operations served are the public methods of the domain's ops mixins
(:func:`..domain.backend.operation_methods`); :func:`implemented_operations` lists them by their
model names, for the health endpoint and the README.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..accounts import AccountError, caller, is_account_id
from ..domain.backend import CleanRoomsBackend, backend, operation_methods
from ..domain.errors import AccessDenied
from ..faults import faults
from ..protocol.dispatch import Dispatcher
from ..protocol.errors import UnsupportedRegion

__all__ = ["dispatcher", "handle", "implemented_operations"]


def backend_for(account: str, region: str) -> CleanRoomsBackend:
    """The backend of ``account`` in ``region``; UnsupportedRegion where Clean Rooms is not.

    An account that is not 12 ASCII digits (the model's AccountId), as another API acting on
    Clean Rooms may name (moto's Resource Groups Tagging API takes ``x-moto-account-id`` as
    is), is AccessDeniedException, before any state is made for it.
    """
    if not is_account_id(account):
        raise AccessDenied(
            f"The calling account must be a 12-digit AWS account ID, not '{account}'."
        )
    found = backend(account, region)
    if found is None:
        raise UnsupportedRegion(region)
    return found


def checked_caller(headers: Mapping[str, str], url: str) -> tuple[str, str]:
    """:func:`..accounts.caller`; an account source that names no account ID (a malformed
    ``x-moto-account-id`` header or ``MOTO_ACCOUNT_ID``) is AccessDeniedException, HTTP 403:
    AWS's answer to a caller it cannot authorise (Clean Rooms API reference, Common Errors)."""
    try:
        return caller(headers, url)
    except AccountError as error:
        raise AccessDenied(str(error)) from None


dispatcher = Dispatcher(operation_methods(), backend_for, checked_caller, faults.check)
#: ``handle(method, url, headers, body, *, lowered=False) -> Response``: serve one request.
handle = dispatcher.handle


def implemented_operations() -> list[str]:
    """The model names of the operations the mock implements, sorted."""
    return sorted(dispatcher.operations)
