"""DeleteConfiguredTableAnalysisRule: the table keeps its configuration and can take a new
rule, of any type."""

from __future__ import annotations

from typing import Any

from ct_support import (
    EMPTY_CUSTOM,
    OTHER,
    configure_with_rule,
    not_found,
)
from helpers import client


def delete_rule(cleanrooms: Any, table: dict[str, Any], rule_type: str) -> Any:
    return cleanrooms.delete_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"], analysisRuleType=rule_type
    )


def test_the_owner_deletes_its_rule_and_adds_another(owner: Any) -> None:
    table, _ = configure_with_rule(owner)

    response = delete_rule(owner, table, "AGGREGATION")

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    got = owner.get_configured_table(configuredTableIdentifier=table["id"])["configuredTable"]
    assert got["analysisRuleTypes"] == []
    not_found(
        lambda: owner.get_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"], analysisRuleType="AGGREGATION"
        ),
        table["id"],
        "CONFIGURED_TABLE",
    )
    not_found(lambda: delete_rule(owner, table, "AGGREGATION"), table["id"], "CONFIGURED_TABLE")
    owner.create_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"],
        analysisRuleType="CUSTOM",
        analysisRulePolicy=EMPTY_CUSTOM,
    )
    assert owner.list_configured_tables()["configuredTableSummaries"][0]["analysisRuleTypes"] == [
        "CUSTOM"
    ]


def test_a_rule_of_another_type_or_account_is_not_deleted(owner: Any) -> None:
    table, _ = configure_with_rule(owner, "CUSTOM", EMPTY_CUSTOM)

    not_found(lambda: delete_rule(owner, table, "LIST"), table["id"], "CONFIGURED_TABLE")
    not_found(lambda: delete_rule(client(OTHER), table, "CUSTOM"), table["id"], "CONFIGURED_TABLE")
    rule = owner.get_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"], analysisRuleType="CUSTOM"
    )["analysisRule"]
    assert rule["policy"] == EMPTY_CUSTOM
