"""Reading the Glue Data Catalog behind a configured table: tables a data owner created in moto."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import OTHER, OWNER, REGION, create_glue_table, faults, glue_client
from moto.glue.models import glue_backends

from cleanrooms_mock.domain.configured_tables.glue import GlueColumn, read_glue_table
from cleanrooms_mock.domain.errors import ValidationError


def test_reads_columns_partition_keys_storage_and_parameters(glue: Any) -> None:
    create_glue_table(glue)

    table = read_glue_table(OWNER, REGION, "sales", "orders")

    assert (table.account_id, table.region, table.database, table.name) == (
        OWNER,
        REGION,
        "sales",
        "orders",
    )
    assert table.columns[:2] == (
        GlueColumn("user_id", "string"),
        GlueColumn("email", "varchar(256)"),
    )
    assert [c.name for c in table.columns] == [
        "user_id",
        "email",
        "segment",
        "amount",
        "order_count",
        "campaign_id",
    ]
    assert table.partition_keys == (GlueColumn("order_date", "date"),)
    assert [c.name for c in table.all_columns][-1] == "order_date"
    assert table.location == "s3://data/orders/"
    assert table.input_format == "org.apache.hadoop.mapred.TextInputFormat"
    assert table.serde_library == "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
    assert table.serde_parameters == {"field.delim": ","}
    assert table.parameters == {"classification": "csv", "skip.header.line.count": "1"}
    assert table.classification == "csv"
    assert table.skip_header_line_count == 1
    assert table.table_type == "EXTERNAL_TABLE"


def test_column_comments_are_kept(glue: Any) -> None:
    glue.create_database(DatabaseInput={"Name": "crm"})
    glue.create_table(
        DatabaseName="crm",
        TableInput={
            "Name": "people",
            "StorageDescriptor": {
                "Columns": [{"Name": "hashed_email", "Type": "string", "Comment": "sha256"}]
            },
        },
    )

    table = read_glue_table(OWNER, REGION, "crm", "people")

    assert table.columns == (GlueColumn("hashed_email", "string", "sha256"),)
    assert table.partition_keys == ()
    assert table.location is None
    assert table.classification is None


@pytest.mark.parametrize(
    ("parameters", "serde_parameters", "expected"),
    [
        ({"skip.header.line.count": "2"}, {}, 2),
        ({}, {"skip.header.line.count": "1"}, 1),  # the SerDe's, when the table has none
        ({"skip.header.line.count": "0"}, {"skip.header.line.count": "1"}, 0),
        ({"classification": "parquet"}, {}, 0),
        ({"skip.header.line.count": "one"}, {}, 0),
        ({"skip.header.line.count": "-3"}, {}, 0),
    ],
)
def test_header_lines_to_skip(
    glue: Any, parameters: dict[str, str], serde_parameters: dict[str, str], expected: int
) -> None:
    create_glue_table(glue, parameters=parameters, serde_parameters=serde_parameters)

    assert read_glue_table(OWNER, REGION, "sales", "orders").skip_header_line_count == expected


def test_names_match_case_insensitively_as_glue_stores_them_in_lower_case(glue: Any) -> None:
    create_glue_table(glue, database="Sales_DB", table="Orders", columns=[("UserId", "string")])

    table = read_glue_table(OWNER, REGION, "sales_db", "orders")

    assert (table.database, table.name) == ("Sales_DB", "Orders")
    assert table.column("userid") == GlueColumn("UserId", "string")
    assert table.column("USERID") == GlueColumn("UserId", "string")
    assert table.column("order_date") == GlueColumn("order_date", "date")
    assert table.column("email") is None


def test_exact_names_win_over_case_insensitive_matches(glue: Any) -> None:
    create_glue_table(glue, table="Orders", columns=[("a", "string")])
    create_glue_table(glue, table="orders", columns=[("b", "string")])

    assert read_glue_table(OWNER, REGION, "sales", "Orders").columns == (GlueColumn("a", "string"),)
    assert read_glue_table(OWNER, REGION, "sales", "orders").columns == (GlueColumn("b", "string"),)


def test_the_current_version_of_an_updated_table_is_read(glue: Any) -> None:
    create_glue_table(glue)
    glue.update_table(
        DatabaseName="sales",
        TableInput={
            "Name": "orders",
            "StorageDescriptor": {"Columns": [{"Name": "user_id", "Type": "string"}]},
        },
    )

    assert read_glue_table(OWNER, REGION, "sales", "orders").columns == (
        GlueColumn("user_id", "string"),
    )


def test_missing_database_names_the_database_field(glue: Any) -> None:
    create_glue_table(glue)

    assert faults(lambda: read_glue_table(OWNER, REGION, "marketing", "orders")) == [
        (
            "tableReference.glue.databaseName",
            f"Database marketing not found in the Glue Data Catalog of account {OWNER} in "
            f"{REGION}. Create it (Glue CreateDatabase) before configuring a table on it.",
        )
    ]


@pytest.mark.parametrize("table", ["order", "orders_v2", "sales"])
def test_missing_table_names_the_table_field(glue: Any, table: str) -> None:
    create_glue_table(glue)

    assert faults(lambda: read_glue_table(OWNER, REGION, "sales", table)) == [
        (
            "tableReference.glue.tableName",
            f"Table sales.{table} not found in the Glue Data Catalog of account {OWNER} in "
            f"{REGION}. Create it (Glue CreateTable) before configuring it.",
        )
    ]


def test_the_message_renders_like_a_constraint_failure(glue: Any) -> None:
    create_glue_table(glue)

    with pytest.raises(ValidationError) as caught:
        read_glue_table(OWNER, REGION, "sales", "refunds")

    assert str(caught.value).startswith(
        "1 validation error detected: Value 'refunds' at 'tableReference.glue.tableName' "
        "failed to satisfy constraint: Table sales.refunds not found"
    )


def test_athena_references_name_their_own_fields(glue: Any) -> None:
    create_glue_table(glue)

    assert [
        p
        for p, _ in faults(
            lambda: read_glue_table(OWNER, REGION, "x", "orders", reference="athena")
        )
    ] == ["tableReference.athena.databaseName"]
    assert [
        p
        for p, _ in faults(lambda: read_glue_table(OWNER, REGION, "sales", "x", reference="athena"))
    ] == ["tableReference.athena.tableName"]


def test_another_accounts_catalog_is_not_the_callers(glue: Any) -> None:
    create_glue_table(glue_client(OTHER), table="visits")

    assert read_glue_table(OTHER, REGION, "sales", "visits").account_id == OTHER
    assert [p for p, _ in faults(lambda: read_glue_table(OWNER, REGION, "sales", "visits"))] == [
        "tableReference.glue.databaseName"
    ]


def test_a_table_is_read_in_its_own_region_only(glue: Any) -> None:
    create_glue_table(glue_client(region="us-west-2"))

    assert read_glue_table(OWNER, "us-west-2", "sales", "orders").region == "us-west-2"
    assert [p for p, _ in faults(lambda: read_glue_table(OWNER, REGION, "sales", "orders"))] == [
        "tableReference.glue.databaseName"
    ]


def test_reading_creates_no_glue_backend(glue: Any) -> None:
    before = {account: set(regions) for account, regions in glue_backends.items()}

    faults(lambda: read_glue_table("999999999999", "eu-west-3", "sales", "orders"))
    faults(lambda: read_glue_table(OWNER, "ap-south-2", "sales", "orders"))

    assert {account: set(regions) for account, regions in glue_backends.items()} == before
