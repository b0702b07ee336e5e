"""A configured table, and the analysis rule that says how collaborations may query it.

A configured table belongs to the account that configured it (never seen by another); its
analysis rule lives on it (one per table, "Currently, only one analysis rule can be created for
a given configured table", model) and goes with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..resources import arn
from .analysis_rules import analysis_rule_types
from .rules import table_type

__all__ = ["ConfiguredTable", "ConfiguredTableAnalysisRule"]


@dataclass(slots=True, eq=False)
class ConfiguredTable:
    """An account's reference to a table of a data source, with the columns it allows."""

    id: str
    account_id: str
    region: str
    #: The input members of CreateConfiguredTable but ``tags``, as accepted and updated (name,
    #: description, tableReference, allowedColumns, analysisMethod, selectedAnalysisMethods, and
    #: whatever a later botocore adds): returned wherever an output shape has the member.
    attributes: dict[str, Any]
    tags: dict[str, str]
    create_time: datetime
    update_time: datetime
    analysis_rule: ConfiguredTableAnalysisRule | None = None
    #: Creation order within the region: what list pages resume from.
    seq: int = 0

    @property
    def arn(self) -> str:
        return arn(self.region, self.account_id, f"configuredtable/{self.id}")

    def describe(self, viewer: str) -> dict[str, Any]:
        """The ConfiguredTable (and ConfiguredTableSummary) shape; only its owner sees it."""
        rule = self.analysis_rule
        return {
            **self.attributes,
            "id": self.id,
            "arn": self.arn,
            "tableType": table_type(self.attributes["tableReference"]),
            "createTime": self.create_time,
            "updateTime": self.update_time,
            "analysisRuleTypes": analysis_rule_types([rule.type] if rule else []),
        }


@dataclass(slots=True, eq=False)
class ConfiguredTableAnalysisRule:
    """A configured table's analysis rule: its type and policy (``analysisRulePolicy``)."""

    configured_table: ConfiguredTable
    type: str
    policy: dict[str, Any]
    create_time: datetime
    update_time: datetime

    def describe(self, viewer: str) -> dict[str, Any]:
        """The ConfiguredTableAnalysisRule shape."""
        table = self.configured_table
        return {
            "configuredTableId": table.id,
            "configuredTableArn": table.arn,
            "policy": self.policy,
            "type": self.type,
            "createTime": self.create_time,
            "updateTime": self.update_time,
        }
