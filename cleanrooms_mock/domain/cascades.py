"""What a status change does to other families: one named function per trigger.

The operation that changes a status calls its trigger explicitly, under the store's lock; there
is no event bus. A family that comes later in data order adds its consequences to the trigger
that causes them (a configured-table association, say, to :func:`membership_left`).
"""

from __future__ import annotations

from datetime import datetime

from .collaborations.entities import Collaboration, Member
from .memberships.entities import Membership
from .store import RegionStore

__all__ = ["collaboration_deleted", "member_removed", "membership_left"]


def collaboration_deleted(store: RegionStore, collaboration: Collaboration, when: datetime) -> None:
    """DeleteCollaboration: every ACTIVE membership in it turns COLLABORATION_DELETED."""
    for member in collaboration.members.values():
        if member.membership is not None and member.membership.status == "ACTIVE":
            _end_membership(store, member.membership, "COLLABORATION_DELETED", when)


def member_removed(store: RegionStore, member: Member, when: datetime) -> None:
    """DeleteMember: the member turns REMOVED, and so does its membership."""
    member.status = "REMOVED"
    member.update_time = when
    if member.membership is not None:
        _end_membership(store, member.membership, "REMOVED", when)


def membership_left(store: RegionStore, membership: Membership, when: datetime) -> None:
    """DeleteMembership: the account's member entry turns LEFT (it cannot join again)."""
    member = membership.collaboration.members[membership.account_id]
    if member.status == "ACTIVE":
        member.status = "LEFT"
        member.update_time = when


def _end_membership(
    store: RegionStore, membership: Membership, status: str, when: datetime
) -> None:
    """An ACTIVE membership turns REMOVED or COLLABORATION_DELETED (its owner's quota frees up)."""
    if store.table(Membership).get(membership.id) is membership:
        store.adjust("memberships_per_account", membership.account_id, -1)
    membership.status = status
    membership.update_time = when
