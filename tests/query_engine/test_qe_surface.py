"""The engine's SQL surface: what each dialect may call and read, and how its failures read.

A SPARK query calls only the functions of AWS's Clean Rooms Spark SQL reference; FROM names
tables in both dialects; DuckDB itself can read no file but the tables' (defence in depth);
SQL too deep to analyze fails MALFORMED_QUERY, never with a RecursionError; a table whose files
do not fit its format is named, without the mock's scratch paths or DuckDB's text.
"""

from __future__ import annotations

import os
import tempfile

import duckdb
import pytest
from qe_support import query, refusal, table_of_bytes

from cleanrooms_mock.query_engine import MalformedQuery, bind_parameters, duck, referenced_tables
from cleanrooms_mock.query_engine.spark_functions import SPARK_FUNCTION_CATEGORIES

USERS = table_of_bytes(
    "users",
    [("email", "string"), ("age", "int"), ("city", "string")],
    {"u.csv": b"a@x,31,Paris\nb@x,40,Lyon\nc@x,31,Paris\n"},
)
DEEP = "SELECT " + "(" * 3000 + "age" + ")" * 3000 + " AS a FROM users"
TOO_COMPLEX = "[FAILED_TO_PARSE_TOO_COMPLEX]"


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        ("SELECT coalesce(NULL, city) AS v FROM users WHERE age = 40", (("Lyon",),)),
        ("SELECT nvl(NULL, city) AS v FROM users WHERE age = 40", (("Lyon",),)),
        ("SELECT upper(left(city, 2)) AS v FROM users WHERE age = 40", (("LY",),)),
        ("SELECT regexp_replace(city, 'y', 'i') AS v FROM users WHERE age = 40", (("Lion",),)),
        ("SELECT length(md5(email)) AS v FROM users WHERE age = 40", ((32,),)),
        ("SELECT size(collect_set(city)) AS v FROM users", None),
        ("SELECT array_contains(array(31, 40), age) AS v FROM users WHERE age = 40", ((True,),)),
        ("SELECT round(sqrt(age), 1) AS v FROM users WHERE age = 40", ((6.3,),)),
        ("SELECT year(to_date('2026-03-01')) AS v FROM users WHERE age = 40", ((2026,),)),
    ],
)
def test_functions_of_the_spark_reference_run(
    sql: str, rows: tuple[tuple[object, ...]] | None
) -> None:
    outcome = query(sql, USERS)

    if rows is None:  # size: Spark's, not in the reference
        assert outcome.error is not None
        assert "Cannot resolve function `size`" in outcome.error.message
        return
    assert outcome.error is None, outcome.error
    assert outcome.rows == rows


def test_every_category_of_the_reference_is_listed_with_its_page() -> None:
    assert len(SPARK_FUNCTION_CATEGORIES) == 13
    for page, how, names in SPARK_FUNCTION_CATEGORIES.values():
        assert page.startswith("https://docs.aws.amazon.com/clean-rooms/latest/sql-reference/")
        assert how in ("read", "recalled")
        assert names and all(name == name.lower() for name in names)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT list_value(1, 2) AS v FROM users",
        "SELECT current_setting('threads') AS v FROM users",
        "SELECT * FROM users WHERE city = getvariable('x')",
    ],
)
def test_duckdb_s_own_functions_are_unresolved_in_spark(sql: str) -> None:
    assert refusal(sql, USERS).startswith("[UNRESOLVED_ROUTINE] Cannot resolve function `")


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("read_parquet('/tmp/x.parquet')", "read_parquet"),
        ("read_csv('/etc/passwd')", "read_csv"),
        ("generate_series(1, 3)", "generate_series"),
    ],
)
def test_the_legacy_engine_s_from_names_tables_too(source: str, name: str) -> None:
    message = refusal(f"SELECT * FROM {source}", USERS, dialect="redshift")

    assert message.startswith("Table functions are not supported in FROM: ")
    assert name in message


def test_duckdb_reads_no_host_file_whatever_sql_reaches_it() -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as secret:
        secret.write("a,b\n1,2\n")
    connection = duck.connection()
    try:
        for sql in (
            f"SELECT * FROM read_csv('{secret.name}')",
            "SELECT * FROM read_text('/etc/hostname')",
            f"COPY (SELECT 1) TO '{secret.name}.out'",
        ):
            with pytest.raises(duckdb.PermissionException):
                connection.execute(sql)
    finally:
        connection.close()
        os.unlink(secret.name)
    assert not os.path.exists(f"{secret.name}.out")


@pytest.mark.parametrize("dialect", ["spark", "redshift"])
@pytest.mark.parametrize(
    "sql",
    [
        DEEP,
        "SELECT age FROM users WHERE " + "NOT " * 3000 + "age = 1",
    ],
    ids=["parentheses", "negations"],
)
def test_sql_too_deep_fails_malformed_never_raises(sql: str, dialect: str) -> None:
    assert refusal(sql, USERS, dialect=dialect).startswith(TOO_COMPLEX)


@pytest.mark.parametrize("dialect", ["spark", "redshift"])
def test_a_union_of_hundreds_of_branches_runs(dialect: str) -> None:
    sql = "SELECT age FROM users" + " UNION ALL SELECT age FROM users" * 600

    outcome = query(sql, USERS, dialect=dialect)

    assert outcome.error is None
    assert len(outcome.rows) == 601 * len(query("SELECT age FROM users", USERS).rows)


def test_parsing_too_deep_a_text_is_a_malformed_query() -> None:
    with pytest.raises(MalformedQuery, match=r"FAILED_TO_PARSE_TOO_COMPLEX"):
        referenced_tables(DEEP, "spark")
    with pytest.raises(MalformedQuery, match=r"FAILED_TO_PARSE_TOO_COMPLEX"):
        bind_parameters(DEEP, "redshift", [], None)


#: Files of a table ``scores`` (email, score) that are not of its format, by format.
UNREADABLE = {
    "json": ({"part/d.json": b'{"email": "a@x"\n'}, "org.openx.data.jsonserde.JsonSerDe"),
    "parquet": (
        {"part-0.parquet": b"PAR1 not a parquet file PAR1"},
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    ),
}


@pytest.mark.parametrize("bad", sorted(UNREADABLE))
def test_of_two_tables_the_unreadable_one_is_named_not_the_mock_s_paths(bad: str) -> None:
    objects, serde = UNREADABLE[bad]
    scores = table_of_bytes("scores", [("email", "string"), ("score", "int")], objects, serde=serde)

    outcome = query(
        "SELECT u.city, s.score FROM users u JOIN scores s ON u.email = s.email", USERS, scores
    )

    assert outcome.error is not None
    assert outcome.error.code == "INVALID_RESOURCE"
    assert outcome.error.message == (
        "The data of table scores cannot be read: a data file does not match the table's "
        "format and columns (Glue StorageDescriptor and schema)."
    )


@pytest.mark.parametrize(
    ("sql", "start"),
    [
        ("SELECT email + 1 AS e FROM users", "[DATATYPE_MISMATCH"),
        ("SELECT CAST('x' AS INT) + age AS e FROM users", None),
        ("SELECT city, age FROM users GROUP BY city", "[MISSING_AGGREGATION]"),
    ],
)
def test_duckdb_s_errors_read_as_spark_s(sql: str, start: str | None) -> None:
    outcome = query(sql, USERS)

    if start is None:  # Spark's CAST of a bad string is NULL (ANSI off): no error
        assert outcome.error is None, outcome.error
        return
    assert outcome.error is not None
    assert outcome.error.message.startswith(start)
    assert "Error:" not in outcome.error.message


@pytest.mark.parametrize(
    ("connector", "operands", "rows"),
    [("OR", 3000, ((1,),)), ("AND", 3000, ((3,),)), ("OR", 40, ((1,),))],
)
def test_long_chains_of_or_and_and_run(connector: str, operands: int, rows: object) -> None:
    test = "city = 'x{}'" if connector == "OR" else "city <> 'x{}'"
    chain = f" {connector} ".join(test.format(n) for n in range(operands))
    last = " OR city = 'Lyon'" if connector == "OR" else ""

    outcome = query(f"SELECT COUNT(*) AS n FROM users WHERE {chain}{last}", USERS)

    assert outcome.error is None, outcome.error
    assert outcome.rows == rows
