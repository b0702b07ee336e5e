"""UpdateConfiguredTable: every updatable member, under the checks of creation, keeping the
table's analysis rule valid; a refused update changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import (
    OTHER,
    configure,
    configure_with_rule,
    create_glue_table,
    not_found,
    over_quota,
    refused_fields,
    snowflake_reference,
    threshold_policy,
)
from helpers import client

from cleanrooms_mock import mock_cleanrooms


def get(owner: Any, table: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = owner.get_configured_table(configuredTableIdentifier=table["id"])[
        "configuredTable"
    ]
    return found


def update(owner: Any, table: dict[str, Any], **changes: Any) -> dict[str, Any]:
    updated: dict[str, Any] = owner.update_configured_table(
        configuredTableIdentifier=table["id"], **changes
    )["configuredTable"]
    return updated


def test_name_and_description(owner: Any) -> None:
    table = configure(owner)

    updated = update(owner, table, name="orders 2025", description="the year's orders")

    assert (updated["name"], updated["description"]) == ("orders 2025", "the year's orders")
    assert updated["createTime"] == table["createTime"]
    assert updated["updateTime"] >= table["updateTime"]
    changed = ("name", "description", "updateTime")
    assert {k: v for k, v in updated.items() if k not in changed} == {
        k: v for k, v in table.items() if k not in changed
    }
    assert get(owner, table) == updated


def test_allowed_columns_are_checked_against_the_glue_table_again(owner: Any) -> None:
    table = configure(owner)

    updated = update(owner, table, allowedColumns=["user_id", "segment", "order_date"])
    assert updated["allowedColumns"] == ["user_id", "segment", "order_date"]

    assert refused_fields(
        lambda: update(owner, table, allowedColumns=["user_id", "phone"], name="renamed")
    ) == ["allowedColumns[1]"]
    assert get(owner, table) == updated  # nor was it renamed


def test_a_new_reference_must_name_a_glue_table_with_the_columns(glue: Any, owner: Any) -> None:
    create_glue_table(glue, table="refunds", columns=[("user_id", "string"), ("refund", "double")])
    table = configure(owner)

    assert refused_fields(
        lambda: update(
            owner, table, tableReference={"glue": {"databaseName": "x", "tableName": "y"}}
        )
    ) == ["tableReference.glue.databaseName"]
    assert refused_fields(
        lambda: update(
            owner, table, tableReference={"glue": {"databaseName": "sales", "tableName": "refunds"}}
        )
    ) == ["allowedColumns[1]", "allowedColumns[2]"]
    assert get(owner, table) == table

    moved = update(
        owner,
        table,
        tableReference={"glue": {"databaseName": "sales", "tableName": "refunds"}},
        allowedColumns=["user_id", "refund"],
    )
    assert moved["tableReference"]["glue"]["tableName"] == "refunds"


def test_a_table_whose_glue_table_was_dropped_can_still_be_renamed(glue: Any, owner: Any) -> None:
    table = configure(owner)
    glue.delete_table(DatabaseName="sales", Name="orders")

    assert update(owner, table, name="archived orders")["name"] == "archived orders"
    assert refused_fields(lambda: update(owner, table, allowedColumns=["user_id"])) == [
        "tableReference.glue.tableName"
    ]


def test_a_glue_column_retyped_since_blocks_no_update_that_leaves_the_catalog_alone(
    glue: Any, owner: Any
) -> None:
    table = configure(owner)
    owner.create_configured_table_analysis_rule(  # email (varchar) is the identity column
        configuredTableIdentifier=table["id"],
        analysisRuleType="CUSTOM",
        analysisRulePolicy=threshold_policy("email"),
    )
    glue.delete_table(DatabaseName="sales", Name="orders")  # email comes back as an int
    create_glue_table(glue, columns=[("user_id", "string"), ("email", "int"), ("amount", "double")])

    assert update(owner, table, name="renamed")["name"] == "renamed"
    assert update(owner, table, description="d")["description"] == "d"
    # a new allowlist reads the catalog again: the rule's identity column is no string there
    assert refused_fields(lambda: update(owner, table, allowedColumns=["user_id", "email"])) == [
        "allowedColumns"
    ]


def test_analysis_methods(owner: Any) -> None:
    table = configure(owner)

    both = update(
        owner,
        table,
        analysisMethod="MULTIPLE",
        selectedAnalysisMethods=["DIRECT_QUERY", "DIRECT_JOB"],
    )
    assert both["selectedAnalysisMethods"] == ["DIRECT_QUERY", "DIRECT_JOB"]
    assert refused_fields(
        lambda: update(owner, table, selectedAnalysisMethods=["DIRECT_QUERY"])
    ) == ["selectedAnalysisMethods"]

    jobs = update(owner, table, analysisMethod="DIRECT_JOB")
    assert jobs["analysisMethod"] == "DIRECT_JOB"
    assert "selectedAnalysisMethods" not in jobs  # only MULTIPLE carries a selection


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"allowedColumns": ["user_id", "email"]}, "allowedColumns"),
        ({"analysisMethod": "DIRECT_JOB"}, "analysisMethod"),
        (
            {
                "tableReference": snowflake_reference(
                    ("user_id", "VARCHAR"), ("email", "VARCHAR"), ("amount", "NUMBER")
                )
            },
            "tableReference",
        ),
    ],
    ids=["drops-a-rule-column", "jobs-only", "leaves-s3"],
)
def test_an_update_that_would_break_the_analysis_rule_is_refused(
    owner: Any, changes: dict[str, Any], field: str
) -> None:
    table, _ = configure_with_rule(owner)
    before = get(owner, table)

    error_fields = refused_fields(lambda: update(owner, table, **changes))

    assert set(error_fields) == {field}
    assert get(owner, table) == before


def test_columns_per_configured_table_allowlist(owner: Any) -> None:
    table = configure(owner)
    with mock_cleanrooms(quotas={"allowed_columns_per_configured_table": 3}):
        over_quota(
            lambda: update(owner, table, allowedColumns=["user_id", "email", "amount", "segment"]),
            "Columns per configured table allowlist",
            3,
        )

    assert get(owner, table) == table


def test_only_the_owner_updates(owner: Any) -> None:
    table = configure(owner)

    not_found(
        lambda: update(client(OTHER), table, name="mine now"), table["id"], "CONFIGURED_TABLE"
    )
    assert get(owner, table) == table
