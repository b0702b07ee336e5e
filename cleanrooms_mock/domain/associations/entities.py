"""A configured table association, its collaboration analysis rule, and the schema it shows.

An association belongs to the membership it was made through (its owner's, the table's owner);
its collaboration analysis rule lives on it (one per association, as for a configured table) and
goes with it. Its :class:`Schema` is what every active member of the collaboration sees: derived
from the association, the configured table and their rules, never created by a call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from ..configured_tables.analysis_rules import analysis_rule_types
from ..configured_tables.entities import ConfiguredTable
from ..memberships.entities import Membership
from ..resources import arn
from ..store import Table

__all__ = [
    "ConfiguredTableAssociation",
    "ConfiguredTableAssociationAnalysisRule",
    "Schema",
    "live",
    "live_associations",
    "schema_key",
]

E = TypeVar("E")


@dataclass(slots=True, eq=False)
class ConfiguredTableAssociation:
    """A configured table brought into a collaboration by its owner, under a name."""

    id: str
    membership: Membership
    configured_table: ConfiguredTable
    #: Lower case: "The name of the configured table association, in lowercase" (model).
    name: str
    role_arn: str
    description: str | None
    tags: dict[str, str]
    create_time: datetime
    update_time: datetime
    analysis_rule: ConfiguredTableAssociationAnalysisRule | None = None
    schema: Schema | None = None
    #: Creation order within the region: what list pages resume from.
    seq: int = 0

    @property
    def account_id(self) -> str:
        return self.membership.account_id

    @property
    def arn(self) -> str:
        resource = f"configuredtableassociation/{self.membership.id}/{self.id}"
        return arn(self.membership.collaboration.region, self.account_id, resource)

    def describe(self, viewer: str) -> dict[str, Any]:
        """The ConfiguredTableAssociation (and its Summary) shape; only its owner sees it."""
        membership, table, rule = self.membership, self.configured_table, self.analysis_rule
        return {
            "arn": self.arn,
            "id": self.id,
            "configuredTableId": table.id,
            "configuredTableArn": table.arn,
            "membershipId": membership.id,
            "membershipArn": membership.arn,
            "roleArn": self.role_arn,
            "name": self.name,
            "description": self.description,
            "analysisRuleTypes": analysis_rule_types([rule.type] if rule else []),
            "createTime": self.create_time,
            "updateTime": self.update_time,
        }


@dataclass(slots=True, eq=False)
class ConfiguredTableAssociationAnalysisRule:
    """An association's collaboration analysis rule: result receivers, additional analyses."""

    association: ConfiguredTableAssociation
    type: str
    policy: dict[str, Any]
    create_time: datetime
    update_time: datetime

    @property
    def body(self) -> dict[str, Any]:
        """The policy's ``v1.<type>`` member (``allowedResultReceivers``, ...)."""
        body: dict[str, Any] = self.policy["v1"][self.type.lower()]
        return body

    def describe(self, viewer: str) -> dict[str, Any]:
        """The ConfiguredTableAssociationAnalysisRule shape."""
        association = self.association
        return {
            "membershipIdentifier": association.membership.id,
            "configuredTableAssociationId": association.id,
            "configuredTableAssociationArn": association.arn,
            "policy": self.policy,
            "type": self.type,
            "createTime": self.create_time,
            "updateTime": self.update_time,
        }


@dataclass(slots=True, eq=False)
class Schema:
    """The schema of an association, as the collaboration's active members list it.

    It describes itself as a ``SchemaSummary``; the full ``Schema`` (columns from the data
    source, status computed from the rules in place) is :func:`.schemas.schema_detail`.
    """

    association: ConfiguredTableAssociation

    @property
    def id(self) -> str:
        """The association's id (schemas have no id of their own; seeding lists ids by kind)."""
        return self.association.id

    @property
    def key(self) -> str:
        """Where the store finds it: the collaboration and the name, unique there."""
        return schema_key(self.association.membership.collaboration.id, self.association.name)

    @property
    def update_time(self) -> datetime:
        """The latest change to what it is derived from: association, table, either rule."""
        association = self.association
        table = association.configured_table
        times = [association.update_time, table.update_time]
        times += [r.update_time for r in (association.analysis_rule, table.analysis_rule) if r]
        return max(times)

    def describe(self, viewer: str) -> dict[str, Any]:
        """The SchemaSummary shape (the same for every member who may see it)."""
        association = self.association
        collaboration = association.membership.collaboration
        table = association.configured_table
        rule = table.analysis_rule
        return {
            "name": association.name,
            "type": "TABLE",
            "creatorAccountId": association.account_id,
            "createTime": association.create_time,
            "updateTime": self.update_time,
            "collaborationId": collaboration.id,
            "collaborationArn": collaboration.arn,
            "analysisRuleTypes": analysis_rule_types([rule.type] if rule else []),
            "analysisMethod": table.attributes.get("analysisMethod"),
            "selectedAnalysisMethods": table.attributes.get("selectedAnalysisMethods"),
            "resourceArn": arn(
                collaboration.region,
                association.account_id,
                f"membership/{association.membership.id}/configuredtableassociation/"
                f"{association.id}",
            ),
        }


def schema_key(collaboration_id: str, name: str) -> str:
    """The store key of the schema called ``name`` in a collaboration."""
    return f"{collaboration_id}/{name}"


def live(table: Table[E], key: str, ident: Callable[[E], str]) -> list[E]:
    """The live resources ``table`` indexes under ``key``, oldest first (``ident``: a
    resource's key in the table)."""
    return [item for _, item in table.index(key) if table.get(ident(item)) is item]


def live_associations(
    table: Table[ConfiguredTableAssociation], key: str
) -> list[ConfiguredTableAssociation]:
    """The live associations indexed under ``key``: an account, a membership or a configured
    table id."""
    return live(table, key, lambda association: association.id)
