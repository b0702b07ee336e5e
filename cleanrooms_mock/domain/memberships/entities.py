"""A membership: an account's own settings for one collaboration it joined."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..collaborations.entities import Collaboration
from ..resources import arn

__all__ = ["Membership"]


@dataclass(slots=True, eq=False)
class Membership:
    """An account's membership: its own settings for one collaboration it joined."""

    id: str
    account_id: str
    collaboration: Collaboration
    #: The input members of CreateMembership other than the collaboration and tags, as accepted.
    settings: dict[str, Any]
    tags: dict[str, str]
    create_time: datetime
    update_time: datetime
    status: str = "ACTIVE"
    #: Creation order within the region: what list pages resume from.
    seq: int = 0

    @property
    def arn(self) -> str:
        return arn(self.collaboration.region, self.account_id, f"membership/{self.id}")

    def describe(self, viewer: str) -> dict[str, Any]:
        """The Membership (and MembershipSummary) shape; only its owner ever sees it."""
        collaboration = self.collaboration
        member = collaboration.members[self.account_id]
        return {
            **self.settings,
            "id": self.id,
            "arn": self.arn,
            "collaborationArn": collaboration.arn,
            "collaborationId": collaboration.id,
            "collaborationCreatorAccountId": collaboration.creator_account_id,
            "collaborationCreatorDisplayName": collaboration.creator_display_name,
            "collaborationName": collaboration.attributes.get("name"),
            "createTime": self.create_time,
            "updateTime": self.update_time,
            "status": self.status,
            "memberAbilities": member.abilities,
            "mlMemberAbilities": member.ml_abilities,
        }
