"""Analysis rules and result names as the member who can query meets them through boto3: a rule
break ends FAILED with the console's message, a query the rules let through runs, and the result
file names each column as the Spark engine does."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from pq_support import ADVERTISER, PUBLISHER, THRESHOLD, Room, custom_rule, read_result


def result_rows(room: Room, query: dict[str, Any]) -> list[list[str]]:
    """The advertiser's result file, header row first."""
    body = read_result(room, ADVERTISER, query["result"]["output"]["s3"]["location"])
    return list(csv.reader(io.StringIO(body)))


def test_unaliased_columns_are_named_as_spark_names_them(room: Room) -> None:
    query = room.query(
        "SELECT tier, COUNT(*), upper(tier), 1, COUNT(DISTINCT email_hash) > 2 "
        "FROM customers GROUP BY tier ORDER BY tier"
    )

    assert query["status"] == "SUCCESS", query.get("error")
    assert result_rows(room, query) == [
        ["tier", "count(1)", "upper(tier)", "1", "(count(DISTINCT email_hash) > 2)"],
        ["gold", "3", "GOLD", "1", "true"],
        ["silver", "3", "SILVER", "1", "true"],
    ]
    assert room.mock.query_result(query["id"])[0]["count(1)"] == 3


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT COUNT(i.email_hash) AS n FROM impressions i",
        "SELECT n FROM (SELECT COUNT(DISTINCT email_hash) AS n FROM impressions) x",
        "WITH s AS (SELECT MAX(email_hash) AS m FROM impressions) SELECT m FROM s",
        "SELECT collect_list(email_hash) AS hashes FROM impressions",
        "SELECT campaign, first(email_hash) AS h FROM impressions GROUP BY campaign",
        "SELECT concat(campaign, email_hash) AS x FROM impressions",
        "SELECT RANK() OVER (PARTITION BY email_hash ORDER BY spend) AS r FROM impressions",
        "SELECT * FROM impressions UNPIVOT (v FOR k IN (email_hash, campaign))",
        "SELECT to_json(struct(*)) AS row FROM impressions",
        "SELECT e FROM impressions LATERAL VIEW explode(array(email_hash)) t AS e",
    ],
)
def test_a_disallowed_column_cannot_reach_the_output_in_any_form(room: Room, sql: str) -> None:
    room.rule(PUBLISHER, "impressions", custom_rule(disallowedOutputColumns=["email_hash"]))

    failed = room.query(sql)

    assert failed["status"] == "FAILED"
    assert failed["error"]["code"] == "MALFORMED_QUERY"
    assert failed["error"]["message"] == "Column(s) [email_hash] is not allowed in select"
    assert "result" not in failed


def test_a_disallowed_column_can_still_join_filter_and_sort(room: Room) -> None:
    room.rule(PUBLISHER, "impressions", custom_rule(disallowedOutputColumns=["email_hash"]))

    query = room.query(
        "SELECT c.tier, COUNT(*) AS seen FROM customers c JOIN impressions i "
        "ON c.email_hash = i.email_hash WHERE i.email_hash IS NOT NULL "
        "GROUP BY c.tier ORDER BY c.tier"
    )

    assert query["status"] == "SUCCESS", query.get("error")
    assert room.mock.query_result(query["id"]) == [
        {"tier": "gold", "seen": 2},
        {"tier": "silver", "seen": 3},
    ]


@pytest.mark.parametrize(
    ("sql", "rows"),
    [
        (
            "SELECT DISTINCT campaign, COUNT(*) OVER (PARTITION BY campaign) AS n "
            "FROM impressions WHERE spend > 0.9",
            [{"campaign": "summer", "n": 3}],
        ),
        (
            "SELECT DISTINCT campaign, RANK() OVER (ORDER BY campaign) AS r FROM impressions "
            "ORDER BY r",
            [{"campaign": "spring", "r": 1}, {"campaign": "summer", "r": 4}],
        ),
        ("SELECT SUM(COUNT(*)) OVER () AS total FROM impressions", [{"total": 6}]),
    ],
)
def test_a_threshold_applies_to_distinct_and_window_queries(
    room: Room, sql: str, rows: list[dict[str, object]]
) -> None:
    room.rule(PUBLISHER, "impressions", custom_rule(aggregationThresholds=[THRESHOLD]))

    query = room.query(sql)

    assert query["status"] == "SUCCESS", query.get("error")
    assert room.mock.query_result(query["id"]) == rows


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT DISTINCT campaign FROM impressions",
        "SELECT campaign, COUNT(*) AS n FROM impressions GROUP BY campaign",
        "SELECT DISTINCT upper(campaign) AS c FROM impressions",
    ],
)
def test_distinct_is_a_column_comparison_as_group_by_is(room: Room, sql: str) -> None:
    controls = {
        "allowedColumnComparisonColumns": ["email_hash"],
        "allowedLiteralComparisonColumns": ["campaign", "spend"],
    }
    rule = custom_rule(aggregationThresholds=[THRESHOLD], comparisonControls=controls)
    room.rule(PUBLISHER, "impressions", rule)

    failed = room.query(sql)

    assert failed["status"] == "FAILED"
    assert failed["error"]["code"] == "MALFORMED_QUERY"
    assert failed["error"]["message"] == "Column(s) [campaign] is not allowed in column comparison"
    assert room.query("SELECT COUNT(DISTINCT email_hash) AS n FROM impressions")["status"] == (
        "SUCCESS"
    )
