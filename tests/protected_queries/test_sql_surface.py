"""What SQL a protected query may hold, as the member who can query meets it through boto3.

No text within the model's 500,000 characters gives a 500 or blocks the membership: a query
too deep for the engine ends FAILED and stays readable. A SPARK collaboration runs only the
functions and syntax of AWS's Clean Rooms Spark SQL reference, FROM names only the
collaboration's tables, and a failure reads in Spark's words, never DuckDB's or sqlglot's.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pq_support import ADVERTISER, Room, read_result

from cleanrooms_mock.mock import client_acting_as

UNRESOLVED = "[UNRESOLVED_ROUTINE] Cannot resolve function `{}` on search path"
TOO_COMPLEX = "[FAILED_TO_PARSE_TOO_COMPLEX]"


def failed(room: Room, sql: str) -> dict[str, Any]:
    """The error of ``sql``'s query, which must end FAILED; its ListProtectedQueries row too."""
    query = room.query(sql)
    assert query["status"] == "FAILED", query
    listed = room[ADVERTISER].list_protected_queries(
        membershipIdentifier=room.memberships[ADVERTISER]
    )["protectedQueries"]
    assert {"id": query["id"], "status": "FAILED"}.items() <= next(
        q for q in listed if q["id"] == query["id"]
    ).items()
    error: dict[str, Any] = query["error"]
    return error


# ---- deep and long SQL -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT " + "(" * 2000 + "1" + ")" * 2000 + " AS x FROM customers",
        "SELECT tier FROM customers WHERE " + "NOT " * 3000 + "tier = 'gold'",
        "SELECT " + "upper(" * 1500 + "tier" + ")" * 1500 + " AS t FROM customers",
    ],
    ids=["2000 parentheses", "3000 NOTs", "1500 nested calls"],
)
def test_sql_too_deep_for_the_engine_fails_and_the_membership_stays_readable(
    room: Room, sql: str
) -> None:
    error = failed(room, sql)

    assert error["code"] == "MALFORMED_QUERY"
    assert error["message"].startswith(TOO_COMPLEX)
    assert room.query("SELECT COUNT(*) AS n FROM customers")["status"] == "SUCCESS"


def test_a_union_of_500_branches_runs(room: Room) -> None:
    def rows(query: dict[str, Any]) -> int:
        assert query["status"] == "SUCCESS", query.get("error")
        location = query["result"]["output"]["s3"]["location"]
        return len(read_result(room, ADVERTISER, location).splitlines()) - 1  # the header

    branch = "SELECT tier FROM customers"
    assert rows(room.query(" UNION ALL ".join([branch] * 501))) == 501 * rows(room.query(branch))


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT map(tier) AS m FROM customers",
        "SELECT map(tier, tier, tier) AS m FROM customers",
        "SELECT date_trunc() AS d FROM customers",
    ],
)
def test_calls_the_parser_trips_on_are_syntax_errors_at_start_and_in_templates(
    room: Room, sql: str
) -> None:
    error = failed(room, sql)

    assert error["message"] == "Syntax error: a function call has the wrong arguments"
    with pytest.raises(ClientError) as raised:
        room.template(sql)
    assert raised.value.response["Error"]["Code"] == "ValidationException"


@pytest.mark.parametrize("depth", [1000, 3000, 20000])
def test_a_template_too_deep_to_parse_is_a_validation_error(room: Room, depth: int) -> None:
    text = "SELECT " + "(" * depth + "1" + ")" * depth + " AS x FROM customers"

    with pytest.raises(ClientError) as raised:
        room.template(text)

    error = raised.value.response["Error"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Code"] == "ValidationException"
    assert TOO_COMPLEX in error["Message"]
    assert "at 'source.text'" in error["Message"]
    assert "Value null" not in error["Message"]


def test_a_long_flat_query_runs(room: Room) -> None:
    ors = " OR ".join(f"tier = 'x{n}'" for n in range(300))
    query = room.query(f"SELECT COUNT(*) AS n FROM customers WHERE {ors} OR tier = 'gold'")

    assert query["status"] == "SUCCESS", query.get("error")
    assert room.mock.query_result(query["id"]) == [{"n": 3}]


# ---- functions of the Spark SQL reference only -----------------------------------------------


@pytest.mark.parametrize(
    ("call", "name"),
    [
        ("list_value(1, 2)", "list_value"),
        ("struct_pack(a := 1)", "struct_pack"),
        ("epoch_ms(1)", "epoch_ms"),
        ("current_setting('threads')", "current_setting"),
        ("getvariable('x')", "getvariable"),
        ("range(10)", "range"),
        ("unix_timestamp(tier)", "unix_timestamp"),
        ("array_agg(tier)", None),  # Spark's other name of collect_list: runs
    ],
)
def test_a_function_outside_the_spark_reference_fails_unresolved(
    room: Room, call: str, name: str | None
) -> None:
    sql = f"SELECT {call} AS v FROM customers"
    if name is None:
        assert room.query(sql)["status"] == "SUCCESS"
        return

    error = failed(room, sql)

    assert error["code"] == "MALFORMED_QUERY"
    assert error["message"].startswith(UNRESOLVED.format(name))


@pytest.mark.parametrize(
    ("sql", "near"),
    [
        ("SELECT * EXCLUDE (email_hash) FROM customers", "EXCLUDE"),
        ("SELECT * REPLACE (upper(tier) AS tier) FROM customers", "REPLACE"),
        ("SELECT [1, 2, 3] AS l FROM customers", "["),
        (
            "SELECT c.tier FROM customers c "
            "ASOF JOIN impressions i ON c.email_hash >= i.email_hash",
            "ASOF",
        ),
    ],
)
def test_duckdb_syntax_fails_as_spark_s_parser_refuses_it(room: Room, sql: str, near: str) -> None:
    error = failed(room, sql)

    assert error == {
        "code": "MALFORMED_QUERY",
        "message": f"[PARSE_SYNTAX_ERROR] Syntax error at or near '{near}'.",
        "retry": {"retryable": False},
    }


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        ("SELECT COLUMNS('.*') FROM customers", "columns"),
        ("SELECT COLUMNS(c -> c LIKE 'email%') FROM customers", "columns"),
    ],
)
def test_columns_expressions_are_not_spark(room: Room, sql: str, name: str) -> None:
    assert failed(room, sql)["message"].startswith(UNRESOLVED.format(name))


# ---- FROM names the collaboration's tables -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("read_parquet('/tmp/x.parquet')", "`read_parquet` to a table-valued function"),
        ("read_csv('/etc/passwd')", "`read_csv` to a table-valued function"),
        ("read_json_auto('/etc/passwd')", "`read_json_auto` to a table-valued function"),
        ("unnest(array(1, 2))", "to a table-valued function"),
        ("generate_series(1, 3)", "to a table-valued function"),
        (
            "'/etc/passwd'",
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `/etc/passwd` cannot be found.",
        ),
        (
            "parquet.`/tmp/x.parquet`",
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `parquet./tmp/x.parquet` cannot be found.",
        ),
    ],
)
def test_from_reads_only_the_collaboration_s_tables(room: Room, source: str, says: str) -> None:
    error = failed(room, f"SELECT * FROM {source}")

    assert error["code"] == "MALFORMED_QUERY"
    assert says in error["message"]


# ---- Spark's semantics -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("date_add(to_date('2026-01-31'), 1)", "2026-02-01"),
        ("substring('gorilla', 0, 2)", "go"),
        ("substring('gorilla', 1, 2)", "go"),
        ("substring('gorilla', -3, 2)", "ll"),
        ("percentile_approx(spend, 0.5)", "1.5"),
        ("approx_percentile(spend, 0.3)", "1.0"),
        ("percentile(spend, 0.5)", "1.75"),
    ],
)
def test_functions_return_what_spark_returns(room: Room, expression: str, value: str) -> None:
    query = room.query(f"SELECT {expression} AS v FROM impressions GROUP BY 1 = 1")

    assert query["status"] == "SUCCESS", query.get("error")
    assert [str(row["v"]) for row in room.mock.query_result(query["id"])][:1] == [value]


# ---- messages in Spark's words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT tier FROM customers c1 JOIN customers c2 ON c1.email_hash = c2.email_hash",
            "[AMBIGUOUS_REFERENCE] Reference `tier` is ambiguous, could be: "
            "[`c1`.`tier`, `c2`.`tier`].",
        ),
        (
            "SELECT email_hash FROM customers JOIN impressions ON 1 = 1",
            "[AMBIGUOUS_REFERENCE] Reference `email_hash` is ambiguous, could be: "
            "[`customers`.`email_hash`, `impressions`.`email_hash`].",
        ),
        (
            "SELECT lower(spend) AS l FROM impressions",
            '[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "lower(...)" due to data '
            "type mismatch: its arguments are not of the types the function takes.",
        ),
        (
            "SELECT campaign, spend FROM impressions GROUP BY campaign",
            "[MISSING_AGGREGATION] The non-aggregating expression `spend` is based on columns "
            "which are not participating in the GROUP BY clause.",
        ),
        (
            "SELECT SUM(COUNT(spend)) AS s FROM impressions",
            "[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the "
            "argument of another aggregate function.",
        ),
    ],
)
def test_engine_failures_read_in_spark_s_words(room: Room, sql: str, message: str) -> None:
    error = failed(room, sql)

    assert error["code"] == "MALFORMED_QUERY"
    assert error["message"] == message


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT tier FROM customers WHERE tier GLOB",
        "SELECT tier FROM customers WHERE",
        "SELECT CAST(tier AS) FROM customers",
        "SELECT lower(spend) AS l FROM impressions",
        "SELECT campaign, spend FROM impressions GROUP BY campaign",
        "SELECT tier FROM customers c1 JOIN customers c2 ON c1.email_hash = c2.email_hash",
    ],
)
def test_no_message_shows_the_mock_s_internals(room: Room, sql: str) -> None:
    message = failed(room, sql)["message"]

    for internal in ("<class", "sqlglot", "Binder Error", "Catalog Error", "__result", "DuckDB"):
        assert internal not in message


def test_a_deleted_glue_table_fails_the_query_without_the_fixture_s_advice(room: Room) -> None:
    table = room[ADVERTISER].get_configured_table(
        configuredTableIdentifier=room.tables["customers"]
    )["configuredTable"]
    glue = table["tableReference"]["glue"]
    client_acting_as("glue", ADVERTISER, room.mock.region).delete_table(
        DatabaseName=glue["databaseName"], Name=glue["tableName"]
    )

    error = failed(room, "SELECT tier FROM customers")

    assert error["code"] == "INVALID_RESOURCE"
    assert error["message"] == (
        "The data of table customers cannot be read: Glue table "
        f"{glue['databaseName']}.{glue['tableName']} not found"
    )


# ---- validation messages show the value given --------------------------------------------------


def test_a_parameter_refusal_shows_the_parameters_given(room: Room) -> None:
    arn = room.template(
        "SELECT tier FROM customers WHERE tier = :tier",
        [{"name": "tier", "type": "VARCHAR"}],
    )
    for parameters, shown in [
        ({"nope": "x"}, "{nope=x}"),
        ({"tier": "gold", "other": "1"}, "{tier=gold, other=1}"),
    ]:
        with pytest.raises(ClientError) as raised:
            room.start(sqlParameters={"analysisTemplateArn": arn, "parameters": parameters})

        message = raised.value.response["Error"]["Message"]
        assert f"Value '{shown}' at 'sqlParameters.parameters'" in message
        assert "Value null" not in message


@pytest.mark.parametrize(
    ("parameters", "shown"),
    [
        (None, "Value null at 'analysisParameters'"),
        ([{"name": "other", "type": "INTEGER"}], "Value '[{name=other, type=INTEGER}]'"),
    ],
)
def test_an_undeclared_placeholder_shows_the_declarations_given(
    room: Room, parameters: list[dict[str, str]] | None, shown: str
) -> None:
    with pytest.raises(ClientError) as raised:
        room.template("SELECT tier FROM customers WHERE tier = :tier AND :other = 1", parameters)

    assert shown in raised.value.response["Error"]["Message"]


def test_parameters_with_a_query_string_show_them(room: Room) -> None:
    with pytest.raises(ClientError) as raised:
        room.start(
            sqlParameters={"queryString": "SELECT tier FROM customers", "parameters": {"a": "1"}}
        )

    assert (
        "Value '{a=1}' at 'sqlParameters.parameters'" in (raised.value.response["Error"]["Message"])
    )
