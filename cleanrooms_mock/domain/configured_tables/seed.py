"""The configured tables' section of a seed document (format: :mod:`cleanrooms_mock.seeding`).

A region's ``configuredTables[]`` entry is ``accountId`` (the owner) plus the input members of
CreateConfiguredTable, named as in the installed botocore model, plus ``id``, ``createTime``,
``updateTime`` and ``analysisRule``: the input members of CreateConfiguredTableAnalysisRule but
``configuredTableIdentifier`` (``analysisRuleType``, ``analysisRulePolicy``), plus its own
``createTime`` and ``updateTime``. Planning checks an entry, replaying it calls the owner's
operations on the staged state (without reading the Glue Data Catalog: :meth:`.Loader.view`),
and dumping writes each live configured table back as an entry.
"""

from __future__ import annotations

import copy
from typing import Any

from ...seeding.core import Loader, Planner, iso
from ...seeding.owned import OwnedPlan, OwnedSection, RulePlan
from ..store import RegionStore
from .entities import ConfiguredTable

__all__ = ["SECTION", "ConfiguredTablePlan", "RulePlan", "create", "dump", "plan", "settle"]

#: The key of a region entry that holds its configured tables.
SECTION = "configuredTables"
_CREATE_TABLE = "CreateConfiguredTable"
_CREATE_RULE = "CreateConfiguredTableAnalysisRule"
_SECTION = OwnedSection(
    _CREATE_TABLE,
    "ConfiguredTable",
    _CREATE_RULE,
    ("configuredTableIdentifier",),
    "the configured table's",
)
#: A configured table's entry, checked.
ConfiguredTablePlan = OwnedPlan


def plan(planner: Planner, region: str, path: str, value: Any) -> list[ConfiguredTablePlan]:
    """Check a region's ``configuredTables`` list (problems go to ``planner``)."""
    return _SECTION.plan(planner, region, path, value)


def create(loader: Loader, planned: list[ConfiguredTablePlan]) -> None:
    """In document order, configure each table as its owner, then give it its analysis rule."""
    for plan in planned:
        _create(loader, plan)


def _create(loader: Loader, plan: ConfiguredTablePlan) -> None:
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
    _SECTION.settle(planned)
    return []


def dump(store: RegionStore) -> list[dict[str, Any]]:
    """The region's live configured tables as document entries, in the order they were made."""
    table = store.table(ConfiguredTable)
    return [_dump(t) for t in table.every() if table.by_id.get(t.id) is t]


def _dump(table: ConfiguredTable) -> dict[str, Any]:
    dumped: dict[str, Any] = {"id": table.id, "accountId": table.account_id}
    inputs = _SECTION.inputs()
    for key, value in table.attributes.items():
        if key in inputs and value is not None:
            dumped[key] = copy.deepcopy(value)
    if table.tags:
        dumped["tags"] = dict(table.tags)
    rule = table.analysis_rule
    if rule is not None:
        dumped["analysisRule"] = _SECTION.dump_rule(rule)
    dumped["createTime"] = iso(table.create_time)
    dumped["updateTime"] = iso(table.update_time)
    return dumped
