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
        ("SELECT size(collect_set(city)) AS v FROM users", ((2,),)),
        ("SELECT array_contains(array(31, 40), age) AS v FROM users WHERE age = 40", ((True,),)),
        ("SELECT round(sqrt(age), 1) AS v FROM users WHERE age = 40", ((6.3,),)),
        ("SELECT year(to_date('2026-03-01')) AS v FROM users WHERE age = 40", ((2026,),)),
    ],
)
def test_functions_of_the_spark_reference_run(sql: str, rows: tuple[tuple[object, ...]]) -> None:
    outcome = query(sql, USERS)

    assert outcome.error is None, outcome.error
    assert outcome.rows == rows


def test_every_category_of_the_reference_is_listed_with_its_page() -> None:
    assert len(SPARK_FUNCTION_CATEGORIES) == 15
    for page, how, names in SPARK_FUNCTION_CATEGORIES.values():
        assert page.startswith("https://docs.aws.amazon.com/clean-rooms/latest/sql-reference/")
        assert how in ("read", "recalled")
        assert names and all(name == name.lower() for name in names)


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        # aggregate (CARDINALITY.html; STDDEV_functions.html: stddev is stddev_samp)
        ("SELECT cardinality(collect_list(city)) AS v FROM users", ((3,),)),
        ("SELECT stddev(age) = stddev_samp(age) AS v FROM users", ((True,),)),
        ("SELECT bool_or(age > 35) AS v FROM users", ((True,),)),
        # conditional (IS_NULL.html, IS_NOT_NULL.html, NVL2.html)
        (
            "SELECT is_null(city) AS a, is_not_null(city) AS b FROM users WHERE age = 40",
            ((False, True),),
        ),
        ("SELECT COUNT(*) AS n FROM users WHERE is_null(NULLIF(city, 'Paris'))", ((2,),)),
        ("SELECT nvl2(city, 'set', 'unset') AS v FROM users WHERE age = 40", (("set",),)),
        # constructor
        ("SELECT named_struct('c', city).c AS v FROM users WHERE age = 40", (("Lyon",),)),
        # data type formatting (base64.html, HEX.html, DECODE.html, STR_TO_MAP.html)
        ("SELECT base64(city) AS v FROM users WHERE age = 40", (("THlvbg==",),)),
        ("SELECT hex(city) AS a, hex(age) AS b FROM users WHERE age = 40", (("4C796F6E", "28"),)),
        (
            "SELECT decode(unbase64(base64(city)), 'UTF-8') AS v FROM users WHERE age = 40",
            (("Lyon",),),
        ),
        (
            "SELECT decode(encode(city, 'UTF-8'), 'UTF-8') AS v FROM users WHERE age = 40",
            (("Lyon",),),
        ),
        (
            "SELECT str_to_map(concat('c:', city, ',k,t:a:b')) AS v FROM users WHERE age = 40",
            (({"c": "Lyon", "k": None, "t": "a:b"},),),
        ),
        ("SELECT str_to_map('a=1;b=2', ';', '=')['b'] AS v FROM users WHERE age = 40", (("2",),)),
        # JSON
        (
            "SELECT get_json_object(to_json(named_struct('c', city)), '$.c') AS v FROM users",
            (("Paris",), ("Lyon",), ("Paris",)),
        ),
        # scalar (size.html: -1 for NULL)
        (
            "SELECT size(map('a', age)) AS a, size(CAST(NULL AS ARRAY<INT>)) AS b FROM users "
            "WHERE age = 40",
            ((1, -1),),
        ),
        # window
        ("SELECT percent_rank() OVER (ORDER BY age) AS v FROM users WHERE age = 40", ((0.0,),)),
        # Listed functions DuckDB names otherwise, and faults DuckDB fails on (Spark 3.5).
        (
            "SELECT btrim(city, 'Ps') AS v, btrim(concat('  ', city, ' ')) AS w "
            "FROM users WHERE age = 40",
            (("Lyon", "Lyon"),),
        ),
        ("SELECT btrim(city, 'Pa') AS v FROM users WHERE age = 31 LIMIT 1", (("ris",),)),
        (
            "SELECT regexp_substr(city, 'a.') AS v FROM users ORDER BY email",
            (("ar",), (None,), ("ar",)),
        ),
        ("SELECT regexp_substr(city, '[0-9]*') AS v FROM users WHERE age = 40", ((None,),)),
        (
            "SELECT array_union(array(age, 31), array(40, age)) AS v FROM users ORDER BY email",
            (([31, 40],), ([40, 31],), ([31, 40],)),
        ),
        (
            "SELECT array_union(array(3, 1, NULL, 1, NULL), array(2, 1, 4)) AS v FROM users "
            "WHERE age = 40",
            (([3, 1, None, 2, 4],),),
        ),
        (
            "SELECT array_union(array('b', 'a'), array('a', 'c')) AS v FROM users WHERE age = 40",
            ((["b", "a", "c"],),),
        ),
        # Spark 3.5 (ANSI mode off, its default) gives NULL where DuckDB fails.
        (
            "SELECT age div 0 AS v, age / 0 AS w, age % 0 AS x FROM users WHERE age = 40",
            ((None, None, None),),
        ),
        ("SELECT mod(age, age - age) AS v FROM users WHERE age = 40", ((None,),)),
        ("SELECT age / (age - 40) AS v FROM users WHERE age = 40", ((None,),)),
        ("SELECT age div 2 AS v, age % 3 AS w FROM users WHERE age = 40", ((20, 1),)),
        ("SELECT get_json_object(city, '$.a') AS v FROM users WHERE age = 40", ((None,),)),
        (
            "SELECT get_json_object(concat('{\"a\": \"', city, '\"}'), '$.a') AS v "
            "FROM users WHERE age = 40",
            (("Lyon",),),
        ),
    ],
)
def test_functions_the_reference_lists_run_as_spark_runs_them(
    sql: str, rows: tuple[tuple[object, ...]]
) -> None:
    outcome = query(sql, USERS)

    assert outcome.error is None, outcome.error
    assert outcome.rows == rows


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        ("SELECT count_if(age > 35) AS v FROM users", "count_if"),
        ("SELECT max_by(city, age) AS v FROM users", "max_by"),
        ("SELECT min_by(city, age) AS v FROM users", "min_by"),
        ("SELECT from_json('{\"a\":1}', 'a INT') AS v FROM users", "from_json"),
        ("SELECT ntile(2) OVER (ORDER BY age) AS v FROM users", "ntile"),
        ("SELECT nth_value(city, 2) OVER (ORDER BY age) AS v FROM users", "nth_value"),
        ("SELECT isnull(city) AS v FROM users", "isnull"),
    ],
)
def test_spark_functions_the_reference_does_not_list_are_unresolved(sql: str, name: str) -> None:
    assert refusal(sql, USERS).startswith(f"[UNRESOLVED_ROUTINE] Cannot resolve function `{name}`")


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        ("SELECT base64(aes_encrypt(city, 'abcdefghijklmnop')) AS v FROM users", "aes_encrypt"),
        ("SELECT aes_decrypt(unbase64(city), 'abcdefghijklmnop') AS v FROM users", "aes_decrypt"),
        ("SELECT hll_sketch_estimate(hll_sketch_agg(age)) AS v FROM users", "hll_sketch_agg"),
        ("SELECT consent_tcf_v2_decode(city) AS v FROM users", "consent_tcf_v2_decode"),
        ("SELECT consent_gpp_v1_decode(city) AS v FROM users", "consent_gpp_v1_decode"),
        # Found missing only when DuckDB runs it: never Spark's UNRESOLVED_ROUTINE.
        ("SELECT xxhash64(city) AS v FROM users", "xxhash64"),
        ("SELECT age, xxhash64(email, age) AS v FROM users", "xxhash64"),
        ("SELECT city FROM users WHERE xxhash64(city) > 0", "xxhash64"),
    ],
)
def test_listed_functions_duckdb_lacks_pass_the_checks_then_fail_naming_the_mock(
    sql: str, name: str
) -> None:
    outcome = query(sql, USERS)

    assert outcome.error is not None
    assert outcome.error.code == "INTERNAL_ERROR"
    assert outcome.error.message.startswith(f"The mock cannot run `{name}`: AWS Clean Rooms")
    assert outcome.rows == ()


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT aes_encrypt(city, 'k') AS v FROM visits",
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `visits` cannot be found.",
        ),
        (
            "SELECT aes_encrypt(city, 'k') AS v, count_if(age > 1) AS n FROM users",
            "[UNRESOLVED_ROUTINE] Cannot resolve function `count_if`",
        ),
    ],
)
def test_the_checks_refuse_before_a_function_the_mock_cannot_run(sql: str, message: str) -> None:
    assert refusal(sql, USERS).startswith(message)


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


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT city FROM users WHERE age = (SELECT age FROM users)",
            "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery used as "
            "an expression.",
        ),
        (
            "SELECT (SELECT city FROM users WHERE age = 31) AS v FROM users",
            "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery used as "
            "an expression.",
        ),
        (
            "SELECT regexp_replace(city, '(', 'x') AS v FROM users",
            "[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) `regexp` is invalid",
        ),
        (
            "SELECT rlike(city, '[') AS v FROM users",
            "[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) `regexp` is invalid",
        ),
    ],
)
def test_evaluation_faults_are_the_query_s_not_the_data_s(sql: str, message: str) -> None:
    outcome = query(sql, USERS)

    assert outcome.error is not None
    assert outcome.error.code == "MALFORMED_QUERY"
    assert outcome.error.message.startswith(message)
    assert "data" not in outcome.error.message


@pytest.mark.parametrize(
    ("sql", "message"),
    # Spark 3.5's words for the same table (pyspark 3.5.9).
    [
        (
            "SELECT cty FROM users",
            "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `cty` "
            "cannot be resolved. Did you mean one of the following? [`city`, `age`, `email`].",
        ),
        (
            "SELECT zzzzz FROM users",
            "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
            "`zzzzz` cannot be resolved. Did you mean one of the following? "
            "[`age`, `city`, `email`].",
        ),
        (
            "SELECT * FROM nosuch",
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nosuch` cannot be found. Verify the "
            "spelling and correctness of the schema and catalog.\nIf you did not qualify the "
            "name with a schema, verify the current_schema() output, or qualify the name with "
            "the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF "
            "EXISTS or DROP TABLE IF EXISTS.",
        ),
    ],
)
def test_unknown_names_fail_in_spark_s_words(sql: str, message: str) -> None:
    assert refusal(sql, USERS) == message


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT cty FROM users", "Column 'cty' could not be resolved"),
        ("SELECT * FROM nosuch", "Table or view not found: nosuch"),
    ],
)
def test_the_legacy_engine_keeps_its_words_for_unknown_names(sql: str, message: str) -> None:
    outcome = query(sql, USERS, dialect="redshift")

    assert outcome.error is not None
    assert outcome.error.message == message


@pytest.mark.parametrize(
    "hint",
    [
        "BROADCAST(users)",
        "REPARTITION(8)",
        "REPARTITION(8, age)",
        "REPARTITION_BY_RANGE(3, age)",
        "REBALANCE",
        "SHUFFLE_MERGE(users)",
        "COALESCE(2)",
        "BROADCAST(users), REPARTITION(8)",  # the user guide's own example, with its tables
        "NO_SUCH_HINT(1)",  # Spark ignores a hint it does not know (a warning, no error)
    ],
)
def test_hints_are_not_calls_and_change_no_result(
    hint: str, caplog: pytest.LogCaptureFixture
) -> None:
    plain = query("SELECT age FROM users", USERS)

    hinted = query(f"SELECT /*+ {hint} */ age FROM users", USERS)

    assert hinted.error is None
    assert sorted(hinted.rows, key=str) == sorted(plain.rows, key=str)
    assert "Hints are not supported" not in caplog.text  # none reach DuckDB's SQL
