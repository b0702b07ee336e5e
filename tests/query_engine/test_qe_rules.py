"""Analysis rules at query time: what each rule refuses, in the console's words, and what it drops.

CUSTOM (the Spark engine's rule) and AGGREGATION and LIST (the legacy Clean Rooms SQL engine):
each refusal is a FAILED query with ``MALFORMED_QUERY`` and the message the console shows, with
several queries of each kind; thresholds drop rows silently.
"""

from __future__ import annotations

from typing import Any

import pytest
from qe_support import OWNER, RUNNER, custom, query, refusal, table_of_bytes

from cleanrooms_mock.query_engine import Runner, analysis_allowed

#: A data owner's customers: 3 people in Paris, 1 in Lyon, 2 in Nice.
CUSTOMERS = [
    ("email", "string"),
    ("city", "string"),
    ("age", "int"),
    ("ssn", "string"),
]
CUSTOMER_ROWS = (
    b"a@x,Paris,31,111\nb@x,Paris,40,222\nc@x,Paris,31,333\n"
    b"d@x,Lyon,25,444\ne@x,Nice,50,555\nf@x,Nice,51,666\n"
)
#: The runner's own purchases, joined on email.
PURCHASES = [("email", "string"), ("amount", "double")]
PURCHASE_ROWS = b"a@x,10\nb@x,20\nc@x,30\nd@x,40\ne@x,50\nf@x,60\nz@x,70\n"


def customers(rule: dict[str, Any] | None = None, **options: Any) -> Any:
    return table_of_bytes("customers", CUSTOMERS, {"c.csv": CUSTOMER_ROWS}, rule=rule, **options)


def purchases(rule: dict[str, Any] | None = None) -> Any:
    return table_of_bytes("purchases", PURCHASES, {"p.csv": PURCHASE_ROWS}, rule=rule, owner=RUNNER)


# ---- CUSTOM: who may run what ----------------------------------------------------------------

TEMPLATE = f"arn:aws:cleanrooms:us-east-1:{RUNNER}:membership/m1/analysistemplate/t1"


def test_a_direct_query_needs_any_query_and_the_runner_among_the_providers() -> None:
    allowed = customers(custom())
    other_provider = customers(
        {"custom": {"allowedAnalyses": ["ANY_QUERY"], "allowedAnalysisProviders": ["999999999999"]}}
    )
    templates_only = customers({"custom": {"allowedAnalyses": [TEMPLATE]}})

    assert analysis_allowed([allowed, purchases()], Runner(RUNNER)) is None
    assert analysis_allowed([allowed, other_provider], Runner(RUNNER)) == "customers"
    assert analysis_allowed([templates_only], Runner(RUNNER)) == "customers"


def test_a_template_needs_its_arn_in_every_tables_allowed_analyses() -> None:
    approving = customers({"custom": {"allowedAnalyses": [TEMPLATE]}})
    other = customers({"custom": {"allowedAnalyses": [TEMPLATE.replace("t1", "t2")]}})
    provider = customers(custom())

    runner = Runner(RUNNER, analysis_template_arn=TEMPLATE)
    assert analysis_allowed([approving], runner) is None
    assert analysis_allowed([approving, other], runner) == "customers"
    assert analysis_allowed([provider], runner, template_creator_account_id=RUNNER) is None
    assert analysis_allowed([provider], runner, template_creator_account_id=OWNER) == "customers"


def test_aggregation_and_list_tables_allow_direct_queries() -> None:
    table = customers({"list": {"joinColumns": ["email"], "listColumns": ["city"]}})

    assert analysis_allowed([table], Runner(RUNNER)) is None


# ---- CUSTOM: disallowed output columns -------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "columns"),
    [
        ("SELECT ssn FROM customers", "[ssn]"),
        ("SELECT city, ssn AS id FROM customers", "[ssn]"),
        ("SELECT * FROM customers", "[email, ssn]"),
        ("SELECT upper(email) AS e FROM customers", "[email]"),
        ("WITH c AS (SELECT ssn AS s FROM customers) SELECT s FROM c", "[ssn]"),
        ("SELECT x.e FROM (SELECT email AS e FROM customers) x", "[email]"),
        ("SELECT city FROM customers UNION SELECT ssn FROM customers", "[ssn]"),
    ],
)
def test_a_disallowed_output_column_cannot_be_shown(sql: str, columns: str) -> None:
    table = customers(custom(disallowedOutputColumns=["ssn", "email"]))

    assert refusal(sql, table) == f"Column(s) {columns} is not allowed in select"


@pytest.mark.parametrize(
    ("sql", "columns"),
    [
        ("SELECT COUNT(email) AS n FROM customers", "[email]"),
        ("SELECT city, COUNT(DISTINCT email) AS n FROM customers GROUP BY city", "[email]"),
        ("SELECT n FROM (SELECT COUNT(email) AS n FROM customers) x", "[email]"),
        ("WITH c AS (SELECT MAX(ssn) AS m FROM customers) SELECT m FROM c", "[ssn]"),
        ("SELECT collect_list(email) AS e FROM customers", "[email]"),
        ("SELECT array_agg(ssn) AS e FROM customers", "[ssn]"),
        ("SELECT string_agg(email, ',') AS e FROM customers", "[email]"),
        ("SELECT first(ssn) AS e FROM customers", "[ssn]"),
        ("SELECT concat(city, ssn) AS e FROM customers", "[ssn]"),
        ("SELECT RANK() OVER (PARTITION BY ssn ORDER BY age) AS r FROM customers", "[ssn]"),
        ("SELECT COUNT(*) OVER (ORDER BY email) AS r FROM customers", "[email]"),
        ("SELECT (SELECT MAX(ssn) FROM customers) AS m FROM customers c", "[ssn]"),
    ],
)
def test_a_disallowed_output_column_cannot_be_aggregated_or_transformed(
    sql: str, columns: str
) -> None:
    # "SELECT COUNT(age) FROM users" is blocked, and so is
    # "SELECT count_age FROM (SELECT COUNT(age) AS count_age FROM users)" (user guide,
    # "Configured table disallowed columns")
    table = customers(custom(disallowedOutputColumns=["ssn", "email"]))

    assert refusal(sql, table) == f"Column(s) {columns} is not allowed in select"


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM customers UNPIVOT (v FOR k IN (email, city))",
        "SELECT v FROM customers UNPIVOT (v FOR k IN (email, city))",
        "SELECT * FROM customers PIVOT (MAX(email) FOR city IN ('Paris', 'Lyon'))",
        "SELECT to_json(struct(*)) AS j FROM customers",
        "SELECT concat_ws(',', c.*) AS j FROM customers c",
        "SELECT e FROM customers LATERAL VIEW explode(array(email)) t AS e",
        "SELECT x FROM (SELECT * FROM customers) AS s(x)",
        "WITH c(x) AS (SELECT email FROM customers) SELECT x FROM c",
    ],
)
def test_star_like_constructs_cannot_show_a_disallowed_output_column(sql: str) -> None:
    table = customers(custom(disallowedOutputColumns=["email"]))

    assert refusal(sql, table) == "Column(s) [email] is not allowed in select"


@pytest.mark.parametrize(
    "sql",
    ["SELECT COLUMNS('.*') FROM customers", "SELECT COLUMNS(c -> c LIKE 'e%') FROM customers"],
)
def test_duckdbs_columns_expands_to_every_column_it_could_show(sql: str) -> None:
    table = customers(custom(disallowedOutputColumns=["email"]))

    # Spark has no COLUMNS(...): an unknown function there; the legacy engine has no function
    # list yet, so the lineage check is what stops it
    assert refusal(sql, table).startswith("[UNRESOLVED_ROUTINE] Cannot resolve function `columns`")
    assert refusal(sql, table, dialect="redshift") == "Column(s) [email] is not allowed in select"


def test_a_disallowed_output_column_can_be_joined_filtered_and_sorted_on() -> None:
    table = customers(custom(disallowedOutputColumns=["email"]))
    sql = (
        "SELECT c.city, COUNT(*) AS people, SUM(p.amount) AS spent "
        "FROM customers c JOIN purchases p ON c.email = p.email "
        "WHERE c.email <> 'z@x' GROUP BY c.city ORDER BY c.city"
    )
    inner = "SELECT n FROM (SELECT COUNT(*) AS n FROM customers WHERE email LIKE 'a%') x"

    assert query(sql, table, purchases()).records() == [
        {"city": "Lyon", "people": 1, "spent": 40.0},
        {"city": "Nice", "people": 2, "spent": 110.0},
        {"city": "Paris", "people": 3, "spent": 60.0},
    ]
    assert query(inner, table).records() == [{"n": 1}]
    assert query("SELECT age FROM customers ORDER BY email LIMIT 2", table).rows == ((31,), (40,))
    unpivoted = "SELECT age FROM customers UNPIVOT (v FOR k IN (email, city)) LIMIT 1"
    assert query(unpivoted, table).rows == ((31,),)


# ---- CUSTOM: aggregation thresholds ----------------------------------------------------------


def threshold(minimum: int = 2, **options: Any) -> dict[str, Any]:
    return custom(
        aggregationThresholds=[
            {
                "identityColumns": ["email"],
                "minimumIdentityCount": minimum,
                "type": "COUNT_DISTINCT",
                **options,
            }
        ]
    )


def test_groups_below_the_minimum_are_dropped_silently() -> None:
    sql = "SELECT city, COUNT(*) AS n FROM customers GROUP BY city ORDER BY city"

    assert query(sql, customers(threshold(2))).records() == [
        {"city": "Nice", "n": 2},
        {"city": "Paris", "n": 3},
    ]
    assert query(sql, customers(threshold(3))).records() == [{"city": "Paris", "n": 3}]
    assert query(sql, customers(threshold(4))).records() == []


@pytest.mark.parametrize("dialect", ["spark", "redshift"])
def test_a_text_run_again_keeps_nothing_of_the_runs_before(dialect: str) -> None:
    sql = "SELECT city, COUNT(*) AS n FROM customers GROUP BY city ORDER BY city"
    everyone = [{"city": "Lyon", "n": 1}, {"city": "Nice", "n": 2}, {"city": "Paris", "n": 3}]
    plain = query(sql, customers(), dialect=dialect)

    assert query(sql, customers(threshold(3)), dialect=dialect).records() == [
        {"city": "Paris", "n": 3}
    ]
    again = query(sql, customers(), dialect=dialect)
    assert again.records() == plain.records() == everyone
    assert again.sql == plain.sql
    assert query(sql, customers(threshold(2)), dialect=dialect).records() == everyone[1:]


def test_a_threshold_counts_distinct_identities_across_a_join() -> None:
    sql = (
        "SELECT c.city, SUM(p.amount) AS spent FROM purchases p "
        "JOIN customers c ON c.email = p.email GROUP BY c.city ORDER BY c.city"
    )

    assert query(sql, customers(threshold(2)), purchases()).records() == [
        {"city": "Nice", "spent": 110.0},
        {"city": "Paris", "spent": 60.0},
    ]


def test_distinct_rows_are_groups_and_plain_rows_represent_one_identity() -> None:
    table = customers(threshold(2))

    assert query("SELECT DISTINCT city FROM customers ORDER BY city", table).rows == (
        ("Nice",),
        ("Paris",),
    )
    assert query("SELECT city, age FROM customers", table).rows == ()
    assert query("SELECT COUNT(*) AS n FROM customers", table).rows == ((6,),)


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        (
            "SELECT DISTINCT city, COUNT(*) OVER (PARTITION BY city) AS n FROM customers "
            "ORDER BY n DESC",
            (("Paris", 3), ("Nice", 2)),
        ),
        (
            "SELECT DISTINCT city, RANK() OVER (ORDER BY city) AS r FROM customers ORDER BY r",
            (("Nice", 2), ("Paris", 4)),
        ),
        ("SELECT DISTINCT upper(city) AS c FROM customers ORDER BY c DESC LIMIT 1", (("PARIS",),)),
        (
            "SELECT DISTINCT city FROM customers "
            "QUALIFY ROW_NUMBER() OVER (PARTITION BY city ORDER BY age) = 1",
            (),
        ),
        ("SELECT SUM(COUNT(*)) OVER () AS s FROM customers", ((6,),)),
        (
            "SELECT city, COUNT(*) AS n, MAX(COUNT(*)) OVER () AS top FROM customers "
            "GROUP BY city ORDER BY city",
            (("Nice", 2, 3), ("Paris", 3, 3)),
        ),
        ("SELECT DISTINCT COUNT(*) AS n FROM customers GROUP BY city ORDER BY n", ((2,), (3,))),
        ("SELECT (SELECT COUNT(*) FROM customers) AS n FROM customers", ()),
    ],
)
def test_the_threshold_applies_to_any_query_the_rules_let_through(
    sql: str, rows: tuple[Any, ...]
) -> None:
    # a SELECT DISTINCT is grouped around the query, its window functions computed inside
    assert query(sql, customers(threshold(2))).rows == rows


def test_a_distinct_query_under_a_threshold_orders_by_its_output_columns_only() -> None:
    table = customers(threshold(2))

    assert (
        refusal("SELECT DISTINCT city FROM customers ORDER BY age", table)
        == "ORDER BY age must be one of the output columns of a SELECT DISTINCT"
    )
    assert refusal("SELECT DISTINCT city FROM customers ORDER BY upper(city)", table) == (
        "ORDER BY upper(city) must be one of the output columns of a SELECT DISTINCT"
    )


def test_output_column_overrides_change_the_minimum_for_their_column() -> None:
    sql = "SELECT city, COUNT(*) AS n FROM customers GROUP BY city ORDER BY city"
    exempt = customers(
        threshold(
            3, outputColumnThresholds=[{"outputColumnName": "city", "minimumIdentityCount": 0}]
        )
    )
    stricter = customers(
        threshold(
            2, outputColumnThresholds=[{"outputColumnName": "city", "minimumIdentityCount": 3}]
        )
    )

    assert len(query(sql, exempt).rows) == 3
    assert query(sql, stricter).records() == [{"city": "Paris", "n": 3}]


def test_the_strictest_threshold_of_the_tables_in_a_query_applies() -> None:
    sql = (
        "SELECT c.city, COUNT(*) AS n FROM customers c JOIN purchases p ON c.email = p.email "
        "GROUP BY c.city ORDER BY c.city"
    )
    runner_threshold = custom(
        aggregationThresholds=[
            {"identityColumns": ["email"], "minimumIdentityCount": 3, "type": "COUNT_DISTINCT"}
        ]
    )
    own = table_of_bytes(
        "purchases", PURCHASES, {"p.csv": PURCHASE_ROWS}, rule=runner_threshold, owner=RUNNER
    )

    assert query(sql, customers(threshold(2)), own).records() == [{"city": "Paris", "n": 3}]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT city, SUM(age * 2) AS a FROM customers GROUP BY city",
        "SELECT city, AVG(ROUND(age)) AS a FROM customers GROUP BY city",
        "SELECT city, SUM(CASE WHEN age > 30 THEN 1 ELSE 0 END) AS a FROM customers GROUP BY city",
        "SELECT city, SUM(age + 1) OVER (PARTITION BY city) AS a FROM customers",
    ],
)
def test_columns_only_refuses_aggregating_a_transformed_column(sql: str) -> None:
    table = customers(threshold(2, allowedAggregateExpressionType="COLUMNS_ONLY"))

    assert refusal(sql, table).startswith(
        "Aggregation of a transformed column is not allowed for table customers"
    )
    assert (
        query(sql, customers(threshold(2, allowedAggregateExpressionType="ANY_EXPRESSION"))).error
        is None
    )


def test_a_threshold_needs_the_identity_table_in_the_outermost_select() -> None:
    table = customers(threshold(2))
    for sql in (
        "WITH c AS (SELECT city, COUNT(*) AS n FROM customers GROUP BY city) SELECT * FROM c",
        "SELECT city FROM customers UNION SELECT city FROM customers",
    ):
        assert refusal(sql, table).startswith("Aggregation threshold of table customers")


# ---- CUSTOM: comparison controls -------------------------------------------------------------


def controlled(literal: list[str] | None = None, column: list[str] | None = None) -> Any:
    controls: dict[str, Any] = {}
    if literal is not None:
        controls["allowedLiteralComparisonColumns"] = literal
    if column is not None:
        controls["allowedColumnComparisonColumns"] = column
    return customers(custom(comparisonControls=controls))


@pytest.mark.parametrize(
    ("sql", "columns"),
    [
        ("SELECT city FROM customers WHERE age > 30", "[age]"),
        ("SELECT city FROM customers WHERE ssn IN ('1', '2')", "[ssn]"),
        ("SELECT city FROM customers WHERE email LIKE 'a%'", "[email]"),
        ("SELECT city FROM customers WHERE age BETWEEN 1 AND 2", "[age]"),
        ("SELECT city FROM customers WHERE upper(email) = 'A@X'", "[email]"),
    ],
)
def test_literal_comparisons_are_allowed_only_on_the_listed_columns(sql: str, columns: str) -> None:
    table = controlled(literal=["city"])

    assert refusal(sql, table) == f"Column(s) {columns} is not allowed in literal comparison"
    assert query("SELECT age FROM customers WHERE city = 'Paris'", table).error is None


@pytest.mark.parametrize(
    ("sql", "columns"),
    [
        (
            "SELECT c.city FROM customers c JOIN purchases p ON c.email = p.email",
            "[email]",
        ),
        ("SELECT city FROM customers WHERE age > CAST(ssn AS INT)", "[age, ssn]"),
        ("SELECT age, COUNT(*) AS n FROM customers GROUP BY age", "[age]"),
        ("SELECT RANK() OVER (PARTITION BY age ORDER BY ssn) AS r FROM customers", "[age, ssn]"),
    ],
)
def test_column_comparisons_are_allowed_only_on_the_listed_columns(sql: str, columns: str) -> None:
    table = controlled(column=["city"])

    assert (
        refusal(sql, table, purchases())
        == f"Column(s) {columns} is not allowed in column comparison"
    )
    assert query("SELECT city, COUNT(*) AS n FROM customers GROUP BY city", table).error is None


@pytest.mark.parametrize(
    ("sql", "columns"),
    [
        ("SELECT DISTINCT age FROM customers", "[age]"),
        ("SELECT DISTINCT city, upper(ssn) AS s FROM customers", "[ssn]"),
        ("SELECT DISTINCT c FROM (SELECT age AS c FROM customers) x", "[age]"),
        ("SELECT COUNT(*) AS n FROM customers GROUP BY age", "[age]"),
    ],
)
def test_select_distinct_compares_its_columns_as_group_by_does(sql: str, columns: str) -> None:
    table = controlled(column=["city"])

    assert refusal(sql, table) == f"Column(s) {columns} is not allowed in column comparison"
    assert query("SELECT DISTINCT city FROM customers ORDER BY city", table).rows == (
        ("Lyon",),
        ("Nice",),
        ("Paris",),
    )


def test_an_empty_list_blocks_every_comparison_of_its_kind() -> None:
    table = controlled(literal=[], column=[])

    assert "literal comparison" in refusal("SELECT 1 AS x FROM customers WHERE city = 'x'", table)
    assert "column comparison" in refusal("SELECT city FROM customers GROUP BY city", table)
    assert query("SELECT COUNT(*) AS n FROM customers", table).rows == ((6,),)


# ---- AGGREGATION (Clean Rooms SQL) -----------------------------------------------------------


def aggregation(**changes: Any) -> dict[str, Any]:
    policy = {
        "aggregateColumns": [
            {"columnNames": ["email"], "function": "COUNT_DISTINCT"},
            {"columnNames": ["age"], "function": "SUM"},
            {"columnNames": ["age"], "function": "AVG"},
        ],
        "joinColumns": ["email"],
        "dimensionColumns": ["city"],
        "scalarFunctions": ["LOWER", "UPPER"],
        "outputConstraints": [{"columnName": "email", "minimum": 2, "type": "COUNT_DISTINCT"}],
        **changes,
    }
    return {"aggregation": policy}


def legacy(sql: str, *tables: Any) -> Any:
    return query(sql, *tables, dialect="redshift")


def legacy_refusal(sql: str, *tables: Any) -> str:
    return refusal(sql, *tables, dialect="redshift")


def test_an_aggregation_query_runs_and_drops_groups_below_the_output_constraint() -> None:
    sql = (
        "SELECT city, COUNT(DISTINCT email) AS people, SUM(age) AS ages FROM customers "
        "GROUP BY city ORDER BY city"
    )

    assert legacy(sql, customers(aggregation())).records() == [
        {"city": "Nice", "people": 2, "ages": 101},
        {"city": "Paris", "people": 3, "ages": 102},
    ]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT ssn, COUNT(DISTINCT email) AS n FROM customers GROUP BY ssn",
            "Column(s) [ssn] is not allowed in select",
        ),
        (
            "SELECT email, COUNT(DISTINCT email) AS n FROM customers GROUP BY email",
            "Column(s) [email] is not allowed in select",
        ),
        (
            "SELECT city, age, SUM(age) AS n FROM customers GROUP BY city, age",
            "Column(s) [age] is not allowed in select",
        ),
        (
            "SELECT city, COUNT(DISTINCT email) AS n FROM customers",
            "Column(s) [customers.city] must appear in group by clause",
        ),
        (
            "SELECT lower(city) AS c, SUM(age) AS n FROM customers",
            "Column(s) [customers.city] must appear in group by clause",
        ),
        ("SELECT city FROM customers GROUP BY city", "An aggregation function is required"),
        (
            "SELECT city, COUNT(age) AS n FROM customers GROUP BY city",
            "Column(s) [age] is not allowed in COUNT aggregation",
        ),
        (
            "SELECT city, SUM(age + 1) AS n FROM customers GROUP BY city",
            "Only aggregation functions on a column are allowed in select",
        ),
        (
            "SELECT city, SUM(age) AS n FROM customers WHERE ssn = '1' GROUP BY city",
            "Column(s) [ssn] is not allowed in where",
        ),
        (
            "SELECT trim(city) AS c, SUM(age) AS n FROM customers GROUP BY trim(city)",
            "Function TRIM is not allowed in the query",
        ),
        (
            "WITH c AS (SELECT * FROM customers) SELECT city, SUM(age) AS n FROM c GROUP BY city",
            "Only a single SELECT statement is allowed",
        ),
    ],
)
def test_the_aggregation_rule_refuses_queries_outside_its_structure(sql: str, message: str) -> None:
    assert legacy_refusal(sql, customers(aggregation())).startswith(message)


GROUPED = "SELECT city, COUNT(DISTINCT email) AS people FROM customers GROUP BY city "


@pytest.mark.parametrize(
    ("clause", "message"),
    [
        ("HAVING MIN(email) > 'b'", "Column(s) [email] is not allowed in MIN aggregation"),
        ("HAVING COUNT(age) > 1", "Column(s) [age] is not allowed in COUNT aggregation"),
        ("HAVING SUM(age + 1) > 1", "Only aggregation functions on a column are allowed in having"),
        ("HAVING city <> 'x' AND email <> 'x'", "Column(s) [email] is not allowed in having"),
        ("HAVING trim(city) <> 'x'", "Function TRIM is not allowed in the query"),
        ("ORDER BY MAX(age)", "Column(s) [age] is not allowed in MAX aggregation"),
        ("ORDER BY age", "Column(s) [age] is not allowed in order by"),
        ("ORDER BY email", "Column(s) [email] is not allowed in order by"),
        ("ORDER BY trim(city)", "Function TRIM is not allowed in the query"),
        ("ORDER BY RANK() OVER (ORDER BY city)", "Window functions are not allowed"),
        ("QUALIFY people > 1", "QUALIFY is not allowed by the AGGREGATION analysis rule"),
    ],
)
def test_having_and_order_by_are_under_the_aggregation_rule(clause: str, message: str) -> None:
    # syntax: HAVING having_condition, ORDER BY {column_name|scalar_function(arguments)}
    assert legacy_refusal(GROUPED + clause, customers(aggregation())).startswith(message)


@pytest.mark.parametrize(
    ("clause", "rows"),
    [
        ("HAVING SUM(age) > 101 ORDER BY city", (("Paris", 3),)),
        ("HAVING COUNT(DISTINCT email) > 2", (("Paris", 3),)),
        ("HAVING lower(city) <> 'paris'", (("Nice", 2),)),
        ("HAVING SUM(age) > 1 AND (city = 'Nice' OR city = 'Lyon')", (("Nice", 2),)),
        ("ORDER BY people DESC", (("Paris", 3), ("Nice", 2))),
        ("ORDER BY 2", (("Nice", 2), ("Paris", 3))),
        ("ORDER BY upper(city) DESC", (("Paris", 3), ("Nice", 2))),
        ("ORDER BY AVG(age)", (("Paris", 3), ("Nice", 2))),
    ],
)
def test_having_and_order_by_within_the_rule_run(clause: str, rows: tuple[Any, ...]) -> None:
    assert legacy(GROUPED + clause, customers(aggregation())).rows == rows


def test_the_query_runner_table_must_be_inner_joined_when_required() -> None:
    table = customers(aggregation(joinRequired="QUERY_RUNNER"))
    own = purchases(aggregation_rule_of_runner())
    expected = "Inner join to query runner table required for table customers"

    assert (
        legacy_refusal("SELECT city, SUM(age) AS n FROM customers GROUP BY city", table) == expected
    )
    assert (
        legacy_refusal(
            "SELECT c.city, SUM(c.age) AS n FROM customers c LEFT JOIN purchases p "
            "ON c.email = p.email GROUP BY c.city",
            table,
            own,
        )
        == expected
    )
    sql = (
        "SELECT c.city, COUNT(DISTINCT c.email) AS n FROM customers c INNER JOIN purchases p "
        "ON c.email = p.email GROUP BY c.city ORDER BY c.city"
    )
    assert legacy(sql, table, own).rows == (("Nice", 2), ("Paris", 3))


def aggregation_rule_of_runner() -> dict[str, Any]:
    return {
        "aggregation": {
            "aggregateColumns": [{"columnNames": ["amount"], "function": "SUM"}],
            "joinColumns": ["email"],
            "dimensionColumns": [],
            "scalarFunctions": [],
            "outputConstraints": [{"columnName": "email", "minimum": 2, "type": "COUNT_DISTINCT"}],
        }
    }


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("c.city = p.email", "Column(s) [city] is not allowed in join"),
        ("c.email = p.email OR c.email = p.email", "Join operator(s) [OR] not allowed"),
        ("c.email > p.email", "Only = comparisons are allowed in join conditions"),
    ],
)
def test_joins_use_join_columns_with_allowed_operators(on: str, message: str) -> None:
    sql = (
        f"SELECT c.city, SUM(c.age) AS n FROM customers c JOIN purchases p ON {on} GROUP BY c.city"
    )

    assert legacy_refusal(
        sql, customers(aggregation()), purchases(aggregation_rule_of_runner())
    ).startswith(message)


@pytest.mark.parametrize(
    "join",
    [
        "CROSS JOIN purchases p",
        ", purchases p",
        "LEFT JOIN purchases p ON c.email = p.email",
        "FULL OUTER JOIN purchases p ON c.email = p.email",
    ],
)
def test_only_inner_joins_with_a_condition_are_allowed(join: str) -> None:
    sql = f"SELECT c.city, SUM(c.age) AS n FROM customers c {join} GROUP BY c.city"

    message = legacy_refusal(sql, customers(aggregation()), purchases(aggregation_rule_of_runner()))

    assert message.startswith("Only INNER JOIN with an ON condition is allowed")


@pytest.mark.parametrize(
    ("sql", "construct"),
    [
        ("SELECT * FROM customers PIVOT (SUM(age) FOR city IN ('Paris'))", "PIVOT"),
        ("SELECT city, SUM(age) AS n FROM customers, LATERAL (SELECT 1) GROUP BY city", "LATERAL"),
    ],
)
def test_constructs_outside_the_rule_structures_are_refused(sql: str, construct: str) -> None:
    for rule in (aggregation(), listing()):
        message = legacy_refusal(sql, customers(rule), own_list())
        assert construct in message or "Subqueries" in message


def test_scalar_functions_are_named_as_clean_rooms_sql_spells_them() -> None:
    sql = (
        "SELECT UPPER(city) AS c, DATEADD(day, 1, GETDATE()) AS d, SUM(age) AS n "
        "FROM customers GROUP BY UPPER(city)"
    )
    names = ("UPPER", "DATEADD", "GETDATE")

    assert legacy(sql, customers(aggregation(scalarFunctions=list(names)))).error is None
    for missing in names:
        rule = aggregation(scalarFunctions=[f for f in names if f != missing])
        assert (
            legacy_refusal(sql, customers(rule))
            == f"Function {missing} is not allowed in the query"
        )


def test_or_joins_run_when_every_table_allows_them() -> None:
    sql = (
        "SELECT c.city, SUM(c.age) AS n FROM customers c JOIN purchases p "
        "ON c.email = p.email OR c.email = p.email GROUP BY c.city ORDER BY c.city"
    )
    mine = aggregation_rule_of_runner()
    mine["aggregation"]["allowedJoinOperators"] = ["OR", "AND"]

    outcome = legacy(sql, customers(aggregation(allowedJoinOperators=["OR"])), purchases(mine))

    assert outcome.error is None


def test_tables_of_different_rule_types_cannot_be_queried_together() -> None:
    message = legacy_refusal(
        "SELECT c.city, SUM(c.age) AS n FROM customers c JOIN purchases p ON c.email = p.email "
        "GROUP BY c.city",
        customers(aggregation()),
        purchases(custom()),
    )

    assert message.startswith("Queries can only reference configured tables with the same")


# ---- LIST (Clean Rooms SQL) ------------------------------------------------------------------


def listing(**changes: Any) -> dict[str, Any]:
    return {"list": {"joinColumns": ["email"], "listColumns": ["city", "age"], **changes}}


def own_list() -> Any:
    return purchases({"list": {"joinColumns": ["email"], "listColumns": ["amount"]}})


def test_a_list_query_joined_to_the_runners_table_runs() -> None:
    sql = (
        "SELECT DISTINCT c.city, c.age FROM customers c JOIN purchases p ON c.email = p.email "
        "WHERE c.age > 30"
    )

    assert sorted(legacy(sql, customers(listing()), own_list()).rows) == [
        ("Nice", 50),
        ("Nice", 51),
        ("Paris", 31),
        ("Paris", 40),
    ]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT DISTINCT c.ssn FROM customers c JOIN purchases p ON c.email = p.email",
            "Column(s) [ssn] is not allowed in select",
        ),
        (
            "SELECT DISTINCT c.email, c.ssn FROM customers c JOIN purchases p ON c.email = p.email",
            "Column(s) [email, ssn] is not allowed in select",
        ),
        (
            "SELECT c.city FROM customers c JOIN purchases p ON c.email = p.email",
            "SELECT DISTINCT is required",
        ),
        (
            "SELECT DISTINCT city FROM customers",
            "Inner join to query runner table required for table customers",
        ),
        (
            "SELECT DISTINCT c.city FROM customers c JOIN purchases p ON c.email = p.email "
            "WHERE c.ssn = '1'",
            "Column(s) [ssn] is not allowed in where",
        ),
        (
            "SELECT DISTINCT c.city FROM customers c JOIN purchases p ON c.email = p.email "
            "WHERE lower(c.city) = 'x'",
            "Function LOWER is not allowed in a list query",
        ),
        (
            "SELECT DISTINCT upper(c.city) AS u FROM customers c JOIN purchases p "
            "ON c.email = p.email",
            "Only columns are allowed in select",
        ),
        (
            "SELECT DISTINCT c.city FROM customers c JOIN purchases p ON c.email = p.email "
            "ORDER BY c.ssn",
            "ORDER BY is not allowed by the LIST analysis rule",
        ),
        (
            "SELECT DISTINCT c.city FROM customers c JOIN purchases p ON c.email = p.email "
            "ORDER BY c.email",
            "ORDER BY is not allowed by the LIST analysis rule",
        ),
        (
            "SELECT DISTINCT c.city FROM customers c JOIN purchases p ON c.email = p.email "
            "GROUP BY c.city",
            "GROUP BY is not allowed by the LIST analysis rule",
        ),
        (
            "SELECT DISTINCT c.city FROM customers c JOIN purchases p ON c.email = p.email "
            "ORDER BY lower(c.city)",
            "ORDER BY is not allowed by the LIST analysis rule",
        ),
    ],
)
def test_the_list_rule_refuses_queries_outside_its_structure(sql: str, message: str) -> None:
    assert legacy_refusal(sql, customers(listing()), own_list()).startswith(message)


def test_and_or_are_operators_not_functions_in_where() -> None:
    # sqlglot types AND/OR as functions; the rules' syntax allows them in every condition
    where = "WHERE (city = 'Nice' OR city = 'Lyon') AND city <> 'Lyon'"
    joined = "FROM customers c JOIN purchases p ON c.email = p.email"
    listed = "WHERE (c.city = 'Nice' OR c.city = 'Paris') AND c.age > 40"

    assert legacy(
        f"SELECT city, SUM(age) AS n FROM customers {where} GROUP BY city ORDER BY city",
        customers(aggregation()),
    ).rows == (("Nice", 101),)
    assert legacy(
        f"SELECT DISTINCT c.city {joined} {listed}",
        customers(listing()),
        own_list(),
    ).rows == (("Nice",),)


@pytest.mark.parametrize(
    "order",
    ["ORDER BY town DESC", "ORDER BY c.city", "ORDER BY c.age", "ORDER BY 1", "ORDER BY c.email"],
)
def test_a_list_query_cannot_order_its_rows(order: str) -> None:
    # syntax (analysis-rules-list): SELECT DISTINCT ... [WHERE ...] [LIMIT number], no ORDER BY
    own = own_list()
    joined = "FROM customers c JOIN purchases p ON c.email = p.email"
    only_city = customers(listing(listColumns=["city"]))

    assert (
        legacy_refusal(f"SELECT DISTINCT c.city AS town {joined} {order}", only_city, own)
        == "ORDER BY is not allowed by the LIST analysis rule"
    )
    assert sorted(legacy(f"SELECT DISTINCT c.city AS town {joined}", only_city, own).rows) == [
        ("Lyon",),
        ("Nice",),
        ("Paris",),
    ]
