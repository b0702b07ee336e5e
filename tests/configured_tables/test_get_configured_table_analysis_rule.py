"""GetConfiguredTableAnalysisRule: the table's rule, asked for by its type."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import OTHER, aggregation_policy, configure, not_found
from helpers import client


def get_rule(cleanrooms: Any, table: dict[str, Any], rule_type: str) -> dict[str, Any]:
    rule: dict[str, Any] = cleanrooms.get_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"], analysisRuleType=rule_type
    )["analysisRule"]
    return rule


def test_the_owner_reads_its_rule(owner: Any) -> None:
    table = configure(owner)
    created = owner.create_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"],
        analysisRuleType="AGGREGATION",
        analysisRulePolicy=aggregation_policy(),
    )["analysisRule"]

    assert get_rule(owner, table, "AGGREGATION") == created


@pytest.mark.parametrize("asked", ["LIST", "CUSTOM"])
def test_a_rule_of_another_type_does_not_exist(owner: Any, asked: str) -> None:
    table = configure(owner)
    owner.create_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"],
        analysisRuleType="AGGREGATION",
        analysisRulePolicy=aggregation_policy(),
    )

    error = not_found(lambda: get_rule(owner, table, asked), table["id"], "CONFIGURED_TABLE")

    assert asked in error["message"] and "AGGREGATION" in error["message"]


@pytest.mark.parametrize("rule_type", ["AGGREGATION", "LIST", "CUSTOM"])
def test_a_table_without_a_rule_has_none_to_read(owner: Any, rule_type: str) -> None:
    table = configure(owner)

    not_found(lambda: get_rule(owner, table, rule_type), table["id"], "CONFIGURED_TABLE")


def test_another_account_cannot_read_it(owner: Any) -> None:
    table = configure(owner)
    owner.create_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"],
        analysisRuleType="AGGREGATION",
        analysisRulePolicy=aggregation_policy(),
    )

    not_found(
        lambda: get_rule(client(OTHER), table, "AGGREGATION"), table["id"], "CONFIGURED_TABLE"
    )
