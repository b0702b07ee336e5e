"""Who may see what: every visibility decision of the service, in one module.

An operation calls one of these on its first line, so what it lets a caller reach is one
greppable line:

* :func:`visible_collaboration`: the caller created it or is invited to or active in it; for
  anything else (unknown id, deleted, never invited, left, removed) AccessDeniedException, as
  AWS answers for cross-account resources rather than revealing whether they exist;
* :func:`created_collaboration`: creator-only actions (update, delete, remove a member);
  AccessDeniedException for members;
* :func:`own_membership`: a membership exists only for its own account (ResourceNotFound);
* :func:`active_membership`: an own membership that is still ACTIVE (ConflictException);
* :func:`tagged_resource`: a resource the caller owns, by ARN (a collaboration it created, its
  own membership); ResourceNotFound for any other.
"""

from __future__ import annotations

from .collaborations.entities import ACTIVE_MEMBER_STATUSES, Collaboration
from .errors import AccessDenied, Conflict, NotFound, ValidationError
from .memberships.entities import Membership
from .store import Scope

__all__ = [
    "active_membership",
    "created_collaboration",
    "own_membership",
    "tagged_resource",
    "visible_collaboration",
]


def visible_collaboration(scope: Scope, collaboration_id: str) -> Collaboration:
    """The collaboration, if the caller created it or is invited to or active in it.

    For anything else (unknown id, deleted, never invited, left, removed) the real service
    answers AccessDeniedException rather than revealing whether the collaboration exists.
    """
    collaboration = scope.store.table(Collaboration).by_id.get(collaboration_id)
    member = collaboration.member(scope.account_id) if collaboration else None
    if collaboration is None or member is None or member.status not in ACTIVE_MEMBER_STATUSES:
        raise AccessDenied(
            f"User {scope.account_id} is not authorized to access collaboration "
            f"{collaboration_id} because it does not exist or the caller is not a member."
        )
    return collaboration


def created_collaboration(scope: Scope, collaboration_id: str, action: str) -> Collaboration:
    """A collaboration the caller created, for a creator-only ``action`` ("delete it", ...)."""
    collaboration = visible_collaboration(scope, collaboration_id)
    if collaboration.creator_account_id != scope.account_id:
        raise AccessDenied(f"Only the creator of collaboration {collaboration_id} can {action}.")
    return collaboration


def own_membership(scope: Scope, membership_id: str) -> Membership:
    """One of the caller's own memberships; any other id does not exist for it."""
    membership = scope.store.table(Membership).by_id.get(membership_id)
    if membership is None or membership.account_id != scope.account_id:
        raise NotFound("MEMBERSHIP", membership_id)
    return membership


def active_membership(scope: Scope, membership_id: str, action: str) -> Membership:
    """One of the caller's own memberships, ACTIVE, for ``action`` ("be updated", ...)."""
    membership = own_membership(scope, membership_id)
    if membership.status != "ACTIVE":
        raise Conflict(
            f"Membership {membership.id} is {membership.status} and cannot {action}.",
            reason="INVALID_STATE",
            resource_type="MEMBERSHIP",
            resource_id=membership.id,
        )
    return membership


def tagged_resource(scope: Scope, resource_arn: str) -> Collaboration | Membership:
    """The resource ``resource_arn`` names, if the caller owns it (tag operations)."""
    parts = resource_arn.split(":", 5)
    resource = parts[5] if len(parts) == 6 else ""
    kind, _, resource_id = resource.partition("/")
    resource_type = {"collaboration": "COLLABORATION", "membership": "MEMBERSHIP"}.get(kind)
    if resource_type is None:
        raise ValidationError.for_field(
            "resourceArn",
            "Member must be the ARN of a taggable Clean Rooms resource.",
            resource_arn,
        )
    found: Collaboration | Membership | None
    if kind == "collaboration":
        collaboration = scope.store.table(Collaboration).get(resource_id)
        mine = collaboration is not None and collaboration.creator_account_id == scope.account_id
        found = collaboration if mine else None
    else:
        membership = scope.store.table(Membership).get(resource_id)
        mine = membership is not None and membership.account_id == scope.account_id
        found = membership if mine else None
    if found is None or found.arn != resource_arn:
        raise NotFound(resource_type, resource_arn)
    return found
