"""CreateConfiguredTable, as a data owner calls it: on a Glue table it created with boto3's glue
client (inside moto's ``mock_aws``), or on a Snowflake, Athena or Databricks table."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ct_support import (
    DATABRICKS,
    GLUE_ORDERS,
    OTHER,
    OWNER,
    PROVIDER,
    REGION,
    configure,
    create_glue_table,
    glue_client,
    over_quota,
    refused_fields,
    snowflake_reference,
)
from helpers import client

from cleanrooms_mock import mock_cleanrooms

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def listed(cleanrooms: Any) -> list[dict[str, Any]]:
    summaries: list[dict[str, Any]] = cleanrooms.list_configured_tables()[
        "configuredTableSummaries"
    ]
    return summaries


# ---- accepted ---------------------------------------------------------------------------------


def test_a_data_owner_configures_its_glue_table(owner: Any) -> None:
    table = configure(owner, description="orders of 2025")

    assert UUID.fullmatch(table["id"])
    assert table["arn"] == f"arn:aws:cleanrooms:{REGION}:{OWNER}:configuredtable/{table['id']}"
    assert table["name"] == "orders"
    assert table["description"] == "orders of 2025"
    assert table["tableReference"] == GLUE_ORDERS  # as given: no region filled in
    assert table["tableType"] == "GLUE"
    assert table["analysisRuleTypes"] == []
    assert table["analysisMethod"] == "DIRECT_QUERY"
    assert table["allowedColumns"] == ["user_id", "email", "amount"]
    assert table["createTime"] == table["updateTime"]
    assert "selectedAnalysisMethods" not in table
    assert (
        owner.get_configured_table(configuredTableIdentifier=table["id"])["configuredTable"]
        == table
    )


def test_partition_keys_and_capitalised_glue_columns_can_be_allowed(glue: Any) -> None:
    create_glue_table(glue, table="Visits", columns=[("UserId", "STRING"), ("Page", "string")])
    owner = client(OWNER)

    table = configure(
        owner,
        tableReference={"glue": {"databaseName": "sales", "tableName": "visits"}},
        allowedColumns=["userid", "page", "order_date"],  # order_date: the partition key
    )

    assert table["allowedColumns"] == ["userid", "page", "order_date"]


def test_a_glue_table_in_the_region_its_reference_names(glue: Any) -> None:
    create_glue_table(glue_client(region="eu-west-1"), database="eu_sales")
    reference = {"glue": {"databaseName": "eu_sales", "tableName": "orders", "region": "eu-west-1"}}

    table = configure(client(OWNER), tableReference=reference)

    assert table["tableReference"] == reference
    assert table["arn"].startswith(f"arn:aws:cleanrooms:{REGION}:{OWNER}:")


@pytest.mark.parametrize("catalog", [{}, {"catalogName": "AwsDataCatalog"}])
def test_an_athena_table_reads_the_glue_data_catalog(owner: Any, catalog: dict[str, str]) -> None:
    reference = {
        "athena": {
            "workGroup": "primary",
            "databaseName": "sales",
            "tableName": "orders",
            **catalog,
        }
    }

    table = configure(owner, tableReference=reference, allowedColumns=["segment"])

    assert (table["tableType"], table["tableReference"]) == ("ATHENA", reference)


def test_a_snowflake_table_allows_columns_of_its_schema() -> None:
    with mock_cleanrooms():
        reference = snowflake_reference(("customer_id", "VARCHAR(64)"), ("spend", "NUMBER(38,2)"))

        table = configure(client(OWNER), tableReference=reference, allowedColumns=["spend"])

        assert (table["tableType"], table["allowedColumns"]) == ("SNOWFLAKE", ["spend"])
        assert refused_fields(
            lambda: configure(client(OWNER), tableReference=reference, allowedColumns=["tier"])
        ) == ["allowedColumns[0]"]


def test_a_databricks_table_is_taken_with_the_columns_given() -> None:
    with mock_cleanrooms():
        table = configure(client(OWNER), tableReference=DATABRICKS, allowedColumns=["visitor"])

        assert table["tableType"] == "DATABRICKS"


def test_both_analysis_methods_selected(owner: Any) -> None:
    table = configure(
        owner, analysisMethod="MULTIPLE", selectedAnalysisMethods=["DIRECT_JOB", "DIRECT_QUERY"]
    )

    assert table["selectedAnalysisMethods"] == ["DIRECT_JOB", "DIRECT_QUERY"]
    [summary] = listed(owner)
    assert (summary["analysisMethod"], summary["selectedAnalysisMethods"]) == (
        "MULTIPLE",
        ["DIRECT_JOB", "DIRECT_QUERY"],
    )


# ---- refused: the Glue table must be there ----------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "field"),
    [
        (
            {"glue": {"databaseName": "crm", "tableName": "orders"}},
            "tableReference.glue.databaseName",
        ),
        (
            {"glue": {"databaseName": "sales", "tableName": "refunds"}},
            "tableReference.glue.tableName",
        ),
        (
            {"glue": {"databaseName": "sales", "tableName": "orders", "region": "eu-west-1"}},
            "tableReference.glue.databaseName",
        ),
        (
            {"athena": {"workGroup": "primary", "databaseName": "sales", "tableName": "refunds"}},
            "tableReference.athena.tableName",
        ),
    ],
    ids=["no-database", "no-table", "other-region", "athena-no-table"],
)
def test_a_reference_to_a_missing_glue_table_is_refused(
    owner: Any, reference: dict[str, Any], field: str
) -> None:
    assert refused_fields(lambda: configure(owner, tableReference=reference)) == [field]
    assert listed(owner) == []


def test_another_accounts_glue_table_is_not_the_callers(owner: Any) -> None:
    # sales.orders exists in the owner's catalog only: the provider's own catalog is empty.
    provider = client(PROVIDER)

    assert refused_fields(lambda: configure(provider)) == ["tableReference.glue.databaseName"]
    assert listed(provider) == []


def test_the_same_names_in_two_catalogs_are_two_tables(glue: Any) -> None:
    create_glue_table(glue)
    create_glue_table(glue_client(OTHER), columns=[("user_id", "string"), ("tier", "string")])

    assert configure(client(OTHER), allowedColumns=["tier"])["allowedColumns"] == ["tier"]
    assert refused_fields(lambda: configure(client(OWNER), allowedColumns=["tier"])) == [
        "allowedColumns[0]"
    ]


def test_every_column_the_glue_table_lacks_is_named(owner: Any) -> None:
    error_fields = refused_fields(
        lambda: configure(owner, allowedColumns=["user_id", "phone", "email", "zip"])
    )

    assert error_fields == ["allowedColumns[1]", "allowedColumns[3]"]
    assert listed(owner) == []


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"allowedColumns": ["email", "amount", "email"]}, ["allowedColumns[2]"]),
        (
            {
                "analysisMethod": "DIRECT_QUERY",
                "selectedAnalysisMethods": ["DIRECT_QUERY", "DIRECT_JOB"],
            },
            ["analysisMethod"],
        ),
        (
            {"analysisMethod": "MULTIPLE", "selectedAnalysisMethods": ["DIRECT_JOB"]},
            ["selectedAnalysisMethods"],
        ),
    ],
    ids=["repeated-column", "selection-without-multiple", "one-method-selected"],
)
def test_inputs_the_model_cannot_refuse_are_refused(
    owner: Any, overrides: dict[str, Any], fields: list[str]
) -> None:
    assert refused_fields(lambda: configure(owner, **overrides)) == fields
    assert listed(owner) == []


# ---- quotas -----------------------------------------------------------------------------------


def test_configured_tables_per_account(owner: Any) -> None:
    with mock_cleanrooms(quotas={"configured_tables_per_account": 2}):
        first = configure(owner, name="first")
        configure(owner, name="second")

        over_quota(lambda: configure(owner, name="third"), "Configured tables per account", 2)

        assert [t["name"] for t in listed(owner)] == ["first", "second"]
        create_glue_table(glue_client(OTHER))
        assert configure(client(OTHER))["name"] == "orders"  # per account
        owner.delete_configured_table(configuredTableIdentifier=first["id"])
        assert configure(owner, name="third")["name"] == "third"  # a deleted one frees its place


@pytest.mark.parametrize("quota", [None, 3])
def test_columns_per_configured_table_allowlist(glue: Any, quota: int | None) -> None:
    limit = quota or 100
    create_glue_table(glue, columns=[(f"c{i:03}", "string") for i in range(limit + 1)])
    columns = [f"c{i:03}" for i in range(limit + 1)]
    quotas = {"allowed_columns_per_configured_table": quota} if quota else {}
    with mock_cleanrooms(quotas=quotas):
        owner = client(OWNER)

        over_quota(
            lambda: configure(owner, allowedColumns=columns),
            "Columns per configured table allowlist",
            limit,
        )

        assert configure(owner, allowedColumns=columns[:limit])["allowedColumns"] == columns[:limit]
