"""UpdateConfiguredTableAnalysisRule: a new policy for the table's rule, under the creation
checks; a refused update keeps the old policy."""

from __future__ import annotations

from typing import Any

from ct_support import (
    OTHER,
    aggregation_policy,
    configure_with_rule,
    get_rule,
    not_found,
    over_quota,
    refused_fields,
)
from helpers import client

from cleanrooms_mock import mock_cleanrooms


def update_rule(cleanrooms: Any, table: dict[str, Any], rule_type: str, policy: Any) -> Any:
    return cleanrooms.update_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"],
        analysisRuleType=rule_type,
        analysisRulePolicy=policy,
    )


def current(owner: Any, table: dict[str, Any]) -> dict[str, Any]:
    return get_rule(owner, table, "AGGREGATION")


def test_the_owner_changes_its_policy(owner: Any) -> None:
    table, rule = configure_with_rule(owner)
    stricter = aggregation_policy(
        outputConstraints=[{"columnName": "user_id", "minimum": 1000, "type": "COUNT_DISTINCT"}]
    )

    updated = update_rule(owner, table, "AGGREGATION", stricter)["analysisRule"]

    assert updated["policy"] == stricter
    assert updated["createTime"] == rule["createTime"]
    assert updated["updateTime"] >= rule["updateTime"]
    assert current(owner, table) == updated


def test_the_new_policy_passes_the_creation_checks(owner: Any) -> None:
    table, rule = configure_with_rule(owner)

    assert refused_fields(
        lambda: update_rule(
            owner, table, "AGGREGATION", aggregation_policy(dimensionColumns=["phone"])
        )
    ) == ["analysisRulePolicy.v1.aggregation.dimensionColumns[0]"]
    assert refused_fields(
        lambda: update_rule(
            owner, table, "AGGREGATION", {"v1": {"custom": {"allowedAnalyses": []}}}
        )
    ) == ["analysisRulePolicy.v1"]
    with mock_cleanrooms(quotas={"analysis_rule_kilobytes": 0}):
        over_quota(
            lambda: update_rule(owner, table, "AGGREGATION", aggregation_policy()),
            "Analysis rule size",
            0,
        )
    assert current(owner, table) == rule


def test_a_rule_of_another_type_cannot_be_updated(owner: Any) -> None:
    table, rule = configure_with_rule(owner)

    not_found(
        lambda: update_rule(owner, table, "CUSTOM", {"v1": {"custom": {"allowedAnalyses": []}}}),
        table["id"],
        "CONFIGURED_TABLE",
    )
    assert current(owner, table) == rule


def test_only_the_owner_updates_it(owner: Any) -> None:
    table, rule = configure_with_rule(owner)

    not_found(
        lambda: update_rule(client(OTHER), table, "AGGREGATION", aggregation_policy()),
        table["id"],
        "CONFIGURED_TABLE",
    )
    assert current(owner, table) == rule
