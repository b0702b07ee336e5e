"""HTTP translation: request -> operation -> backend -> response, with one thin handler each.

A handler picks the caller's backend, calls one backend method and names the result after the
operation's output members. Routing, parsing, validation and serialisation come from the model
(:mod:`.service`); rules live in the backend (:mod:`.models`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .accounts import caller, credential_scope
from .defaults import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from .exceptions import CleanRoomsError, InternalServerError
from .faults import faults
from .models import CleanRoomsBackend, cleanrooms_backends
from .service import (
    MAX_REQUEST_BYTES,
    NotImplementedOperation,
    RequestTooLarge,
    Response,
    UnsupportedRegion,
    find_operation,
    serialize_error,
)

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "HANDLERS",
    "caller",
    "credential_scope",
    "handle",
]

log = logging.getLogger(__name__)


Handler = Callable[[CleanRoomsBackend, dict[str, Any]], Mapping[str, Any] | None]
HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the function serving the model's operation ``name``."""

    def register(function: Handler) -> Handler:
        HANDLERS[name] = function
        return function

    return register


def handle(
    method: str, url: str, headers: Mapping[str, str], body: bytes, *, lowered: bool = False
) -> Response:
    """Serve one Clean Rooms request; every failure becomes the error AWS would send.

    Header names may come in any case; a caller that lower-cased them says so (``lowered``).
    """
    if len(body) > MAX_REQUEST_BYTES:
        return serialize_error(RequestTooLarge("Request Entity Too Large"))
    parts = urlsplit(url)
    if not lowered:
        headers = {k.lower(): v for k, v in headers.items()}
    try:
        operation, path_params = find_operation(method, parts.path)
    except CleanRoomsError as error:
        return serialize_error(error)
    try:
        faults.check(operation.name, operation.declared_errors)
        params = operation.parse(path_params, parts.query, headers, body)
        operation.validate(params)
        serve = HANDLERS.get(operation.name)
        if serve is None:
            raise NotImplementedOperation(operation.name)
        account, region = caller(headers, url)
        regions = cleanrooms_backends[account]
        if region not in regions:
            raise UnsupportedRegion(region)
        backend: CleanRoomsBackend = regions[region]
        return operation.serialize(serve(backend, params))
    except CleanRoomsError as error:
        return serialize_error(error)
    except Exception as error:  # a bug of ours (e.g. OutputShapeError): say so, like AWS would
        log.exception("cleanrooms-mock failed to serve %s", operation.name)
        return serialize_error(
            InternalServerError(f"cleanrooms-mock internal error in {operation.name}: {error!r}")
        )


# ---- collaborations ---------------------------------------------------------------------


@handler("CreateCollaboration")
def create_collaboration(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    collaboration = backend.create_collaboration(params)
    return {"collaboration": collaboration.describe(backend.account_id)}


@handler("GetCollaboration")
def get_collaboration(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    collaboration = backend.get_collaboration(params["collaborationIdentifier"])
    return {"collaboration": collaboration.describe(backend.account_id)}


@handler("ListCollaborations")
def list_collaborations(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    page, token = backend.list_collaborations(
        params.get("memberStatus"), params.get("maxResults"), params.get("nextToken")
    )
    return {
        "collaborationList": [c.describe(backend.account_id) for c in page],
        "nextToken": token,
    }


@handler("UpdateCollaboration")
def update_collaboration(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    collaboration = backend.update_collaboration(params)
    return {"collaboration": collaboration.describe(backend.account_id)}


@handler("DeleteCollaboration")
def delete_collaboration(backend: CleanRoomsBackend, params: dict[str, Any]) -> None:
    backend.delete_collaboration(params["collaborationIdentifier"])


# ---- members ----------------------------------------------------------------------------


@handler("ListMembers")
def list_members(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    page, token = backend.list_members(
        params["collaborationIdentifier"], params.get("maxResults"), params.get("nextToken")
    )
    return {"memberSummaries": [m.summary() for m in page], "nextToken": token}


@handler("DeleteMember")
def delete_member(backend: CleanRoomsBackend, params: dict[str, Any]) -> None:
    backend.delete_member(params["collaborationIdentifier"], params["accountId"])


# ---- memberships ------------------------------------------------------------------------


@handler("CreateMembership")
def create_membership(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {"membership": backend.create_membership(params).describe()}


@handler("GetMembership")
def get_membership(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {"membership": backend.get_membership(params["membershipIdentifier"]).describe()}


@handler("ListMemberships")
def list_memberships(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    page, token = backend.list_memberships(
        params.get("status"), params.get("maxResults"), params.get("nextToken")
    )
    return {"membershipSummaries": [m.describe() for m in page], "nextToken": token}


@handler("UpdateMembership")
def update_membership(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {"membership": backend.update_membership(params).describe()}


@handler("DeleteMembership")
def delete_membership(backend: CleanRoomsBackend, params: dict[str, Any]) -> None:
    backend.delete_membership(params["membershipIdentifier"])


# ---- tags -------------------------------------------------------------------------------


@handler("ListTagsForResource")
def list_tags_for_resource(backend: CleanRoomsBackend, params: dict[str, Any]) -> dict[str, Any]:
    return {"tags": backend.list_tags_for_resource(params["resourceArn"])}


@handler("TagResource")
def tag_resource(backend: CleanRoomsBackend, params: dict[str, Any]) -> None:
    backend.tag_resource(params["resourceArn"], params["tags"])


@handler("UntagResource")
def untag_resource(backend: CleanRoomsBackend, params: dict[str, Any]) -> None:
    backend.untag_resource(params["resourceArn"], params["tagKeys"])
