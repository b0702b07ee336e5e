"""The configured tables' section of a seed document (format: :mod:`cleanrooms_mock.seeding`).

A **configured table** (a region's ``configuredTables[]``) is ``accountId`` (its owner) plus the
input members of CreateConfiguredTable, named as in the installed botocore model, plus the
optional ``id``, ``createTime``, ``updateTime`` and ``analysisRule``: the input members of
CreateConfiguredTableAnalysisRule but ``configuredTableIdentifier`` (``analysisRuleType``,
``analysisRulePolicy``), plus its own ``createTime`` and ``updateTime`` (default: the table's
``createTime``). Planning checks an entry, replaying it calls the owner's
operations on the staged state (without reading the Glue Data Catalog: :meth:`.Loader.view`),
and dumping writes each live configured table back as an entry: the section protocol of
:class:`..family.SeedSection`.

Entries are replayed in document order (each account lists its tables in that order) through
the owner's operations and their rules (quotas, allowed columns, one rule per table), except
that the Glue Data Catalog is not read: a document does not carry moto's Glue tables. A dump
writes the live tables, oldest first; deleted ones are not kept.
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
    timestamp,
)
from ..store import RegionStore
from .entities import ConfiguredTable

__all__ = ["SECTION", "ConfiguredTablePlan", "RulePlan", "create", "dump", "plan", "settle"]

#: The key of a region entry that holds its configured tables.
SECTION = "configuredTables"
_CREATE_TABLE = "CreateConfiguredTable"
_CREATE_RULE = "CreateConfiguredTableAnalysisRule"
_TABLE_KEYS = ("id", "accountId", "createTime", "updateTime", "analysisRule")
_TIME_KEYS = ("createTime", "updateTime")
#: Stands in for a configured table id not known until the table exists.
_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


@functools.cache
def _table_inputs() -> frozenset[str]:
    # Our keys win should the model ever grow an input of the same name.
    return operation_inputs(_CREATE_TABLE) - set(_TABLE_KEYS)


@functools.cache
def _rule_inputs() -> frozenset[str]:
    return operation_inputs(_CREATE_RULE) - {"configuredTableIdentifier"} - set(_TIME_KEYS)


@dataclass
class RulePlan:
    path: str
    params: dict[str, Any]  # CreateConfiguredTableAnalysisRule input members but the table's id
    create_time: datetime | None
    update_time: datetime | None


@dataclass
class ConfiguredTablePlan:
    path: str
    region: str
    account: str
    params: dict[str, Any]  # CreateConfiguredTable input members
    id: str | None
    create_time: datetime | None
    update_time: datetime | None
    rule: RulePlan | None
    created: ConfiguredTable | None = None


def plan(planner: Planner, region: str, path: str, value: Any) -> list[ConfiguredTablePlan]:
    """Check a region's ``configuredTables`` list (problems go to ``planner``)."""
    return planner.each(path, value, functools.partial(_plan, planner, region))


def _plan(planner: Planner, region: str, path: str, value: Any) -> ConfiguredTablePlan | None:
    checked = entry(value, path, _table_inputs() | set(_TABLE_KEYS), planner.problems)
    if checked is None:
        return None
    problems = planner.problems
    before = len(problems)
    account = checked.get("accountId")
    if account is None:
        problems.append(SeedProblem(join(path, "accountId"), "is required"))
    else:
        problems.extend(check("MemberSpecification", "accountId", account, path))
    table_id = planner.unique_id(checked.get("id"), path, "ConfiguredTable")
    create_time, update_time = _times(checked, path, problems)
    params = {key: checked[key] for key in _table_inputs() if key in checked}
    problems.extend(check_input(_CREATE_TABLE, params, path))
    rule = None
    if "analysisRule" in checked:
        rule = _plan_rule(planner, join(path, "analysisRule"), checked["analysisRule"])
        if rule is not None:
            order_times(
                create_time,
                rule.create_time,
                "the configured table's createTime",
                join(rule.path, "createTime"),
                problems,
            )
    if len(problems) != before:
        return None
    return ConfiguredTablePlan(
        path, region, str(account), params, table_id, create_time, update_time, rule
    )


def _plan_rule(planner: Planner, path: str, value: Any) -> RulePlan | None:
    checked = entry(value, path, _rule_inputs() | set(_TIME_KEYS), planner.problems)
    if checked is None:
        return None
    create_time, update_time = _times(checked, path, planner.problems)
    params = {key: checked[key] for key in _rule_inputs() if key in checked}
    planner.problems.extend(
        check_input(_CREATE_RULE, {**params, "configuredTableIdentifier": _PLACEHOLDER_ID}, path)
    )
    return RulePlan(path, params, create_time, update_time)


def _times(
    checked: dict[str, Any], path: str, problems: list[SeedProblem]
) -> tuple[datetime | None, datetime | None]:
    created = timestamp(checked.get("createTime"), join(path, "createTime"), problems)
    updated = timestamp(checked.get("updateTime"), join(path, "updateTime"), problems)
    order_times(created, updated, "createTime", join(path, "updateTime"), problems)
    return created, updated


def create(loader: Loader, planned: list[ConfiguredTablePlan]) -> None:
    """In document order, configure each table as its owner, then give it its analysis rule."""
    for plan in planned:
        owner = loader.view(plan.account, plan.region)
        table: ConfiguredTable = loader.run(
            plan.path, owner, _CREATE_TABLE, plan.params, fixed_id=plan.id
        )
        plan.created = table
        if plan.rule is not None:
            params = {**plan.rule.params, "configuredTableIdentifier": table.id}
            loader.run(plan.rule.path, owner, _CREATE_RULE, params)


def settle(loader: Loader, planned: list[ConfiguredTablePlan]) -> list[Any]:
    """Apply the document's timestamps: ``updateTime`` defaults to ``createTime``; a rule's
    ``createTime`` to its table's. A configured table is no collaboration: returns none."""
    for plan in planned:
        table = plan.created
        assert table is not None
        table.create_time = plan.create_time or table.create_time
        table.update_time = plan.update_time or plan.create_time or table.update_time
        rule, planned_rule = table.analysis_rule, plan.rule
        if rule is not None and planned_rule is not None:
            rule.create_time = planned_rule.create_time or table.create_time
            rule.update_time = planned_rule.update_time or rule.create_time
    return []


def dump(store: RegionStore) -> list[dict[str, Any]]:
    """The region's live configured tables as document entries, in the order they were made."""
    table = store.table(ConfiguredTable)
    return [_dump(t) for t in table.every() if table.by_id.get(t.id) is t]


def _dump(table: ConfiguredTable) -> dict[str, Any]:
    dumped: dict[str, Any] = {"id": table.id, "accountId": table.account_id}
    inputs = _table_inputs()
    for key, value in table.attributes.items():
        if key in inputs and value is not None:
            dumped[key] = copy.deepcopy(value)
    if table.tags:
        dumped["tags"] = dict(table.tags)
    rule = table.analysis_rule
    if rule is not None:
        dumped["analysisRule"] = {
            "analysisRuleType": rule.type,
            "analysisRulePolicy": copy.deepcopy(rule.policy),
            "createTime": iso(rule.create_time),
            "updateTime": iso(rule.update_time),
        }
    dumped["createTime"] = iso(table.create_time)
    dumped["updateTime"] = iso(table.update_time)
    return dumped
