"""CreateConfiguredTable and UpdateConfiguredTable rules, as the data owner's inputs meet them.

Glue-backed cases create real tables in moto's Glue (the ``glue`` fixture) and let the rules read
them; Snowflake and Databricks references carry or hide their schema themselves.
"""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import (
    DATABRICKS,
    OWNER,
    REGION,
    create_glue_table,
    faults,
    glue_client,
    paths,
    snowflake_reference,
    threshold_policy,
)

from cleanrooms_mock.domain.configured_tables.rules import (
    check_configured_table,
    check_configured_table_update,
    merge_configured_table_update,
    table_facts,
    table_type,
)

GLUE = {"glue": {"databaseName": "sales", "tableName": "orders"}}
SNOWFLAKE = snowflake_reference(
    ("customer_id", "VARCHAR(64)"),
    ("tier", "TEXT"),
    ("spend", "NUMBER(38,2)"),
    ("joined", "TIMESTAMP_NTZ"),
)


def table(reference: Any = None, **overrides: Any) -> dict[str, Any]:
    """CreateConfiguredTable's input for the data owner's ``sales.orders`` Glue table."""
    inputs: dict[str, Any] = {
        "name": "orders",
        "tableReference": GLUE if reference is None else reference,
        "allowedColumns": ["user_id", "email", "amount"],
        "analysisMethod": "DIRECT_QUERY",
    }
    inputs.update(overrides)
    return inputs


def check(inputs: dict[str, Any], **options: Any) -> Any:
    return check_configured_table(inputs, account_id=OWNER, region=REGION, **options)


# --- Accepted ---------------------------------------------------------------------------------


def test_a_glue_table_with_some_of_its_columns(glue: Any) -> None:
    create_glue_table(glue)

    facts = check(table())

    assert facts.table_type == "GLUE"
    assert facts.analysis_method == "DIRECT_QUERY"
    assert facts.allowed_columns == ("user_id", "email", "amount")
    assert facts.data_in_s3
    assert facts.glue_table is not None
    assert facts.glue_table.location == "s3://data/orders/"
    assert facts.column_types is not None
    assert facts.column_types["email"] == "varchar(256)"


def test_partition_keys_are_columns_too(glue: Any) -> None:
    create_glue_table(glue)

    facts = check(table(allowedColumns=["order_date", "user_id"]))

    assert facts.column_types is not None
    assert facts.column_types["order_date"] == "date"


def test_glue_column_names_in_capitals_match_lower_case_allowed_columns(glue: Any) -> None:
    create_glue_table(glue, table="Orders", columns=[("UserId", "STRING"), ("Amount", "double")])

    facts = check(table(allowedColumns=["userid", "amount"]))

    assert facts.column_types is not None
    assert facts.column_types["userid"] == "STRING"


def test_a_glue_table_in_the_region_the_reference_names(glue: Any) -> None:
    create_glue_table(glue_client(region="eu-west-1"))
    reference = {"glue": {"databaseName": "sales", "tableName": "orders", "region": "eu-west-1"}}

    facts = check(table(reference))

    assert facts.glue_table is not None
    assert facts.glue_table.region == "eu-west-1"


@pytest.mark.parametrize("catalog", [None, "AwsDataCatalog", "awsdatacatalog"])
def test_an_athena_table_of_the_glue_data_catalog(glue: Any, catalog: str | None) -> None:
    create_glue_table(glue)
    reference: dict[str, Any] = {
        "workGroup": "primary",
        "databaseName": "sales",
        "tableName": "orders",
    }
    if catalog is not None:
        reference["catalogName"] = catalog

    facts = check(table({"athena": reference}, allowedColumns=["user_id"]))

    assert facts.table_type == "ATHENA"
    assert not facts.data_in_s3
    assert facts.glue_table is not None


def test_an_athena_table_of_another_catalog_is_not_read(glue: Any) -> None:
    reference = {
        "athena": {
            "workGroup": "primary",
            "catalogName": "dynamodb_catalog",
            "databaseName": "default",
            "tableName": "visits",
        }
    }

    facts = check(table(reference, allowedColumns=["anything"]))

    assert (facts.table_type, facts.column_types, facts.glue_table) == ("ATHENA", None, None)


def test_a_snowflake_table_with_columns_of_its_schema() -> None:
    facts = check(table(SNOWFLAKE, allowedColumns=["customer_id", "spend"]))

    assert facts.table_type == "SNOWFLAKE"
    assert facts.column_types == {
        "customer_id": "VARCHAR(64)",
        "tier": "TEXT",
        "spend": "NUMBER(38,2)",
        "joined": "TIMESTAMP_NTZ",
    }


@pytest.mark.parametrize(
    "column_type",
    ["varchar", "VARCHAR(16777216)", "double precision", "NUMBER(38, 0)", "ARRAY", " int "],
)
def test_snowflake_types_are_read_without_their_parameters(column_type: str) -> None:
    reference = snowflake_reference(("c", column_type))

    assert check(table(reference, allowedColumns=["c"])).column_types == {"c": column_type}


def test_a_databricks_table_keeps_its_columns_to_itself() -> None:
    facts = check(table(DATABRICKS, allowedColumns=["visitor", "page"]))

    assert (facts.table_type, facts.column_types) == ("DATABRICKS", None)


@pytest.mark.parametrize(
    ("method", "selected"),
    [
        ("DIRECT_QUERY", None),
        ("DIRECT_JOB", None),
        ("MULTIPLE", None),
        ("MULTIPLE", ["DIRECT_QUERY", "DIRECT_JOB"]),
        ("MULTIPLE", ["DIRECT_JOB", "DIRECT_QUERY"]),
    ],
)
def test_analysis_methods(glue: Any, method: str, selected: list[str] | None) -> None:
    create_glue_table(glue)
    extra = {} if selected is None else {"selectedAnalysisMethods": selected}

    assert check(table(analysisMethod=method, **extra)).analysis_method == method


def test_without_catalog_checks_a_missing_glue_table_is_accepted() -> None:
    facts = check(table(allowedColumns=["whatever"]), verify_catalog=False)

    assert (facts.table_type, facts.column_types, facts.glue_table) == ("GLUE", None, None)


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (GLUE, "GLUE"),
        (SNOWFLAKE, "SNOWFLAKE"),
        (DATABRICKS, "DATABRICKS"),
        ({"athena": {}}, "ATHENA"),
    ],
)
def test_table_type_is_the_reference_member(reference: dict[str, Any], expected: str) -> None:
    assert table_type(reference) == expected


# --- Refused ----------------------------------------------------------------------------------


def test_a_missing_glue_table_is_refused(glue: Any) -> None:
    create_glue_table(glue, table="refunds")

    assert faults(lambda: check(table())) == [
        (
            "tableReference.glue.tableName",
            f"Table sales.orders not found in the Glue Data Catalog of account {OWNER} in "
            f"{REGION}. Create it (Glue CreateTable) before configuring it.",
        )
    ]


def test_a_missing_glue_database_is_refused(glue: Any) -> None:
    assert paths(lambda: check(table())) == ["tableReference.glue.databaseName"]


def test_a_glue_table_of_another_region_needs_the_region_named(glue: Any) -> None:
    create_glue_table(glue_client(region="eu-west-1"))

    assert paths(lambda: check(table())) == ["tableReference.glue.databaseName"]


def test_a_missing_athena_table_names_the_athena_field(glue: Any) -> None:
    create_glue_table(glue)
    reference = {"athena": {"workGroup": "primary", "databaseName": "sales", "tableName": "x"}}

    assert paths(lambda: check(table(reference))) == ["tableReference.athena.tableName"]


def test_columns_the_glue_table_lacks_are_each_named(glue: Any) -> None:
    create_glue_table(glue)

    assert faults(lambda: check(table(allowedColumns=["user_id", "phone", "email", "zip"]))) == [
        (
            "allowedColumns[1]",
            "Column phone is not a column of Glue table sales.orders; its columns are: "
            "user_id, email, segment, amount, order_count, campaign_id, order_date.",
        ),
        (
            "allowedColumns[3]",
            "Column zip is not a column of Glue table sales.orders; its columns are: "
            "user_id, email, segment, amount, order_count, campaign_id, order_date.",
        ),
    ]


def test_a_long_column_list_is_shortened_in_messages(glue: Any) -> None:
    create_glue_table(glue, columns=[(f"c{i:02}", "string") for i in range(30)])

    [(path, message)] = faults(lambda: check(table(allowedColumns=["nope"])))

    assert path == "allowedColumns[0]"
    assert message.endswith("c18, c19 and 11 more.")


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["user_id", "user_id"], ["allowedColumns[1]"]),
        (
            ["email", "user_id", "amount", "email", "email"],
            ["allowedColumns[3]", "allowedColumns[4]"],
        ),
    ],
)
def test_a_column_is_allowed_once(glue: Any, columns: list[str], expected: list[str]) -> None:
    create_glue_table(glue)

    assert paths(lambda: check(table(allowedColumns=columns))) == expected


def test_duplicates_are_refused_without_catalog_checks_too() -> None:
    assert faults(lambda: check(table(allowedColumns=["a", "a"]), verify_catalog=False)) == [
        ("allowedColumns[1]", "a is already listed at allowedColumns[0]; list each value once.")
    ]


def test_snowflake_columns_must_be_in_its_table_schema() -> None:
    assert faults(lambda: check(table(SNOWFLAKE, allowedColumns=["tier", "email"]))) == [
        (
            "allowedColumns[1]",
            "Column email is not a column of the Snowflake table's schema; its columns are: "
            "customer_id, tier, spend, joined.",
        )
    ]


def test_snowflake_schema_columns_are_listed_once() -> None:
    reference = snowflake_reference(("id", "VARCHAR"), ("id", "INT"))

    assert faults(lambda: check(table(reference, allowedColumns=["id"]))) == [
        (
            "tableReference.snowflake.tableSchema.v1[1].columnName",
            "Column id is listed more than once in the table schema.",
        )
    ]


@pytest.mark.parametrize("column_type", ["VARIANT", "OBJECT", "GEOGRAPHY", "TIMESTAMP_TZ", ""])
def test_unsupported_snowflake_types_are_refused(column_type: str) -> None:
    reference = snowflake_reference(("id", "VARCHAR"), ("extra", column_type))

    [(path, message)] = faults(lambda: check(table(reference, allowedColumns=["id"])))

    assert path == "tableReference.snowflake.tableSchema.v1[1].columnType"
    assert message.startswith("Unsupported Snowflake column type; supported data types: ARRAY,")


@pytest.mark.parametrize(
    ("method", "selected", "expected"),
    [
        (
            "MULTIPLE",
            ["DIRECT_QUERY"],
            [
                (
                    "selectedAnalysisMethods",
                    "When configured, you must specify at least two analysis methods "
                    "(DIRECT_QUERY and DIRECT_JOB); leave it out to use analysisMethod alone.",
                )
            ],
        ),
        (
            "MULTIPLE",
            [],
            [
                (
                    "selectedAnalysisMethods",
                    "When configured, you must specify at least two analysis methods "
                    "(DIRECT_QUERY and DIRECT_JOB); leave it out to use analysisMethod alone.",
                )
            ],
        ),
        (
            "MULTIPLE",
            ["DIRECT_JOB", "DIRECT_JOB"],
            [
                (
                    "selectedAnalysisMethods[1]",
                    "DIRECT_JOB is already listed at selectedAnalysisMethods[0]; list each "
                    "value once.",
                ),
                (
                    "selectedAnalysisMethods",
                    "When configured, you must specify at least two analysis methods "
                    "(DIRECT_QUERY and DIRECT_JOB); leave it out to use analysisMethod alone.",
                ),
            ],
        ),
        (
            "DIRECT_QUERY",
            ["DIRECT_QUERY", "DIRECT_JOB"],
            [
                (
                    "analysisMethod",
                    "selectedAnalysisMethods selects several analysis methods, so "
                    "analysisMethod must be MULTIPLE.",
                )
            ],
        ),
    ],
)
def test_selected_analysis_methods_rules(
    glue: Any, method: str, selected: list[str], expected: list[tuple[str, str]]
) -> None:
    create_glue_table(glue)

    assert (
        faults(lambda: check(table(analysisMethod=method, selectedAnalysisMethods=selected)))
        == expected
    )


def test_every_fault_of_one_input_is_reported_together(glue: Any) -> None:
    create_glue_table(glue)
    inputs = table(
        allowedColumns=["user_id", "phone", "user_id"],
        analysisMethod="DIRECT_JOB",
        selectedAnalysisMethods=["DIRECT_QUERY", "DIRECT_JOB"],
    )

    assert paths(lambda: check(inputs)) == [
        "allowedColumns[2]",
        "allowedColumns[1]",
        "analysisMethod",
    ]


# --- Stored tables and updates ----------------------------------------------------------------


def test_facts_of_a_stored_table_whose_glue_table_is_gone(glue: Any) -> None:
    stored = table()

    facts = table_facts(stored, account_id=OWNER, region=REGION)

    assert (facts.table_type, facts.column_types, facts.glue_table) == ("GLUE", None, None)


def test_facts_of_a_stored_table_read_its_glue_types(glue: Any) -> None:
    create_glue_table(glue)

    facts = table_facts(table(), account_id=OWNER, region=REGION)

    assert facts.column_types is not None
    assert facts.column_types["user_id"] == "string"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": "orders v2"}, {"name": "orders v2"}),
        ({"description": "all orders"}, {"description": "all orders"}),
        ({"configuredTableIdentifier": "x" * 36, "name": "n"}, {"name": "n"}),
        (
            {"analysisMethod": "DIRECT_QUERY"},
            {"analysisMethod": "DIRECT_QUERY", "selectedAnalysisMethods": None},
        ),
        (
            {"analysisMethod": "MULTIPLE"},
            {"selectedAnalysisMethods": ["DIRECT_QUERY", "DIRECT_JOB"]},
        ),
        (
            {"analysisMethod": "DIRECT_JOB", "selectedAnalysisMethods": ["DIRECT_JOB"]},
            {"analysisMethod": "DIRECT_JOB", "selectedAnalysisMethods": ["DIRECT_JOB"]},
        ),
    ],
)
def test_merging_an_update(changes: dict[str, Any], expected: dict[str, Any]) -> None:
    current = table(
        analysisMethod="MULTIPLE", selectedAnalysisMethods=["DIRECT_QUERY", "DIRECT_JOB"]
    )

    merged = merge_configured_table_update(current, changes)

    assert "configuredTableIdentifier" not in merged
    for key, value in expected.items():
        assert merged.get(key) == value
    assert current["analysisMethod"] == "MULTIPLE"  # the stored table is not changed in place


def update(current: dict[str, Any], changes: dict[str, Any], **options: Any) -> Any:
    return check_configured_table_update(
        current, changes, account_id=OWNER, region=REGION, **options
    )


LIST_RULE = (
    "LIST",
    {"v1": {"list": {"joinColumns": ["user_id"], "listColumns": ["email"]}}},
)
CUSTOM_RULE = ("CUSTOM", threshold_policy("user_id"))


def test_renaming_a_table_whose_glue_table_is_gone_is_accepted(glue: Any) -> None:
    merged, facts = update(table(), {"name": "old orders"}, analysis_rule=LIST_RULE)

    assert merged["name"] == "old orders"
    assert facts.column_types is None


def test_new_allowed_columns_are_checked_against_the_glue_table(glue: Any) -> None:
    create_glue_table(glue)

    merged, _ = update(table(), {"allowedColumns": ["user_id", "email", "segment"]})
    assert merged["allowedColumns"] == ["user_id", "email", "segment"]
    assert paths(lambda: update(table(), {"allowedColumns": ["user_id", "fax"]})) == [
        "allowedColumns[1]"
    ]


def test_a_new_reference_is_read_again(glue: Any) -> None:
    create_glue_table(glue)
    moved = {"glue": {"databaseName": "sales", "tableName": "orders_2024"}}

    assert paths(lambda: update(table(), {"tableReference": moved})) == [
        "tableReference.glue.tableName"
    ]


def test_columns_the_analysis_rule_uses_stay_allowed(glue: Any) -> None:
    create_glue_table(glue)

    assert faults(
        lambda: update(table(), {"allowedColumns": ["user_id", "amount"]}, analysis_rule=LIST_RULE)
    ) == [
        (
            "allowedColumns",
            "The configured table's LIST analysis rule would break: "
            "analysisRulePolicy.v1.list.listColumns[0]: Column email is not one of the "
            "configured table's allowedColumns (user_id, amount). Update or delete the "
            "analysis rule first.",
        )
    ]


def test_a_list_rule_keeps_the_table_on_glue() -> None:
    assert paths(
        lambda: update(
            table(),
            {"tableReference": SNOWFLAKE, "allowedColumns": ["customer_id", "tier"]},
            analysis_rule=(
                "LIST",
                {"v1": {"list": {"joinColumns": ["customer_id"], "listColumns": ["tier"]}}},
            ),
        )
    ) == ["tableReference"]


def test_a_list_rule_keeps_the_table_queryable_with_sql(glue: Any) -> None:
    create_glue_table(glue)

    [(path, message)] = faults(
        lambda: update(table(), {"analysisMethod": "DIRECT_JOB"}, analysis_rule=LIST_RULE)
    )

    assert path == "analysisMethod"
    assert "analysisMethod is DIRECT_JOB (PySpark jobs only)" in message


def test_any_query_keeps_the_table_queryable_with_sql(glue: Any) -> None:
    create_glue_table(glue)

    assert paths(
        lambda: update(table(), {"analysisMethod": "DIRECT_JOB"}, analysis_rule=CUSTOM_RULE)
    ) == ["analysisMethod"]


def test_the_identity_column_stays_a_string_in_a_new_reference(glue: Any) -> None:
    create_glue_table(glue)
    create_glue_table(glue, table="orders_v2", columns=[("user_id", "bigint"), ("email", "string")])
    moved = {"glue": {"databaseName": "sales", "tableName": "orders_v2"}}

    [(path, message)] = faults(
        lambda: update(
            table(allowedColumns=["user_id", "email"]),
            {"tableReference": moved},
            analysis_rule=CUSTOM_RULE,
        )
    )

    assert path == "tableReference"
    assert "column user_id has type bigint" in message


def test_an_update_that_keeps_the_rule_valid_is_accepted(glue: Any) -> None:
    create_glue_table(glue)

    merged, facts = update(
        table(),
        {"allowedColumns": ["user_id", "email", "campaign_id"], "analysisMethod": "MULTIPLE"},
        analysis_rule=CUSTOM_RULE,
    )

    assert merged["allowedColumns"] == ["user_id", "email", "campaign_id"]
    assert facts.analysis_method == "MULTIPLE"
