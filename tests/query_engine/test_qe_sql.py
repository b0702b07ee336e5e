"""SQL in each dialect: what parses, which tables a query names, template parameters, results.

Spark SQL (the SPARK engine) and Redshift-like SQL (the legacy CLEAN_ROOMS_SQL engine) differ
where users notice: a double-quoted name is a string in Spark and a column in Redshift.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

import duckdb
import pytest
from qe_support import query, refusal, table_of_bytes

from cleanrooms_mock.query_engine import (
    BadParameterValue,
    MalformedQuery,
    MissingParameter,
    ParameterError,
    UnknownParameter,
    bind_parameters,
    referenced_tables,
    result_key,
    run,
    write_result,
)
from cleanrooms_mock.query_engine.outcome import Runner

USERS = table_of_bytes(
    "users",
    [("email", "string"), ("age", "int"), ("city", "string")],
    {"u.csv": b"a@x,31,Paris\nb@x,40,Lyon\nc@x,31,Paris\n"},
)
ORDERS = table_of_bytes(
    "orders",
    [("email", "string"), ("amount", "double")],
    {"o.csv": b"a@x,10.0\na@x,5.5\nb@x,2.0\n"},
)


# ---- malformed SQL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "SELEC email FROM users",
        "SELECT email FROM users WHERE",
        "SELECT * FROM users WHERE age >",
        "SELECT (email FROM users",
        "SELECT 'unterminated FROM users",
    ],
)
@pytest.mark.parametrize("dialect", ["spark", "redshift"])
def test_sql_that_does_not_parse_fails_as_a_malformed_query(sql: str, dialect: str) -> None:
    assert refusal(sql, USERS, dialect=dialect).startswith("Syntax error")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT 1; SELECT 2", "this text has 2"),
        ("DROP TABLE users", "not DROP statements"),
        ("DELETE FROM users", "not DELETE statements"),
        ("INSERT INTO users VALUES ('x', 1, 'y')", "not INSERT statements"),
        ("", "this text has 0"),
    ],
)
def test_only_one_select_statement_runs(sql: str, message: str) -> None:
    assert message in refusal(sql, USERS)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT email FROM customers",
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `customers` cannot be found.",
        ),
        ("SELECT u.email FROM users u JOIN payments p ON u.email = p.email", "payments"),
        (
            "SELECT email FROM other_db.users",
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `other_db`.`users` cannot be found.",
        ),
    ],
)
def test_a_table_that_is_not_given_fails_the_query(sql: str, message: str) -> None:
    assert message in refusal(sql, USERS, ORDERS)


@pytest.mark.parametrize(
    ("sql", "column"),
    [
        ("SELECT nope FROM users", "`nope`"),
        ("SELECT email FROM users WHERE ssn = '1'", "`ssn`"),
        ("SELECT u.x FROM users u", "x"),
    ],
)
def test_a_column_the_table_does_not_show_fails_the_query(sql: str, column: str) -> None:
    assert column in refusal(sql, USERS)


def test_a_query_error_duckdb_finds_fails_as_a_malformed_query() -> None:
    assert refusal("SELECT email + 1 FROM users", USERS)


def test_an_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="dialect must be one of"):
        run("SELECT 1", dialect="postgres", tables=[], runner=Runner("1"))


# ---- dialects --------------------------------------------------------------------------------


def test_double_quotes_are_a_string_in_spark_and_a_name_in_redshift() -> None:
    sql = 'SELECT "city" AS c FROM users WHERE age = 40'

    assert query(sql, USERS, dialect="spark").rows == (("city",),)
    assert query(sql, USERS, dialect="redshift").rows == (("Lyon",),)
    assert query("SELECT `city` AS c FROM users WHERE age = 40", USERS).rows == (("Lyon",),)


def test_each_dialect_s_functions_run() -> None:
    spark = "SELECT concat_ws('-', city, CAST(age AS STRING)) AS k FROM users WHERE age = 40"
    redshift = "SELECT city || '-' || age::varchar AS k FROM users WHERE age = 40"

    assert query(spark, USERS, dialect="spark").rows == (("Lyon-40",),)
    assert query(redshift, USERS, dialect="redshift").rows == (("Lyon-40",),)


def test_joins_ctes_subqueries_and_windows_run() -> None:
    sql = """
        WITH spend AS (SELECT email, SUM(amount) AS total FROM orders GROUP BY email)
        SELECT u.city, s.total, RANK() OVER (ORDER BY s.total DESC) AS r
        FROM users u JOIN spend s ON u.email = s.email
        WHERE u.age IN (SELECT age FROM users WHERE city = 'Paris' OR city = 'Lyon')
        ORDER BY r
    """

    assert query(sql, USERS, ORDERS).records() == [
        {"city": "Paris", "total": 15.5, "r": 1},
        {"city": "Lyon", "total": 2.0, "r": 2},
    ]


# ---- referenced tables -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ("SELECT * FROM users", ["users"]),
        ("SELECT u.a FROM Users AS u JOIN orders o ON u.a = o.a", ["users", "orders"]),
        (
            "WITH x AS (SELECT * FROM users) SELECT * FROM x JOIN orders ON 1 = 1",
            ["users", "orders"],
        ),
        (
            "SELECT * FROM (SELECT a FROM users) t WHERE a IN (SELECT a FROM orders)",
            ["users", "orders"],
        ),
        ("WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b", []),
        ("SELECT * FROM users UNION ALL SELECT * FROM users", ["users"]),
        ("SELECT * FROM users WHERE x = :p", ["users"]),
        (
            "SELECT /*+ BROADCAST(o) */ * FROM users u JOIN orders o ON u.a = o.a",
            ["users", "orders"],
        ),
    ],
)
def test_referenced_tables_are_the_tables_named_without_ctes(sql: str, tables: list[str]) -> None:
    assert referenced_tables(sql, "spark") == tables


def test_referenced_tables_refuses_sql_that_does_not_parse() -> None:
    with pytest.raises(MalformedQuery, match="Syntax error"):
        referenced_tables("SELECT FROM WHERE", "redshift")


# ---- template parameters ---------------------------------------------------------------------

TEMPLATE = "SELECT email FROM users WHERE age >= :min_age AND city = :city"
DECLARED = [
    {"name": "min_age", "type": "INTEGER", "defaultValue": "35"},
    {"name": "city", "type": "VARCHAR"},
]


def test_parameters_become_literals_of_their_type() -> None:
    sql = bind_parameters(TEMPLATE, "spark", DECLARED, {"city": "Paris"})

    assert sql == "SELECT email FROM users WHERE age >= 35 AND city = 'Paris'"
    assert query(sql, USERS).rows == ()
    assert query(
        bind_parameters(TEMPLATE, "spark", DECLARED, {"min_age": "30", "city": "Paris"}), USERS
    ).rows == (
        ("a@x",),
        ("c@x",),
    )


def test_a_string_parameter_cannot_inject_sql() -> None:
    sql = bind_parameters(TEMPLATE, "spark", DECLARED, {"city": "x' OR '1'='1"})

    assert query(sql, USERS).rows == ()


@pytest.mark.parametrize(
    ("kind", "value", "literal"),
    [
        ("SMALLINT", "-7", "-7"),
        ("BIGINT", "9000000000", "9000000000"),
        ("DECIMAL", "12.50", "12.50"),
        ("DOUBLE_PRECISION", "1e3", "1e3"),
        ("BOOLEAN", "TRUE", "TRUE"),
        ("STRING", "it's", "'it\\'s'"),
        ("DATE", "2024-01-31", "CAST('2024-01-31' AS DATE)"),
        ("TIMESTAMP", "2024-01-31 10:00:00", "CAST('2024-01-31 10:00:00' AS TIMESTAMP)"),
    ],
)
def test_each_parameter_type_takes_its_literals(kind: str, value: str, literal: str) -> None:
    sql = bind_parameters("SELECT :p AS v", "spark", [{"name": "p", "type": kind}], {"p": value})

    assert sql == f"SELECT {literal} AS v"


def test_a_parameter_without_value_or_default_is_missing() -> None:
    for values in (None, {}, {"min_age": "3"}):
        with pytest.raises(MissingParameter, match="Parameter city has no value"):
            bind_parameters(TEMPLATE, "spark", DECLARED, values)
    with pytest.raises(MissingParameter, match="declare it"):
        bind_parameters("SELECT :undeclared", "spark", [], {})


def test_a_value_for_an_undeclared_parameter_is_unknown() -> None:
    for values in ({"city": "x", "max_age": "3"}, {"City": "x"}, {"": "x"}):
        with pytest.raises(UnknownParameter, match="not declared by the analysis template"):
            bind_parameters(TEMPLATE, "spark", DECLARED, values)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("INTEGER", "3.5"),
        ("INTEGER", "3000000000"),
        ("TINYINT", "200"),
        ("INT", "abc"),
        ("DECIMAL", "twelve"),
        ("DOUBLE", "nan"),
        ("BOOLEAN", "yes"),
        ("DATE", "31/01/2024"),
        ("TIMESTAMP", "yesterday"),
        ("NOT_A_TYPE", "1"),
    ],
)
def test_a_value_that_does_not_fit_its_type_is_refused(kind: str, value: str) -> None:
    declared = [{"name": "p", "type": kind}]
    with pytest.raises(BadParameterValue, match=f"Parameter p of type {kind}"):
        bind_parameters("SELECT :p", "spark", declared, {"p": value})


def test_a_bad_default_is_refused_even_when_unused_and_every_error_is_a_value_error() -> None:
    declared = [{"name": "p", "type": "INTEGER", "defaultValue": "x"}]
    with pytest.raises(ParameterError):
        bind_parameters("SELECT 1", "spark", declared, {})
    assert issubclass(ParameterError, ValueError)


# ---- results ---------------------------------------------------------------------------------


def test_a_result_is_one_csv_file_with_a_header_row() -> None:
    outcome = query("SELECT city, COUNT(*) AS n FROM users GROUP BY city ORDER BY city", USERS)

    files = write_result(outcome, "CSV", single_file=True)

    assert [name for name, _ in files] == ["result.csv"]
    assert list(csv.reader(io.StringIO(files[0][1].decode()))) == [
        ["city", "n"],
        ["Lyon", "1"],
        ["Paris", "2"],
    ]
    assert [name for name, _ in write_result(outcome, "CSV", single_file=False)] == [
        "part-00000.csv"
    ]


def test_a_parquet_result_keeps_the_column_types(tmp_path: Any) -> None:
    outcome = query("SELECT city, SUM(age) AS total FROM users GROUP BY city ORDER BY city", USERS)

    [(name, body)] = write_result(outcome, "PARQUET", single_file=True)
    path = tmp_path / name
    path.write_bytes(body)

    assert name == "result.parquet"
    read = duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY city")
    assert read.fetchall() == [("Lyon", 40), ("Paris", 62)]
    assert [str(t) for t in read.types] == ["VARCHAR", "BIGINT"]


@pytest.mark.parametrize(
    ("projection", "spark", "redshift"),
    [
        ("COUNT(*)", "count(1)", "count"),
        ("count(DISTINCT city)", "count(DISTINCT city)", "count"),
        ("SUM(age)", "sum(age)", "sum"),
        ("upper(MAX(city))", "upper(max(city))", "upper"),
        ("1", "1", "?column?"),
        ("'x'", "x", "?column?"),
        ("MAX(age) + 1", "(max(age) + 1)", "?column?"),
        ("MAX(age) * 2 - 1", "((max(age) * 2) - 1)", "?column?"),
        ("CAST(MAX(age) AS STRING)", "CAST(max(age) AS STRING)", "max"),
        (
            "CASE WHEN MAX(age) > 30 THEN 1 ELSE 0 END",
            "CASE WHEN (max(age) > 30) THEN 1 ELSE 0 END",
            "case",
        ),
        ("coalesce(MAX(city), 'none')", "coalesce(max(city), none)", "coalesce"),
        ("users.city", "city", "city"),
    ],
)
def test_unaliased_output_columns_take_each_engines_name(
    projection: str, spark: str, redshift: str
) -> None:
    sql = f"SELECT {projection} FROM users GROUP BY city ORDER BY 1 LIMIT 1"

    assert [n for n, _ in query(sql, USERS).columns] == [spark]
    assert [
        n for n, _ in query(sql.replace("STRING", "VARCHAR"), USERS, dialect="redshift").columns
    ] == [redshift]


def test_output_names_reach_the_result_file_and_name_derived_columns() -> None:
    grouped = query(
        "SELECT city, COUNT(*), upper(city) FROM users GROUP BY city ORDER BY city", USERS
    )
    nested = "SELECT `count(1)` AS n FROM (SELECT COUNT(*) FROM users) t"

    assert (
        write_result(grouped, "CSV")[0][1].decode().splitlines()[0] == "city,count(1),upper(city)"
    )
    assert query(nested, USERS).rows == ((3,),)
    assert query(
        'SELECT "count" AS n FROM (SELECT COUNT(*) FROM users) t', USERS, dialect="redshift"
    ).rows == ((3,),)


def test_an_empty_result_is_still_a_file_with_its_header() -> None:
    outcome = query("SELECT city FROM users WHERE age > 100", USERS)

    assert write_result(outcome, "CSV") == [("result.csv", b"city\n")]


def test_a_failed_query_or_an_unknown_format_has_no_result() -> None:
    with pytest.raises(ValueError, match="no result"):
        write_result(query("SELECT nope FROM users", USERS))
    with pytest.raises(ValueError, match="result_format must be one of"):
        write_result(query("SELECT city FROM users", USERS), "JSON")


@pytest.mark.parametrize(
    ("prefix", "key"),
    [
        ("results", "results/collaboration=c1/q1/result.csv"),
        ("a/b/", "a/b/collaboration=c1/q1/result.csv"),
        ("", "collaboration=c1/q1/result.csv"),
        (None, "collaboration=c1/q1/result.csv"),
    ],
)
def test_result_keys_follow_the_layout_aws_writes(prefix: str | None, key: str) -> None:
    assert result_key(prefix, "c1", "q1", "result.csv") == key


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT city, COUNT(*) AS n FROM users GROUP BY city ORDER BY city",
        "SELECT u.email, o.amount, NULL AS nothing FROM users u JOIN orders o "
        "ON u.email = o.email ORDER BY o.amount",
        "SELECT city FROM users WHERE age > 100",
    ],
)
def test_an_outcome_without_its_csv_gets_the_same_csv_made_from_its_parquet(sql: str) -> None:
    outcome = query(sql, USERS, ORDERS)
    without_csv = dataclasses.replace(outcome, csv=b"")

    made = write_result(without_csv, "CSV", single_file=False)

    assert made == write_result(outcome, "CSV", single_file=False)
    assert made[0][1].decode().splitlines()[0] == ",".join(name for name, _ in outcome.columns)
