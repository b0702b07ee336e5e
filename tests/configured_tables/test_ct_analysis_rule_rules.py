"""Configured-table analysis rules: the policies a data owner writes, accepted and refused.

Policies follow the user guide's examples (analysis-rules-aggregation, analysis-rules-list,
analysis-rules-custom); the table is the data owner's ``orders`` table, whose facts come from
its Glue table where column types matter.
"""

from __future__ import annotations

import re
from typing import Any

import botocore.session
import pytest
from ct_support import (
    OWNER,
    PROVIDER,
    REGION,
    create_glue_table,
    faults,
    paths,
    snowflake_reference,
)

from cleanrooms_mock.domain.configured_tables.rules import (
    ANALYSIS_RULE_TYPES,
    SNOWFLAKE_COLUMN_TYPES,
    TableFacts,
    analysis_rule_types,
    check_analysis_rule,
    check_single_analysis_rule,
    policy_columns,
    table_facts,
)
from cleanrooms_mock.domain.errors import Conflict

COLUMNS = ("user_id", "email", "segment", "amount", "order_count", "campaign_id", "order_date")
TYPES = {
    "user_id": "string",
    "email": "varchar(256)",
    "segment": "char(8)",
    "amount": "double",
    "order_count": "int",
    "campaign_id": "string",
    "order_date": "date",
}
TEMPLATE = (
    "arn:aws:cleanrooms:us-east-1:111122223333:membership/41327cc4-bbf0-43f1-b70c-a160dddceb08"
    "/analysistemplate/1ff1bf9d-781c-418d-a6ac-2b80c09d6292"
)
OTHER_PROVIDER = "333366669999"


def facts(table_type: str = "GLUE", method: str = "DIRECT_QUERY", **overrides: Any) -> TableFacts:
    """The orders table as configured: every column allowed, Glue's types known."""
    values: dict[str, Any] = {
        "table_type": table_type,
        "analysis_method": method,
        "allowed_columns": COLUMNS,
        "column_types": TYPES,
    }
    values.update(overrides)
    return TableFacts(**values)


def aggregation(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "aggregateColumns": [
            {"columnNames": ["user_id"], "function": "COUNT_DISTINCT"},
            {"columnNames": ["amount"], "function": "SUM"},
        ],
        "joinColumns": ["user_id", "email"],
        "joinRequired": "QUERY_RUNNER",
        "dimensionColumns": ["segment", "campaign_id"],
        "scalarFunctions": ["TRUNC", "UPPER"],
        "outputConstraints": [{"columnName": "user_id", "minimum": 100, "type": "COUNT_DISTINCT"}],
    }
    body.update(overrides)
    return {"v1": {"aggregation": body}}


def listing(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"joinColumns": ["user_id", "email"], "listColumns": ["segment"]}
    body.update(overrides)
    return {"v1": {"list": body}}


THRESHOLD = {
    "identityColumns": ["user_id"],
    "minimumIdentityCount": 100,
    "type": "COUNT_DISTINCT",
    "allowedAggregateExpressionType": "COLUMNS_ONLY",
}


def custom(**body: Any) -> dict[str, Any]:
    body.setdefault("allowedAnalyses", ["ANY_QUERY"])
    if body["allowedAnalyses"] and "ANY_QUERY" in body["allowedAnalyses"]:
        body.setdefault("allowedAnalysisProviders", [PROVIDER])
    return {"v1": {"custom": body}}


def check(rule_type: str, policy: dict[str, Any], table: TableFacts | None = None) -> None:
    check_analysis_rule(rule_type, policy, facts() if table is None else table)


AGG = "analysisRulePolicy.v1.aggregation"
LIST = "analysisRulePolicy.v1.list"
CUSTOM = "analysisRulePolicy.v1.custom"


# --- The policy's type ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_type", "policy", "given"),
    [
        ("AGGREGATION", listing(), "list"),
        ("LIST", custom(), "custom"),
        ("CUSTOM", aggregation(), "aggregation"),
    ],
)
def test_the_policy_member_is_the_rule_type(
    rule_type: str, policy: dict[str, Any], given: str
) -> None:
    assert faults(lambda: check(rule_type, policy)) == [
        (
            "analysisRulePolicy.v1",
            f"analysisRuleType is {rule_type}, so the policy must be "
            f"v1.{rule_type.lower()}, not v1.{given}.",
        )
    ]


@pytest.mark.parametrize("table_type", ["ATHENA", "SNOWFLAKE", "DATABRICKS"])
@pytest.mark.parametrize("rule", [("AGGREGATION", aggregation()), ("LIST", listing())])
def test_non_s3_tables_take_only_custom_rules(table_type: str, rule: tuple[str, Any]) -> None:
    rule_type, policy = rule

    assert faults(lambda: check(rule_type, policy, facts(table_type))) == [
        (
            "analysisRuleType",
            f"Configured tables using non-S3 data sources (this one is {table_type}) only "
            "support CUSTOM analysis rules.",
        )
    ]
    check("CUSTOM", custom(), facts(table_type, column_types=None))


@pytest.mark.parametrize("rule", [("AGGREGATION", aggregation()), ("LIST", listing())])
def test_aggregation_and_list_rules_need_sql(rule: tuple[str, Any]) -> None:
    rule_type, policy = rule

    assert faults(lambda: check(rule_type, policy, facts(method="DIRECT_JOB"))) == [
        (
            "analysisRuleType",
            f"{rule_type} analysis rules allow SQL queries, and this configured table's "
            "analysisMethod is DIRECT_JOB (PySpark jobs only): use a CUSTOM rule.",
        )
    ]
    check(rule_type, policy, facts(method="MULTIPLE"))


# --- AGGREGATION ------------------------------------------------------------------------------


def test_the_user_guides_aggregation_rule_is_accepted() -> None:
    check("AGGREGATION", aggregation())


@pytest.mark.parametrize(
    "overrides",
    [
        {"joinColumns": [], "joinRequired": None},  # queried by itself, no joins
        {"dimensionColumns": [], "scalarFunctions": []},
        {"joinColumns": ["amount"]},  # join columns can also be aggregate columns
        {"allowedJoinOperators": ["AND", "OR"], "additionalAnalyses": "ALLOWED"},
    ],
)
def test_other_aggregation_rules_are_accepted(overrides: dict[str, Any]) -> None:
    policy = aggregation(**overrides)
    if overrides.get("joinRequired", "") is None:
        del policy["v1"]["aggregation"]["joinRequired"]

    check("AGGREGATION", policy)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"dimensionColumns": ["segment", "fax"]},
            [f"{AGG}.dimensionColumns[1]"],
        ),
        (
            {"aggregateColumns": [{"columnNames": ["amount", "tax"], "function": "SUM"}]},
            [f"{AGG}.aggregateColumns[0].columnNames[1]"],
        ),
        (
            {"joinColumns": ["user_id", "hashed_phone"]},
            [f"{AGG}.joinColumns[1]"],
        ),
        (
            {
                "outputConstraints": [
                    {"columnName": "visitor", "minimum": 2, "type": "COUNT_DISTINCT"}
                ]
            },
            [f"{AGG}.outputConstraints[0].columnName"],
        ),
    ],
)
def test_aggregation_columns_must_be_allowed(
    overrides: dict[str, Any], expected: list[str]
) -> None:
    assert paths(lambda: check("AGGREGATION", aggregation(**overrides))) == expected


def test_the_column_fault_lists_the_allowed_columns() -> None:
    table = facts(allowed_columns=("user_id", "amount", "segment"))
    policy = aggregation(joinColumns=["user_id"], dimensionColumns=["segment"], joinRequired=None)
    del policy["v1"]["aggregation"]["joinRequired"]
    policy["v1"]["aggregation"]["dimensionColumns"].append("region")

    assert faults(lambda: check("AGGREGATION", policy, table)) == [
        (
            f"{AGG}.dimensionColumns[1]",
            "Column region is not one of the configured table's allowedColumns "
            "(user_id, amount, segment).",
        )
    ]


@pytest.mark.parametrize(
    ("dimensions", "role"),
    [(["segment", "amount"], "an aggregate column"), (["email"], "a join column")],
)
def test_dimension_columns_are_neither_aggregate_nor_join_columns(
    dimensions: list[str], role: str
) -> None:
    [(path, message)] = faults(
        lambda: check("AGGREGATION", aggregation(dimensionColumns=dimensions))
    )

    name = dimensions[-1]
    assert path == f"{AGG}.dimensionColumns[{len(dimensions) - 1}]"
    assert message == (
        f"Column {name} is {role}; aggregate function or join columns can't be used as "
        "dimension columns."
    )


def test_join_required_needs_join_columns() -> None:
    assert faults(lambda: check("AGGREGATION", aggregation(joinColumns=[]))) == [
        (
            f"{AGG}.joinColumns",
            "joinRequired is QUERY_RUNNER: name the columns the member who can query may join on.",
        )
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"dimensionColumns": ["segment", "segment"]}, f"{AGG}.dimensionColumns[1]"),
        ({"joinColumns": ["email", "user_id", "email"]}, f"{AGG}.joinColumns[2]"),
        (
            {"aggregateColumns": [{"columnNames": ["amount", "amount"], "function": "AVG"}]},
            f"{AGG}.aggregateColumns[0].columnNames[1]",
        ),
        (
            {
                "outputConstraints": [
                    {"columnName": "user_id", "minimum": 100, "type": "COUNT_DISTINCT"},
                    {"columnName": "user_id", "minimum": 50, "type": "COUNT_DISTINCT"},
                ]
            },
            f"{AGG}.outputConstraints[1].columnName",
        ),
        ({"scalarFunctions": ["TRUNC", "ABS", "TRUNC"]}, f"{AGG}.scalarFunctions[2]"),
        ({"allowedJoinOperators": ["OR", "OR"]}, f"{AGG}.allowedJoinOperators[1]"),
    ],
)
def test_aggregation_lists_name_each_value_once(overrides: dict[str, Any], expected: str) -> None:
    assert paths(lambda: check("AGGREGATION", aggregation(**overrides))) == [expected]


# --- LIST -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"listColumns": []},
        {"allowedJoinOperators": ["OR"], "additionalAnalyses": "NOT_ALLOWED"},
        {"joinColumns": ["user_id"], "listColumns": ["email", "segment", "campaign_id"]},
    ],
)
def test_list_rules_are_accepted(overrides: dict[str, Any]) -> None:
    check("LIST", listing(**overrides))


def test_a_list_column_is_not_a_join_column() -> None:
    assert faults(lambda: check("LIST", listing(listColumns=["segment", "email"]))) == [
        (
            f"{LIST}.listColumns[1]",
            "Column email is a join column; the same column can't be both a joinColumn and a "
            "listColumn.",
        )
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"joinColumns": ["hashed_email"]}, [f"{LIST}.joinColumns[0]"]),
        (
            {"listColumns": ["segment", "tier", "zip"]},
            [f"{LIST}.listColumns[1]", f"{LIST}.listColumns[2]"],
        ),
        ({"listColumns": ["segment", "segment"]}, [f"{LIST}.listColumns[1]"]),
        ({"allowedJoinOperators": ["AND", "AND"]}, [f"{LIST}.allowedJoinOperators[1]"]),
    ],
)
def test_list_columns_are_allowed_columns_named_once(
    overrides: dict[str, Any], expected: list[str]
) -> None:
    assert paths(lambda: check("LIST", listing(**overrides))) == expected


# --- CUSTOM: who may analyse ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "method"),
    [
        ({"v1": {"custom": {"allowedAnalyses": []}}}, "DIRECT_QUERY"),  # the guide's empty rule
        ({"v1": {"custom": {"allowedAnalyses": [TEMPLATE]}}}, "DIRECT_QUERY"),
        (custom(), "DIRECT_QUERY"),
        (custom(allowedAnalysisProviders=[PROVIDER, OTHER_PROVIDER]), "MULTIPLE"),
        (custom(allowedAnalyses=["ANY_JOB"], allowedAnalysisProviders=[PROVIDER]), "DIRECT_JOB"),
        (custom(allowedAnalyses=["ANY_QUERY", "ANY_JOB"]), "MULTIPLE"),
    ],
)
def test_custom_rules_allowing_templates_or_providers(policy: dict[str, Any], method: str) -> None:
    check("CUSTOM", policy, facts(method=method))


@pytest.mark.parametrize("wildcard", ["ANY_QUERY", "ANY_JOB"])
@pytest.mark.parametrize("providers", [None, []])
def test_any_analysis_needs_providers(wildcard: str, providers: list[str] | None) -> None:
    body: dict[str, Any] = {"allowedAnalyses": [wildcard]}
    if providers is not None:
        body["allowedAnalysisProviders"] = providers

    assert faults(lambda: check("CUSTOM", {"v1": {"custom": body}}, facts(method="MULTIPLE"))) == [
        (
            f"{CUSTOM}.allowedAnalysisProviders",
            f"allowedAnalysisProviders is required when allowedAnalyses is {wildcard}: name "
            "the accounts allowed to run them.",
        )
    ]


def test_templates_and_any_query_are_not_both_allowed() -> None:
    assert faults(lambda: check("CUSTOM", custom(allowedAnalyses=["ANY_QUERY", TEMPLATE]))) == [
        (
            f"{CUSTOM}.allowedAnalyses[1]",
            "Allow either analysis templates or any analysis by the accounts in "
            "allowedAnalysisProviders (ANY_QUERY, ANY_JOB), not both.",
        )
    ]


@pytest.mark.parametrize(
    ("analyses", "also"),
    [([], ""), ([TEMPLATE], " (analysis templates and accounts can't both be allowed)")],
)
def test_providers_need_any_query_or_any_job(analyses: list[str], also: str) -> None:
    policy = {
        "v1": {"custom": {"allowedAnalyses": analyses, "allowedAnalysisProviders": [PROVIDER]}}
    }

    assert faults(lambda: check("CUSTOM", policy)) == [
        (
            f"{CUSTOM}.allowedAnalysisProviders",
            f"Allowed analysis providers need ANY_QUERY or ANY_JOB in allowedAnalyses{also}.",
        )
    ]


@pytest.mark.parametrize(
    ("analyses", "method", "message"),
    [
        (
            ["ANY_QUERY"],
            "DIRECT_JOB",
            "ANY_QUERY allows SQL queries, which this configured table's analysisMethod "
            "DIRECT_JOB does not allow.",
        ),
        (
            ["ANY_JOB"],
            "DIRECT_QUERY",
            "ANY_JOB allows PySpark jobs, which this configured table's analysisMethod "
            "DIRECT_QUERY does not allow.",
        ),
    ],
)
def test_any_analysis_matches_the_tables_analysis_method(
    analyses: list[str], method: str, message: str
) -> None:
    policy = custom(allowedAnalyses=analyses, allowedAnalysisProviders=[PROVIDER])

    assert faults(lambda: check("CUSTOM", policy, facts(method=method))) == [
        (f"{CUSTOM}.allowedAnalyses[0]", message)
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"allowedAnalyses": ["ANY_QUERY", "ANY_QUERY"], "allowedAnalysisProviders": [PROVIDER]},
            f"{CUSTOM}.allowedAnalyses[1]",
        ),
        (
            {"allowedAnalyses": [TEMPLATE, TEMPLATE]},
            f"{CUSTOM}.allowedAnalyses[1]",
        ),
        (
            {
                "allowedAnalyses": ["ANY_QUERY"],
                "allowedAnalysisProviders": [PROVIDER, OTHER_PROVIDER, PROVIDER],
            },
            f"{CUSTOM}.allowedAnalysisProviders[2]",
        ),
    ],
)
def test_analyses_and_providers_are_listed_once(body: dict[str, Any], expected: str) -> None:
    assert paths(lambda: check("CUSTOM", {"v1": {"custom": body}})) == [expected]


# --- CUSTOM: privacy controls -----------------------------------------------------------------


def test_the_user_guides_complete_custom_rule_is_accepted() -> None:
    policy = custom(
        disallowedOutputColumns=["user_id"],
        comparisonControls={
            "allowedLiteralComparisonColumns": ["segment", "amount"],
            "allowedColumnComparisonColumns": ["user_id"],
        },
        aggregationThresholds=[
            {
                **THRESHOLD,
                "outputColumnThresholds": [
                    {"outputColumnName": "campaign_id", "minimumIdentityCount": 5},
                    {"outputColumnName": "segment", "minimumIdentityCount": 0},
                ],
            }
        ],
        allowedAnalysisProviders=[PROVIDER, OTHER_PROVIDER],
    )

    check("CUSTOM", policy)


@pytest.mark.parametrize("identity", ["user_id", "email", "segment"])
def test_identity_columns_of_string_types(identity: str) -> None:
    check("CUSTOM", custom(aggregationThresholds=[{**THRESHOLD, "identityColumns": [identity]}]))


def test_differential_privacy_on_a_glue_table() -> None:
    check("CUSTOM", custom(differentialPrivacy={"columns": [{"name": "user_id"}]}))


@pytest.mark.parametrize("table_type", ["ATHENA", "SNOWFLAKE", "DATABRICKS"])
def test_differential_privacy_needs_data_in_s3(table_type: str) -> None:
    policy = custom(differentialPrivacy={"columns": [{"name": "user_id"}]})

    assert faults(lambda: check("CUSTOM", policy, facts(table_type))) == [
        (
            f"{CUSTOM}.differentialPrivacy",
            "Differential privacy is only available for data stored in Amazon S3 (a Glue "
            f"table); this configured table is {table_type}.",
        )
    ]


@pytest.mark.parametrize(
    ("control", "value"),
    [
        ("aggregationThresholds", [THRESHOLD]),
        (
            "comparisonControls",
            {"allowedLiteralComparisonColumns": [], "allowedColumnComparisonColumns": []},
        ),
    ],
)
def test_thresholds_and_comparison_controls_exclude_differential_privacy(
    control: str, value: Any
) -> None:
    policy = custom(differentialPrivacy={"columns": [{"name": "user_id"}]}, **{control: value})

    assert faults(lambda: check("CUSTOM", policy)) == [
        (
            f"{CUSTOM}.{control}",
            f"You can't use {control} with differential privacy (differentialPrivacy is set).",
        )
    ]


@pytest.mark.parametrize(
    ("control", "value"),
    [
        ("aggregationThresholds", [THRESHOLD]),
        (
            "comparisonControls",
            {"allowedLiteralComparisonColumns": ["segment"], "allowedColumnComparisonColumns": []},
        ),
    ],
)
def test_thresholds_and_comparison_controls_exclude_jobs_only(control: str, value: Any) -> None:
    jobs_only = custom(
        allowedAnalyses=["ANY_JOB"], allowedAnalysisProviders=[PROVIDER], **{control: value}
    )
    queries_too = custom(
        allowedAnalyses=["ANY_QUERY", "ANY_JOB"],
        allowedAnalysisProviders=[PROVIDER],
        **{control: value},
    )

    assert faults(lambda: check("CUSTOM", jobs_only, facts(method="DIRECT_JOB"))) == [
        (
            f"{CUSTOM}.{control}",
            f"You can't use {control} when allowedAnalyses allows only jobs (ANY_JOB).",
        )
    ]
    check("CUSTOM", queries_too, facts(method="MULTIPLE"))


@pytest.mark.parametrize("identity", ["amount", "order_count", "order_date"])
def test_the_identity_column_must_be_a_string(identity: str) -> None:
    policy = custom(aggregationThresholds=[{**THRESHOLD, "identityColumns": [identity]}])

    assert faults(lambda: check("CUSTOM", policy)) == [
        (
            f"{CUSTOM}.aggregationThresholds[0].identityColumns[0]",
            "The identity column's data type must be string, varchar, or char; column "
            f"{identity} has type {TYPES[identity]}.",
        )
    ]


def test_an_identity_column_without_a_type_is_refused() -> None:
    table = facts(column_types={**TYPES, "user_id": None})

    assert faults(lambda: check("CUSTOM", custom(aggregationThresholds=[THRESHOLD]), table)) == [
        (
            f"{CUSTOM}.aggregationThresholds[0].identityColumns[0]",
            "The identity column's data type must be string, varchar, or char; column user_id "
            "has no type.",
        )
    ]


def test_identity_types_are_not_checked_when_the_source_is_not_visible() -> None:
    policy = custom(aggregationThresholds=[{**THRESHOLD, "identityColumns": ["amount"]}])

    check("CUSTOM", policy, facts("DATABRICKS", column_types=None))


def test_an_identity_column_gone_from_the_glue_table_is_left_to_query_time() -> None:
    types_now = {k: v for k, v in TYPES.items() if k != "user_id"}

    check("CUSTOM", custom(aggregationThresholds=[THRESHOLD]), facts(column_types=types_now))


@pytest.mark.parametrize("identity", ["user_id", "email"])
def test_the_identity_column_is_never_compared_to_a_literal(identity: str) -> None:
    policy = custom(
        aggregationThresholds=[{**THRESHOLD, "identityColumns": [identity]}],
        comparisonControls={
            "allowedLiteralComparisonColumns": ["campaign_id", identity],
            "allowedColumnComparisonColumns": [identity],
        },
    )

    assert faults(lambda: check("CUSTOM", policy)) == [
        (
            f"{CUSTOM}.comparisonControls.allowedLiteralComparisonColumns[1]",
            f"Column {identity} is the identity column of an aggregation threshold; you can't "
            "allow literal comparison on it.",
        )
    ]


OVERRIDES = f"{CUSTOM}.aggregationThresholds[0].outputColumnThresholds"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            [("campaign_id", 2), ("segment", 1)],
            (
                f"{OVERRIDES}[1].minimumIdentityCount",
                "Specify 0 to exempt the column from the threshold, or a value of 2 or greater "
                "to enforce a threshold.",
            ),
        ),
        (
            [("segment", 5), ("segment", 0)],
            (
                f"{OVERRIDES}[1].outputColumnName",
                f"Column segment is already listed at {OVERRIDES}[0].outputColumnName.",
            ),
        ),
    ],
)
def test_output_column_thresholds_are_zero_or_at_least_two_once_per_column(
    overrides: list[tuple[str, int]], expected: tuple[str, str]
) -> None:
    threshold = {
        **THRESHOLD,
        "outputColumnThresholds": [
            {"outputColumnName": name, "minimumIdentityCount": count} for name, count in overrides
        ],
    }

    assert faults(lambda: check("CUSTOM", custom(aggregationThresholds=[threshold]))) == [expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"disallowedOutputColumns": ["ssn"]}, f"{CUSTOM}.disallowedOutputColumns[0]"),
        (
            {"differentialPrivacy": {"columns": [{"name": "visitor_id"}]}},
            f"{CUSTOM}.differentialPrivacy.columns[0].name",
        ),
        (
            {"aggregationThresholds": [{**THRESHOLD, "identityColumns": ["visitor_id"]}]},
            f"{CUSTOM}.aggregationThresholds[0].identityColumns[0]",
        ),
        (
            {
                "aggregationThresholds": [
                    {
                        **THRESHOLD,
                        "outputColumnThresholds": [
                            {"outputColumnName": "revenue", "minimumIdentityCount": 5}
                        ],
                    }
                ]
            },
            f"{CUSTOM}.aggregationThresholds[0].outputColumnThresholds[0].outputColumnName",
        ),
        (
            {
                "comparisonControls": {
                    "allowedLiteralComparisonColumns": ["zip"],
                    "allowedColumnComparisonColumns": [],
                }
            },
            f"{CUSTOM}.comparisonControls.allowedLiteralComparisonColumns[0]",
        ),
        (
            {
                "comparisonControls": {
                    "allowedLiteralComparisonColumns": [],
                    "allowedColumnComparisonColumns": ["user_id", "hashed_email"],
                }
            },
            f"{CUSTOM}.comparisonControls.allowedColumnComparisonColumns[1]",
        ),
    ],
)
def test_custom_columns_must_be_allowed(body: dict[str, Any], expected: str) -> None:
    [(path, message)] = faults(lambda: check("CUSTOM", custom(**body)))

    assert path == expected
    assert message.endswith(
        f"is not one of the configured table's allowedColumns ({', '.join(COLUMNS)})."
    )


def test_every_fault_of_a_policy_is_reported_together() -> None:
    policy = custom(
        allowedAnalyses=["ANY_QUERY", TEMPLATE],
        allowedAnalysisProviders=[],
        disallowedOutputColumns=["ssn"],
        differentialPrivacy={"columns": [{"name": "user_id"}]},
        aggregationThresholds=[THRESHOLD],
    )

    assert paths(lambda: check("CUSTOM", policy, facts("SNOWFLAKE"))) == [
        f"{CUSTOM}.disallowedOutputColumns[0]",
        f"{CUSTOM}.allowedAnalyses[1]",
        f"{CUSTOM}.allowedAnalysisProviders",
        f"{CUSTOM}.differentialPrivacy",
        f"{CUSTOM}.aggregationThresholds",
    ]


# --- With the Glue table's own types ----------------------------------------------------------


def test_identity_types_come_from_the_glue_table(glue: Any) -> None:
    create_glue_table(glue, columns=[("user_id", "bigint"), ("hashed_email", "string")])
    table = {
        "tableReference": {"glue": {"databaseName": "sales", "tableName": "orders"}},
        "allowedColumns": ["user_id", "hashed_email"],
        "analysisMethod": "DIRECT_QUERY",
    }
    orders = table_facts(table, account_id=OWNER, region=REGION)

    check(
        "CUSTOM",
        custom(aggregationThresholds=[{**THRESHOLD, "identityColumns": ["hashed_email"]}]),
        orders,
    )
    assert paths(lambda: check("CUSTOM", custom(aggregationThresholds=[THRESHOLD]), orders)) == [
        f"{CUSTOM}.aggregationThresholds[0].identityColumns[0]"
    ]


def test_identity_types_come_from_a_snowflake_schema() -> None:
    table = {
        "tableReference": snowflake_reference(("person_id", "TEXT"), ("age", "NUMBER(3,0)")),
        "allowedColumns": ["person_id", "age"],
        "analysisMethod": "DIRECT_QUERY",
    }
    people = table_facts(table, account_id=OWNER, region=REGION)
    threshold = {**THRESHOLD, "identityColumns": ["person_id"]}

    check("CUSTOM", custom(aggregationThresholds=[threshold]), people)
    assert paths(
        lambda: check(
            "CUSTOM",
            custom(aggregationThresholds=[{**THRESHOLD, "identityColumns": ["age"]}]),
            people,
        )
    ) == [f"{CUSTOM}.aggregationThresholds[0].identityColumns[0]"]


# --- One rule per table, and what the table reports -------------------------------------------


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], []),
        (["CUSTOM"], ["CUSTOM"]),
        (["CUSTOM", "AGGREGATION", "CUSTOM"], ["AGGREGATION", "CUSTOM"]),
        (["LIST", "AGGREGATION"], ["AGGREGATION", "LIST"]),
    ],
)
def test_analysis_rule_types_in_model_order(existing: list[str], expected: list[str]) -> None:
    assert analysis_rule_types(existing) == expected


def test_analysis_rule_types_are_the_models() -> None:
    model = botocore.session.get_session().get_service_model("cleanrooms")

    assert list(ANALYSIS_RULE_TYPES) == model.shape_for("ConfiguredTableAnalysisRuleType").enum


def test_a_first_analysis_rule_is_accepted() -> None:
    check_single_analysis_rule("7b5f9b12-0000-4000-8000-000000000001", [], "LIST")


def _a(rule_type: str) -> str:
    """The rule type with its article, as the message writes it ("an AGGREGATION")."""
    return f"{'an' if rule_type[0] in 'AEIOU' else 'a'} {rule_type}"


@pytest.mark.parametrize(("existing", "new"), [("LIST", "LIST"), ("AGGREGATION", "CUSTOM")])
def test_a_second_analysis_rule_is_a_conflict(existing: str, new: str) -> None:
    table_id = "7b5f9b12-0000-4000-8000-000000000001"

    with pytest.raises(Conflict) as caught:
        check_single_analysis_rule(table_id, [existing], new)

    assert caught.value.code == "ConflictException"
    assert caught.value.body() == {
        "message": f"Configured table {table_id} already has {_a(existing)} analysis rule; a "
        f"configured table can have only one analysis rule. Update or delete it instead of "
        f"creating {_a(new)} rule.",
        "reason": "ALREADY_EXISTS",
        "resourceType": "CONFIGURED_TABLE",
        "resourceId": table_id,
    }


def test_policy_columns_lists_every_column_with_its_path() -> None:
    policy = custom(
        disallowedOutputColumns=["user_id"],
        aggregationThresholds=[
            {
                **THRESHOLD,
                "outputColumnThresholds": [
                    {"outputColumnName": "segment", "minimumIdentityCount": 5}
                ],
            }
        ],
        comparisonControls={
            "allowedLiteralComparisonColumns": ["campaign_id"],
            "allowedColumnComparisonColumns": ["user_id"],
        },
    )

    assert [(path, column) for _, path, column in policy_columns("CUSTOM", policy)] == [
        (f"{CUSTOM}.disallowedOutputColumns[0]", "user_id"),
        (f"{CUSTOM}.aggregationThresholds[0].identityColumns[0]", "user_id"),
        (
            f"{CUSTOM}.aggregationThresholds[0].outputColumnThresholds[0].outputColumnName",
            "segment",
        ),
        (f"{CUSTOM}.comparisonControls.allowedLiteralComparisonColumns[0]", "campaign_id"),
        (f"{CUSTOM}.comparisonControls.allowedColumnComparisonColumns[0]", "user_id"),
    ]
    assert policy_columns("LIST", policy) == []


def test_snowflake_column_types_are_the_models_supported_types() -> None:
    model = botocore.session.get_session().get_service_model("cleanrooms")
    doc = model.shape_for("SnowflakeTableSchemaV1").members["columnType"].documentation
    listed = re.search(r"Supported data types: ([A-Z_0-9, ]+)\.", re.sub(r"<[^>]+>", "", doc))

    assert listed is not None
    assert {t.strip() for t in listed.group(1).split(",")} == SNOWFLAKE_COLUMN_TYPES
