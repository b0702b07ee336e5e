"""Result column names and the refusals around them, as the advertiser who runs queries meets
them through boto3: Spark 3.5's names in the result file, a query whose result would hold two
columns of one name ending FAILED with Spark's words, a JOIN ... USING key taken from the side
Spark takes it from, and threshold refusals worded for a person."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from pq_support import ADVERTISER, PUBLISHER, THRESHOLD, Room, custom_rule, read_result


def header(room: Room, query: dict[str, Any]) -> list[str]:
    """The header row of the advertiser's result file."""
    body = read_result(room, ADVERTISER, query["result"]["output"]["s3"]["location"])
    return next(csv.reader(io.StringIO(body)))


def test_the_result_file_names_columns_as_spark_3_5_does(room: Room) -> None:
    query = room.query(
        "SELECT tier IS NOT NULL, nvl(tier, 'x'), substr(tier, 1, 2), CAST(tier AS STRING), "
        "tier || '!', pow(spend, 2), 1e3, 10L, DATE '2020-01-01', spend BETWEEN 0 AND 1 "
        "FROM customers c JOIN impressions i ON c.email_hash = i.email_hash LIMIT 1"
    )

    assert query["status"] == "SUCCESS", query.get("error")
    assert header(room, query) == [
        "(tier IS NOT NULL)",
        "nvl(tier, x)",
        "substr(tier, 1, 2)",
        "tier",
        "concat(tier, !)",
        "pow(spend, 2)",
        "1000.0",
        "10",
        "DATE '2020-01-01'",
        "((spend >= 0) AND (spend <= 1))",
    ]


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        ("SELECT tier, tier FROM customers", "tier"),
        ("SELECT COUNT(*), COUNT(1) FROM customers", "count(1)"),
        ("SELECT tier AS a, email_hash AS A FROM customers", "a"),
        ("SELECT * FROM customers c JOIN customers d ON c.email_hash = d.email_hash", "email_hash"),
        (
            "SELECT c.tier, i.campaign AS TIER, i.campaign FROM customers c "
            "JOIN impressions i ON c.email_hash = i.email_hash",
            "tier",
        ),
    ],
)
def test_two_columns_of_one_name_fail_as_spark_cannot_write_them(
    room: Room, sql: str, name: str
) -> None:
    failed = room.query(sql)

    assert failed["status"] == "FAILED"
    assert failed["error"]["code"] == "MALFORMED_QUERY"
    assert failed["error"]["message"] == (
        f"[COLUMN_ALREADY_EXISTS] The column `{name}` already exists. "
        "Consider to choose another name or rename the existing column."
    )
    assert "result" not in failed


def test_one_name_twice_inside_a_subquery_is_no_duplicate_output(room: Room) -> None:
    query = room.query("SELECT a FROM (SELECT tier AS a, tier AS b FROM customers) t LIMIT 1")

    assert query["status"] == "SUCCESS", query.get("error")
    assert header(room, query) == ["a"]


#: A key only customers' rule disallows: refused when Spark takes the customers side.
REFUSED = ("FAILED", "Column(s) [email_hash] is not allowed in select")


@pytest.mark.parametrize(
    ("sql", "outcome"),
    [
        ("SELECT * FROM impressions i JOIN customers c USING (email_hash)", ("SUCCESS", None)),
        (
            "SELECT email_hash, c.tier FROM impressions i LEFT JOIN customers c USING (email_hash)",
            ("SUCCESS", None),
        ),
        (
            "SELECT email_hash FROM customers c RIGHT JOIN impressions i USING (email_hash)",
            ("SUCCESS", None),
        ),
        ("SELECT email_hash FROM customers c JOIN impressions i USING (email_hash)", REFUSED),
        ("SELECT email_hash FROM impressions i RIGHT JOIN customers c USING (email_hash)", REFUSED),
        ("SELECT email_hash FROM impressions i FULL JOIN customers c USING (email_hash)", REFUSED),
    ],
)
def test_a_using_key_is_the_column_of_the_side_spark_takes(
    room: Room, sql: str, outcome: tuple[str, str | None]
) -> None:
    room.rule(ADVERTISER, "customers", custom_rule(disallowedOutputColumns=["email_hash"]))

    query = room.query(sql)

    assert (query["status"], query.get("error", {}).get("message")) == outcome


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT campaign FROM impressions UNION SELECT tier FROM customers",
        "SELECT campaign, COUNT(*) AS n FROM impressions GROUP BY campaign "
        "UNION ALL SELECT tier, COUNT(*) FROM customers GROUP BY tier",
        "SELECT campaign FROM impressions INTERSECT SELECT tier FROM customers",
    ],
)
def test_a_threshold_on_a_set_operation_is_refused_in_plain_words(room: Room, sql: str) -> None:
    room.rule(PUBLISHER, "impressions", custom_rule(aggregationThresholds=[THRESHOLD]))

    failed = room.query(sql)

    assert failed["status"] == "FAILED"
    assert failed["error"]["message"] == (
        "Aggregation threshold of table impressions cannot be enforced on the rows of a UNION, "
        "INTERSECT or EXCEPT; query the table in a single SELECT"
    )
