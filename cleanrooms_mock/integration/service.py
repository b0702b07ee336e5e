"""Clean Rooms, served: the protocol's dispatcher bound to the domain's backends and faults.

Every request, from the botocore hook, moto's stubber or the HTTP server, goes through
:func:`handle`, acting as the caller :mod:`..accounts` names (as every service the mock answers
does). The operations served are the public methods of the domain's ops mixins
(:func:`..domain.backend.operation_methods`); :func:`implemented_operations` lists them by their
model names, for the health endpoint and the README.
"""

from __future__ import annotations

from ..accounts import caller
from ..domain.backend import CleanRoomsBackend, backend, operation_methods
from ..faults import faults
from ..protocol.dispatch import Dispatcher
from ..protocol.errors import UnsupportedRegion

__all__ = ["dispatcher", "handle", "implemented_operations"]


def backend_for(account: str, region: str) -> CleanRoomsBackend:
    """The backend of ``account`` in ``region``; UnsupportedRegion where Clean Rooms is not."""
    found = backend(account, region)
    if found is None:
        raise UnsupportedRegion(region)
    return found


dispatcher = Dispatcher(operation_methods(), backend_for, caller, faults.check)
#: ``handle(method, url, headers, body, *, lowered=False) -> Response``: serve one request.
handle = dispatcher.handle


def implemented_operations() -> list[str]:
    """The model names of the operations the mock implements, sorted."""
    return sorted(dispatcher.operations)
