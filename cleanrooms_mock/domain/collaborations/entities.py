"""A collaboration and its members.

Each object describes itself in the vocabulary of the model's output shapes; the serialiser keeps
what the shape allows, so a field AWS adds to an input and an output flows through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..resources import arn

if TYPE_CHECKING:
    from ..memberships.entities import Membership

__all__ = ["ACTIVE_MEMBER_STATUSES", "Collaboration", "Member"]

#: Member statuses that still let an account see and act on a collaboration.
ACTIVE_MEMBER_STATUSES = frozenset({"INVITED", "ACTIVE"})


# slots: a store of 100k memberships should cost well under 1 KB each (see benchmarks/).
# eq=False: resources are compared by identity; they also reference each other in cycles.
@dataclass(slots=True, eq=False)
class Member:
    """An account's place in a collaboration, as the creator configured it."""

    account_id: str
    display_name: str
    abilities: list[str]
    ml_abilities: dict[str, Any] | None
    payment_configuration: dict[str, Any]
    create_time: datetime
    update_time: datetime
    status: str = "INVITED"
    membership: Membership | None = None

    def describe(self, viewer: str) -> dict[str, Any]:
        """The MemberSummary shape (the same for every viewer)."""
        return {
            "accountId": self.account_id,
            "status": self.status,
            "displayName": self.display_name,
            "abilities": self.abilities,
            "mlAbilities": self.ml_abilities,
            "createTime": self.create_time,
            "updateTime": self.update_time,
            "membershipId": self.membership.id if self.membership else None,
            "membershipArn": self.membership.arn if self.membership else None,
            "paymentConfiguration": self.payment_configuration,
        }


@dataclass(slots=True, eq=False)
class Collaboration:
    """A collaboration: created by one account, visible to every account it invites."""

    id: str
    region: str
    creator_account_id: str
    creator_display_name: str
    #: Every other input member of CreateCollaboration, stored as given and returned wherever the
    #: output shapes have a member of the same name (new model fields flow through untouched).
    attributes: dict[str, Any]
    members: dict[str, Member]
    tags: dict[str, str]
    create_time: datetime
    update_time: datetime
    #: Creation order within the region: what list pages resume from.
    seq: int = 0

    @property
    def arn(self) -> str:
        return arn(self.region, self.creator_account_id, f"collaboration/{self.id}")

    def member(self, account_id: str) -> Member | None:
        return self.members.get(account_id)

    def describe(self, viewer: str) -> dict[str, Any]:
        """The Collaboration shape, as seen by ``viewer`` (its own member status and membership)."""
        seen_as = self.members[viewer]
        return {
            **self.attributes,
            "id": self.id,
            "arn": self.arn,
            "creatorAccountId": self.creator_account_id,
            "creatorDisplayName": self.creator_display_name,
            "createTime": self.create_time,
            "updateTime": self.update_time,
            "memberStatus": seen_as.status,
            "membershipId": seen_as.membership.id if seen_as.membership else None,
            "membershipArn": seen_as.membership.arn if seen_as.membership else None,
        }
