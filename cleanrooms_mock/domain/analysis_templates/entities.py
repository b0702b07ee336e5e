"""An analysis template: a member's analysis, stored with its membership and shown to every
active member of the collaboration (the model's collaboration shapes).

The template belongs to the membership it was created through; ``schema.referencedTables`` is
always returned (model: required on output), derived from the SQL when the caller gave none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..memberships.entities import Membership
from ..resources import arn

__all__ = ["AnalysisTemplate"]


@dataclass(slots=True, eq=False)
class AnalysisTemplate:
    """A membership's analysis template (model structure ``AnalysisTemplate``)."""

    id: str
    membership: Membership
    #: The input members of CreateAnalysisTemplate but ``membershipIdentifier`` and ``tags``, as
    #: accepted (name, description, format, source, analysisParameters, schema,
    #: errorMessageConfiguration, syntheticDataParameters, and whatever a later botocore adds),
    #: ``description`` as updated.
    attributes: dict[str, Any]
    #: The schema names the template reads (``schema.referencedTables``), given or derived.
    referenced_tables: list[str]
    tags: dict[str, str]
    create_time: datetime
    update_time: datetime
    #: Creation order within the region: what list pages resume from.
    seq: int = 0

    @property
    def account_id(self) -> str:
        return self.membership.account_id

    @property
    def arn(self) -> str:
        resource = f"membership/{self.membership.id}/analysistemplate/{self.id}"
        return arn(self.membership.collaboration.region, self.account_id, resource)

    @property
    def name(self) -> str:
        return str(self.attributes["name"])

    def describe(self, viewer: str) -> dict[str, Any]:
        """The AnalysisTemplate shape for its owner, and the CollaborationAnalysisTemplate shape
        (a superset: the output shape trims) for the collaboration's active members."""
        membership = self.membership
        collaboration = membership.collaboration
        return {
            **self.attributes,
            "id": self.id,
            "arn": self.arn,
            "collaborationId": collaboration.id,
            "collaborationArn": collaboration.arn,
            "membershipId": membership.id,
            "membershipArn": membership.arn,
            "creatorAccountId": membership.account_id,
            "schema": {"referencedTables": list(self.referenced_tables)},
            "createTime": self.create_time,
            "updateTime": self.update_time,
        }
