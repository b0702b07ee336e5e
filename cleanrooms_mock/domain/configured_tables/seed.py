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

from ...seeding.core import Loader
from ...seeding.owned import OwnedPlan, OwnedSection, RulePlan
from .entities import ConfiguredTable

__all__ = ["SECTION", "ConfiguredTablePlan", "RulePlan", "create", "dump", "plan", "settle"]

#: The key of a region entry that holds its configured tables.
SECTION = "configuredTables"
_CREATE_TABLE = "CreateConfiguredTable"
_CREATE_RULE = "CreateConfiguredTableAnalysisRule"


def _inputs(table: ConfiguredTable) -> dict[str, Any]:
    """Its CreateConfiguredTable inputs, as stored (None left out)."""
    inputs = _SECTION.inputs()
    return {
        key: copy.deepcopy(value)
        for key, value in table.attributes.items()
        if key in inputs and value is not None
    }


_SECTION = OwnedSection(
    _CREATE_TABLE,
    "ConfiguredTable",
    _CREATE_RULE,
    ("configuredTableIdentifier",),
    "the configured table's",
    ConfiguredTable,
    _inputs,
)
#: A configured table's entry, checked.
ConfiguredTablePlan = OwnedPlan
#: Check a region's ``configuredTables`` list (problems go to ``planner``).
plan = _SECTION.plan
#: Apply the document's timestamps (a rule's ``createTime`` defaults to its table's).
settle = _SECTION.settle
#: The region's live configured tables as document entries, in the order they were made.
dump = _SECTION.dump


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
