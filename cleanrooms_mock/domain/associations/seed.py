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

from ...seeding.core import Loader
from ...seeding.owned import OwnedPlan, OwnedSection
from ..access import own_association
from ..store import lock
from .entities import ConfiguredTableAssociation
from .ops import add_collaboration_rule

__all__ = ["SECTION", "AssociationPlan", "create", "dump", "plan", "settle"]

#: The key of a region entry that holds its configured table associations.
SECTION = "configuredTableAssociations"
_CREATE = "CreateConfiguredTableAssociation"


def _inputs(association: ConfiguredTableAssociation) -> dict[str, Any]:
    """Its CreateConfiguredTableAssociation inputs (a description only when it has one)."""
    inputs: dict[str, Any] = {
        "membershipIdentifier": association.membership.id,
        "configuredTableIdentifier": association.configured_table.id,
        "name": association.name,
        "roleArn": association.role_arn,
    }
    if association.description is not None:
        inputs["description"] = association.description
    return inputs


_SECTION = OwnedSection(
    _CREATE,
    "ConfiguredTableAssociation",
    "CreateConfiguredTableAssociationAnalysisRule",
    ("membershipIdentifier", "configuredTableAssociationIdentifier"),
    "the association's",
    ConfiguredTableAssociation,
    _inputs,
)
#: An association's entry, checked.
AssociationPlan = OwnedPlan
#: Check a region's ``configuredTableAssociations`` list (problems go to ``planner``).
plan = _SECTION.plan
#: Apply the document's timestamps (a rule's ``createTime`` defaults to its association's).
settle = _SECTION.settle
#: The region's live associations as document entries, in the order they were made.
dump = _SECTION.dump


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
