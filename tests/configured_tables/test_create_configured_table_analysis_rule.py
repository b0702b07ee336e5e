"""CreateConfiguredTableAnalysisRule: the one rule of a configured table, checked against the
table (its source, its analysis method, its allowed columns and their Glue types)."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import (
    EMPTY_CUSTOM,
    OTHER,
    PROVIDER,
    aggregation_policy,
    aws_error,
    configure,
    not_found,
    over_quota,
    refused_fields,
    threshold_policy,
)
from helpers import client

from cleanrooms_mock import mock_cleanrooms

LIST = {"v1": {"list": {"joinColumns": ["user_id"], "listColumns": ["email", "amount"]}}}
ANY_QUERY = {
    "v1": {"custom": {"allowedAnalyses": ["ANY_QUERY"], "allowedAnalysisProviders": [PROVIDER]}}
}


def add_rule(owner: Any, table: dict[str, Any], rule_type: str, policy: dict[str, Any]) -> Any:
    return owner.create_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"],
        analysisRuleType=rule_type,
        analysisRulePolicy=policy,
    )


def rule_types(owner: Any, table: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The table's analysisRuleTypes, as GetConfiguredTable and ListConfiguredTables say."""
    got = owner.get_configured_table(configuredTableIdentifier=table["id"])["configuredTable"]
    [listed] = [
        t
        for t in owner.list_configured_tables()["configuredTableSummaries"]
        if t["id"] == table["id"]
    ]
    return got["analysisRuleTypes"], listed["analysisRuleTypes"]


@pytest.mark.parametrize(
    ("rule_type", "policy"),
    [("AGGREGATION", aggregation_policy()), ("LIST", LIST), ("CUSTOM", ANY_QUERY)],
)
def test_the_owner_adds_a_rule_to_its_glue_table(
    owner: Any, rule_type: str, policy: dict[str, Any]
) -> None:
    table = configure(owner)

    rule = add_rule(owner, table, rule_type, policy)["analysisRule"]

    assert rule["configuredTableId"] == table["id"]
    assert rule["configuredTableArn"] == table["arn"]
    assert (rule["type"], rule["policy"]) == (rule_type, policy)
    assert rule["createTime"] == rule["updateTime"]
    assert rule_types(owner, table) == ([rule_type], [rule_type])


@pytest.mark.parametrize("second", ["AGGREGATION", "LIST", "CUSTOM"])
def test_a_second_rule_is_a_conflict(owner: Any, second: str) -> None:
    table = configure(owner)
    add_rule(owner, table, "CUSTOM", EMPTY_CUSTOM)
    policies = {"AGGREGATION": aggregation_policy(), "LIST": LIST, "CUSTOM": ANY_QUERY}

    error = aws_error(
        lambda: add_rule(owner, table, second, policies[second]), "ConflictException", 409
    )

    assert error["reason"] == "ALREADY_EXISTS"
    assert (error["resourceType"], error["resourceId"]) == ("CONFIGURED_TABLE", table["id"])
    assert rule_types(owner, table) == (["CUSTOM"], ["CUSTOM"])


@pytest.mark.parametrize(
    "reference",
    [
        {"athena": {"workGroup": "primary", "databaseName": "sales", "tableName": "orders"}},
        {
            "snowflake": {
                "secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:sf-abc",
                "accountIdentifier": "xy12345.us-east-1",
                "databaseName": "CRM",
                "schemaName": "PUBLIC",
                "tableName": "ORDERS",
                "tableSchema": {
                    "v1": [
                        {"columnName": name, "columnType": "VARCHAR"}
                        for name in ("user_id", "email", "amount")
                    ]
                },
            }
        },
    ],
    ids=["athena", "snowflake"],
)
def test_tables_not_in_s3_take_only_custom_rules(owner: Any, reference: dict[str, Any]) -> None:
    table = configure(owner, tableReference=reference)

    assert refused_fields(lambda: add_rule(owner, table, "AGGREGATION", aggregation_policy())) == [
        "analysisRuleType"
    ]
    assert refused_fields(lambda: add_rule(owner, table, "LIST", LIST)) == ["analysisRuleType"]
    assert rule_types(owner, table) == ([], [])
    assert add_rule(owner, table, "CUSTOM", ANY_QUERY)["analysisRule"]["type"] == "CUSTOM"


@pytest.mark.parametrize(
    ("rule_type", "policy", "fields"),
    [
        ("AGGREGATION", LIST, ["analysisRulePolicy.v1"]),
        (
            "AGGREGATION",
            aggregation_policy(dimensionColumns=["segment"]),
            ["analysisRulePolicy.v1.aggregation.dimensionColumns[0]"],
        ),
        (
            "AGGREGATION",
            aggregation_policy(dimensionColumns=["amount"]),
            ["analysisRulePolicy.v1.aggregation.dimensionColumns[0]"],
        ),
        (
            "LIST",
            {"v1": {"list": {"joinColumns": ["user_id"], "listColumns": ["user_id", "phone"]}}},
            [
                "analysisRulePolicy.v1.list.listColumns[1]",  # not allowed
                "analysisRulePolicy.v1.list.listColumns[0]",  # a join column
            ],
        ),
        (
            "CUSTOM",
            {"v1": {"custom": {"allowedAnalyses": ["ANY_QUERY"]}}},
            ["analysisRulePolicy.v1.custom.allowedAnalysisProviders"],
        ),
        (
            "CUSTOM",
            threshold_policy("amount"),
            ["analysisRulePolicy.v1.custom.aggregationThresholds[0].identityColumns[0]"],
        ),
    ],
    ids=[
        "wrong-policy-member",
        "column-not-allowed",
        "aggregate-as-dimension",
        "join-and-unknown-list-columns",
        "any-query-without-providers",
        "identity-column-of-type-double",
    ],
)
def test_a_refused_policy_names_the_paths_inside_it(
    owner: Any, rule_type: str, policy: dict[str, Any], fields: list[str]
) -> None:
    table = configure(owner)

    assert refused_fields(lambda: add_rule(owner, table, rule_type, policy)) == fields
    assert rule_types(owner, table) == ([], [])


def test_sql_rules_need_a_table_that_takes_sql(owner: Any) -> None:
    table = configure(owner, analysisMethod="DIRECT_JOB")

    assert refused_fields(lambda: add_rule(owner, table, "AGGREGATION", aggregation_policy())) == [
        "analysisRuleType"
    ]
    assert refused_fields(lambda: add_rule(owner, table, "CUSTOM", ANY_QUERY)) == [
        "analysisRulePolicy.v1.custom.allowedAnalyses[0]"
    ]
    jobs = {
        "v1": {"custom": {"allowedAnalyses": ["ANY_JOB"], "allowedAnalysisProviders": [PROVIDER]}}
    }
    assert add_rule(owner, table, "CUSTOM", jobs)["analysisRule"]["policy"] == jobs


def test_only_the_owner_adds_a_rule(owner: Any) -> None:
    table = configure(owner)

    not_found(
        lambda: add_rule(client(OTHER), table, "CUSTOM", EMPTY_CUSTOM),
        table["id"],
        "CONFIGURED_TABLE",
    )
    assert rule_types(owner, table) == ([], [])


def test_analysis_rule_size(owner: Any) -> None:
    table = configure(owner)
    providers = [f"{n:012d}" for n in range(100)]  # about 1.6 KB of JSON
    policy = {
        "v1": {"custom": {"allowedAnalyses": ["ANY_QUERY"], "allowedAnalysisProviders": providers}}
    }
    with mock_cleanrooms(quotas={"analysis_rule_kilobytes": 1}):
        over_quota(lambda: add_rule(owner, table, "CUSTOM", policy), "Analysis rule size", 1)

    assert add_rule(owner, table, "CUSTOM", policy)["analysisRule"]["policy"] == policy
