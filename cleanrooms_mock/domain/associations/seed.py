"""The associations' section of a seed document (format: :mod:`cleanrooms_mock.seeding`).

A region's ``configuredTableAssociations[]`` entry is ``accountId`` (the owner) plus the input
members of CreateConfiguredTableAssociation, named as in the installed botocore model
(``membershipIdentifier``, ``configuredTableIdentifier``: ids of the document or of the state),
plus ``id``, ``createTime``, ``updateTime`` and ``analysisRule``: the collaboration analysis
rule, ``analysisRuleType`` and ``analysisRulePolicy`` with its own ``createTime`` and
``updateTime``. Entries are replayed once the region's configured tables, collaborations and
memberships exist, as their owners' calls; schemas are derived from them, never written.
"""

from __future__ import annotations

import copy
from typing import Any

from ...seeding.core import Loader, Planner, iso
from ...seeding.owned import OwnedPlan, OwnedSection
from ..access import own_association
from ..store import RegionStore, lock
from .entities import ConfiguredTableAssociation
from .ops import add_collaboration_rule

__all__ = ["SECTION", "AssociationPlan", "create", "dump", "plan", "settle"]

#: The key of a region entry that holds its configured table associations.
SECTION = "configuredTableAssociations"
_CREATE = "CreateConfiguredTableAssociation"
_SECTION = OwnedSection(
    _CREATE,
    "ConfiguredTableAssociation",
    "CreateConfiguredTableAssociationAnalysisRule",
    ("membershipIdentifier", "configuredTableAssociationIdentifier"),
    "the association's",
)
#: An association's entry, checked.
AssociationPlan = OwnedPlan


def plan(planner: Planner, region: str, path: str, value: Any) -> list[AssociationPlan]:
    """Check a region's ``configuredTableAssociations`` list (problems go to ``planner``)."""
    return _SECTION.plan(planner, region, path, value)


def create(loader: Loader, planned: list[AssociationPlan]) -> None:
    """In document order, associate each table as its owner, then give the association its
    collaboration analysis rule (checked as Create checks it, but for the type of the table's
    rule, which may have changed since: :func:`.ops.add_collaboration_rule`)."""
    for plan in planned:
        _create(loader, plan)


def _create(loader: Loader, plan: AssociationPlan) -> None:
    owner = loader.view(plan.account, plan.region)
    association: ConfiguredTableAssociation = loader.run(
        plan.path, owner, _CREATE, plan.params, fixed_id=plan.id
    )
    plan.created = association
    rule = plan.rule
    if rule is not None:
        params = rule.params

        def attach() -> None:
            with lock:
                found = own_association(owner, association.membership.id, association.id)
                add_collaboration_rule(
                    found, params["analysisRuleType"], copy.deepcopy(params["analysisRulePolicy"])
                )

        loader.call(rule.path, attach)


def settle(loader: Loader, planned: list[AssociationPlan]) -> list[Any]:
    """Apply the document's timestamps: ``updateTime`` defaults to ``createTime``; a rule's
    ``createTime`` to its association's. An association is no collaboration: returns none."""
    _SECTION.settle(planned)
    return []


def dump(store: RegionStore) -> list[dict[str, Any]]:
    """The region's live associations as document entries, in the order they were made."""
    table = store.table(ConfiguredTableAssociation)
    return [_dump(a) for a in table.every() if table.by_id.get(a.id) is a]


def _dump(association: ConfiguredTableAssociation) -> dict[str, Any]:
    dumped: dict[str, Any] = {
        "id": association.id,
        "accountId": association.account_id,
        "membershipIdentifier": association.membership.id,
        "configuredTableIdentifier": association.configured_table.id,
        "name": association.name,
        "roleArn": association.role_arn,
    }
    if association.description is not None:
        dumped["description"] = association.description
    if association.tags:
        dumped["tags"] = dict(association.tags)
    rule = association.analysis_rule
    if rule is not None:
        dumped["analysisRule"] = _SECTION.dump_rule(rule)
    dumped["createTime"] = iso(association.create_time)
    dumped["updateTime"] = iso(association.update_time)
    return dumped
