"""aws-sdk-pandas reads protected query results as real programs do:
``awswrangler.cleanrooms.read_sql_query`` starts the query (PARQUET to S3), polls
GetProtectedQuery, reads every object under ``result.output.s3.location`` and, with
``keep_files=False``, deletes them. Run against the mock, for a direct query and a template with
parameters; its default boto3 session acts as the advertiser (``MOTO_ACCOUNT_ID``)."""

from __future__ import annotations

from typing import Any

import pytest
from pq_support import ADVERTISER, PUBLISHER, RESULTS_BUCKET, Room, custom_rule

wr = pytest.importorskip("awswrangler")


@pytest.fixture
def as_advertiser(room: Room, monkeypatch: pytest.MonkeyPatch) -> Room:
    """The room, with boto3's default session acting as the advertiser in the mock's region, and
    awswrangler's 2-second polling delay removed (the mock needs none: a query is done at its
    first read)."""
    from awswrangler.cleanrooms import _utils

    monkeypatch.setenv("MOTO_ACCOUNT_ID", ADVERTISER)
    monkeypatch.setenv("AWS_DEFAULT_REGION", room.mock.region)
    monkeypatch.setattr(_utils, "_QUERY_WAIT_POLLING_DELAY", 0)
    return room


def records(frame: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = frame.to_dict(orient="records")
    return rows


def test_read_sql_query_runs_a_direct_query(as_advertiser: Room) -> None:
    room = as_advertiser

    frame = wr.cleanrooms.read_sql_query(
        sql="SELECT i.campaign, COUNT(DISTINCT c.email_hash) AS reached FROM customers c "
        "JOIN impressions i ON c.email_hash = i.email_hash GROUP BY i.campaign "
        "ORDER BY i.campaign",
        membership_id=room.memberships[ADVERTISER],
        output_bucket=RESULTS_BUCKET,
        output_prefix="wrangled",
        keep_files=False,
    )

    assert records(frame) == [
        {"campaign": "spring", "reached": 3},
        {"campaign": "summer", "reached": 2},
    ]
    # keep_files=False deleted what it read: nothing was left beside the result
    assert "Contents" not in room.s3(ADVERTISER).list_objects_v2(
        Bucket=RESULTS_BUCKET, Prefix="wrangled/"
    )


def test_read_sql_query_runs_a_template_with_parameters(as_advertiser: Room) -> None:
    room = as_advertiser
    arn = room.template(
        "SELECT campaign, SUM(spend) AS spend FROM impressions WHERE spend >= :min_spend "
        "GROUP BY campaign ORDER BY campaign",
        [{"name": "min_spend", "type": "DOUBLE"}],
    )
    room.rule(
        PUBLISHER, "impressions", custom_rule(allowedAnalyses=[arn], allowedAnalysisProviders=[])
    )

    frame = wr.cleanrooms.read_sql_query(
        analysis_template_arn=arn,
        params={"min_spend": "2"},
        membership_id=room.memberships[ADVERTISER],
        output_bucket=RESULTS_BUCKET,
        output_prefix="templated",
    )

    assert records(frame) == [
        {"campaign": "spring", "spend": 2.0},
        {"campaign": "summer", "spend": 13.0},
    ]


def test_a_failed_query_raises_what_awswrangler_raises(as_advertiser: Room) -> None:
    room = as_advertiser
    room.rule(PUBLISHER, "impressions", custom_rule(disallowedOutputColumns=["spend"]))

    # awswrangler 3.17 reads the response's "Error", not the model's "error": its message is None
    with pytest.raises(wr.exceptions.QueryFailed):
        wr.cleanrooms.read_sql_query(
            sql="SELECT spend FROM impressions",
            membership_id=room.memberships[ADVERTISER],
            output_bucket=RESULTS_BUCKET,
        )

    [failed] = room[ADVERTISER].list_protected_queries(
        membershipIdentifier=room.memberships[ADVERTISER], status="FAILED"
    )["protectedQueries"]
    error = room.get(failed["id"])["error"]
    assert error["message"] == "Column(s) [spend] is not allowed in select"
