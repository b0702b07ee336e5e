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
import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...seeding.core import (
    Loader,
    Planner,
    SeedProblem,
    check,
    check_input,
    entry,
    iso,
    join,
    operation_inputs,
    order_times,
    render,
    timestamp,
)
from ..access import own_association
from ..store import RegionStore, lock
from .entities import ConfiguredTableAssociation
from .ops import add_collaboration_rule

__all__ = ["SECTION", "AssociationPlan", "create", "dump", "plan", "settle"]

#: The key of a region entry that holds its configured table associations.
SECTION = "configuredTableAssociations"
_CREATE = "CreateConfiguredTableAssociation"
_CREATE_RULE = "CreateConfiguredTableAssociationAnalysisRule"
_KEYS = ("id", "accountId", "createTime", "updateTime", "analysisRule")
_TIME_KEYS = ("createTime", "updateTime")
_RULE_KEYS = ("analysisRuleType", "analysisRulePolicy")
#: Stands in for the ids a rule's input needs but its entry does not repeat.
_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


@functools.cache
def _inputs() -> frozenset[str]:
    return operation_inputs(_CREATE) - set(_KEYS)


@dataclass
class RulePlan:
    path: str
    params: dict[str, Any]  # analysisRuleType, analysisRulePolicy
    create_time: datetime | None
    update_time: datetime | None


@dataclass
class AssociationPlan:
    path: str
    region: str
    account: str
    params: dict[str, Any]  # CreateConfiguredTableAssociation input members
    id: str | None
    create_time: datetime | None
    update_time: datetime | None
    rule: RulePlan | None
    created: ConfiguredTableAssociation | None = None


def plan(planner: Planner, region: str, path: str, value: Any) -> list[AssociationPlan]:
    """Check a region's ``configuredTableAssociations`` list (problems go to ``planner``)."""
    if not isinstance(value, list):
        planner.problems.append(SeedProblem(path, f"must be a list (got {render(value)})"))
        return []
    planned = [_plan(planner, region, f"{path}[{i}]", item) for i, item in enumerate(value)]
    return [p for p in planned if p is not None]


def _plan(planner: Planner, region: str, path: str, value: Any) -> AssociationPlan | None:
    problems = planner.problems
    checked = entry(value, path, _inputs() | set(_KEYS), problems)
    if checked is None:
        return None
    before = len(problems)
    account = checked.get("accountId")
    if account is None:
        problems.append(SeedProblem(join(path, "accountId"), "is required"))
    else:
        problems.extend(check("MemberSpecification", "accountId", account, path))
    association_id = planner.unique_id(checked.get("id"), path, "ConfiguredTableAssociation")
    create_time, update_time = _times(checked, path, problems)
    params = {key: checked[key] for key in _inputs() if key in checked}
    problems.extend(check_input(_CREATE, params, path))
    rule = None
    if "analysisRule" in checked:
        rule = _plan_rule(planner, join(path, "analysisRule"), checked["analysisRule"])
        if rule is not None:
            order_times(
                create_time,
                rule.create_time,
                "the association's createTime",
                join(rule.path, "createTime"),
                problems,
            )
    if len(problems) != before:
        return None
    return AssociationPlan(
        path, region, str(account), params, association_id, create_time, update_time, rule
    )


def _plan_rule(planner: Planner, path: str, value: Any) -> RulePlan | None:
    checked = entry(value, path, frozenset(_RULE_KEYS + _TIME_KEYS), planner.problems)
    if checked is None:
        return None
    create_time, update_time = _times(checked, path, planner.problems)
    params = {key: checked[key] for key in _RULE_KEYS if key in checked}
    ids = {"membershipIdentifier": _PLACEHOLDER_ID}
    ids["configuredTableAssociationIdentifier"] = _PLACEHOLDER_ID
    planner.problems.extend(check_input(_CREATE_RULE, {**params, **ids}, path))
    return RulePlan(path, params, create_time, update_time)


def _times(
    checked: dict[str, Any], path: str, problems: list[SeedProblem]
) -> tuple[datetime | None, datetime | None]:
    created = timestamp(checked.get("createTime"), join(path, "createTime"), problems)
    updated = timestamp(checked.get("updateTime"), join(path, "updateTime"), problems)
    order_times(created, updated, "createTime", join(path, "updateTime"), problems)
    return created, updated


def create(loader: Loader, plan: AssociationPlan) -> None:
    """Associate the table as its owner, then give the association its collaboration analysis
    rule (checked as Create checks it, but for the type of the table's rule, which may have
    changed since: :func:`.ops.add_collaboration_rule`)."""
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


def settle(plans: list[AssociationPlan]) -> None:
    """Apply the document's timestamps: ``updateTime`` defaults to ``createTime``; a rule's
    ``createTime`` to its association's."""
    for plan in plans:
        association = plan.created
        assert association is not None
        association.create_time = plan.create_time or association.create_time
        association.update_time = plan.update_time or plan.create_time or association.update_time
        rule, planned = association.analysis_rule, plan.rule
        if rule is not None and planned is not None:
            rule.create_time = planned.create_time or association.create_time
            rule.update_time = planned.update_time or rule.create_time


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
        dumped["analysisRule"] = {
            "analysisRuleType": rule.type,
            "analysisRulePolicy": copy.deepcopy(rule.policy),
            "createTime": iso(rule.create_time),
            "updateTime": iso(rule.update_time),
        }
    dumped["createTime"] = iso(association.create_time)
    dumped["updateTime"] = iso(association.update_time)
    return dumped
