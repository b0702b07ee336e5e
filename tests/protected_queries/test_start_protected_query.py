"""StartProtectedQuery and GetProtectedQuery, as the member who can query uses them: a direct
query runs on both members' rows and its result lands in the advertiser's bucket."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from helpers import raises_aws
from pq_support import (
    ADVERTISER,
    MEASURER,
    MEASURER_BUCKET,
    PUBLISHER,
    RESULTS_BUCKET,
    THRESHOLD,
    Room,
    custom_rule,
    read_result,
)


def read_csv(room: Room, account: str, location: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_result(room, account, location))))


def test_a_direct_query_joins_both_tables_and_writes_csv(room: Room) -> None:
    query = room.query(
        "SELECT i.campaign, COUNT(DISTINCT c.email_hash) AS reached, SUM(i.spend) AS spend "
        "FROM customers c JOIN impressions i ON c.email_hash = i.email_hash "
        "GROUP BY i.campaign ORDER BY i.campaign"
    )

    assert query["status"] == "SUCCESS", query.get("error")
    location = query["result"]["output"]["s3"]["location"]
    assert location.startswith(f"s3://{RESULTS_BUCKET}/collaboration={room.id}/{query['id']}/")
    assert read_csv(room, ADVERTISER, location) == [
        {"campaign": "spring", "reached": "3", "spend": "4.0"},
        {"campaign": "summer", "reached": "2", "spend": "5.0"},
    ]
    assert room.mock.query_result(query["id"]) == [
        {"campaign": "spring", "reached": 3, "spend": 4.0},
        {"campaign": "summer", "reached": 2, "spend": 5.0},
    ]
    [summary] = room[ADVERTISER].list_protected_queries(
        membershipIdentifier=room.memberships[ADVERTISER]
    )["protectedQueries"]
    assert summary["receiverConfigurations"] == [
        {
            "analysisType": "DIRECT_ANALYSIS",
            "configurationDetails": {
                "directAnalysisConfigurationDetails": {"receiverAccountIds": [ADVERTISER]}
            },
        }
    ]
    assert query["statistics"]["totalDurationInMillis"] >= 0
    assert query["queryComputePayerAccountId"] == ADVERTISER


def test_a_rule_break_fails_the_query_not_the_call(room: Room) -> None:
    broken: Any = room.query("SELECT nothing FROM customers")

    assert broken["status"] == "FAILED"
    assert broken["error"]["code"] == "MALFORMED_QUERY"
    assert "result" not in broken


@pytest.mark.parametrize(
    ("sql", "code", "says"),
    [
        ("SELECT nothing FROM customers", "MALFORMED_QUERY", "nothing"),
        ("SELEC tier FROM customers", "MALFORMED_QUERY", "Syntax error"),
        ("SELECT tier FROM missing_table", "MALFORMED_QUERY", "missing_table"),
        ("DROP TABLE customers", "MALFORMED_QUERY", "Only SELECT"),
    ],
)
def test_bad_sql_ends_failed_with_the_reason(room: Room, sql: str, code: str, says: str) -> None:
    failed = room.query(sql)

    assert failed["status"] == "FAILED"
    assert failed["error"]["code"] == code
    assert says in failed["error"]["message"]
    assert failed["error"]["retry"] == {"retryable": False}
    assert "result" not in failed
    with pytest.raises(ValueError, match="FAILED"):
        room.mock.query_result(failed["id"])


def test_a_disallowed_column_fails_with_the_console_message(room: Room) -> None:
    room.rule(PUBLISHER, "impressions", custom_rule(disallowedOutputColumns=["spend"]))

    failed = room.query("SELECT i.spend FROM impressions i")

    assert failed["status"] == "FAILED"
    assert failed["error"]["message"] == "Column(s) [spend] is not allowed in select"


def test_a_threshold_drops_small_groups_silently(room: Room) -> None:
    room.rule(PUBLISHER, "impressions", custom_rule(aggregationThresholds=[THRESHOLD]))

    query = room.query(
        "SELECT campaign, COUNT(DISTINCT email_hash) AS users FROM impressions "
        "WHERE spend > 0.9 GROUP BY campaign"
    )

    # spring keeps 2 users above 0.9, below the minimum of 3: its row is dropped, no error
    assert query["status"] == "SUCCESS", query.get("error")
    assert room.mock.query_result(query["id"]) == [{"campaign": "summer", "users": 3}]


def test_a_non_provider_direct_query_fails(room: Room) -> None:
    room.rule(PUBLISHER, "impressions", custom_rule(allowedAnalysisProviders=[MEASURER]))

    failed = room.query("SELECT campaign FROM impressions")

    assert failed["status"] == "FAILED"
    assert failed["error"] == {
        "code": "MALFORMED_QUERY",
        "message": "Direct queries by this account are not allowed by the analysis rule of "
        "table impressions",
        "retry": {"retryable": False},
    }


def test_member_output_goes_to_the_receivers_default_configuration(room: Room) -> None:
    query = room.query(
        "SELECT tier, COUNT(*) AS n FROM customers GROUP BY tier ORDER BY tier",
        resultConfiguration={"outputConfiguration": {"member": {"accountId": MEASURER}}},
    )

    assert query["status"] == "SUCCESS", query.get("error")
    assert query["result"]["output"] == {"memberList": [{"accountId": MEASURER}]}
    listed = room.s3(MEASURER).list_objects_v2(Bucket=MEASURER_BUCKET)["Contents"]
    [key] = [entry["Key"] for entry in listed]
    assert key.startswith(f"measured/collaboration={room.id}/{query['id']}/")
    assert read_csv(room, MEASURER, f"s3://{MEASURER_BUCKET}/{key}") == [
        {"tier": "gold", "n": "3"},
        {"tier": "silver", "n": "3"},
    ]


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"sqlParameters": {}}, "sqlParameters"),
        (
            {"sqlParameters": {"queryString": "SELECT 1", "parameters": {"a": "1"}}},
            "sqlParameters.parameters",
        ),
        (
            {
                "sqlParameters": {"queryString": "SELECT 1"},
                "queryComputePayerAccountId": PUBLISHER,
            },
            "queryComputePayerAccountId",
        ),
        (
            {
                "sqlParameters": {"queryString": "SELECT 1"},
                "resultConfiguration": {
                    "outputConfiguration": {"member": {"accountId": PUBLISHER}}
                },
            },
            "resultConfiguration.outputConfiguration.member.accountId",
        ),
    ],
)
def test_start_refuses_input_aws_refuses(room: Room, inputs: dict[str, Any], field: str) -> None:
    client = room[ADVERTISER]
    inputs.setdefault(
        "resultConfiguration",
        {"outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": RESULTS_BUCKET}}},
    )
    with pytest.raises(ClientError) as raised:
        client.start_protected_query(
            type="SQL", membershipIdentifier=room.memberships[ADVERTISER], **inputs
        )

    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert [f["name"] for f in raised.value.response["fieldList"]] == [field]
    listed = client.list_protected_queries(membershipIdentifier=room.memberships[ADVERTISER])
    assert listed["protectedQueries"] == []


def test_a_member_who_cannot_query_is_refused(room: Room) -> None:
    with pytest.raises(ClientError) as raised:
        room.start("SELECT tier FROM customers", account=PUBLISHER)

    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"


def test_a_membership_of_a_deleted_collaboration_cannot_run_queries(room: Room) -> None:
    membership = room[ADVERTISER].get_membership(membershipIdentifier=room.memberships[ADVERTISER])
    room[ADVERTISER].delete_collaboration(
        collaborationIdentifier=membership["membership"]["collaborationId"]
    )

    # StartProtectedQuery declares no ConflictException: a membership that is not ACTIVE is
    # denied, as a member without the ability is.
    with raises_aws(
        "AccessDeniedException", status=403, message=re.compile("COLLABORATION_DELETED")
    ):
        room.start("SELECT tier FROM customers")
    listed = room[ADVERTISER].list_protected_queries(
        membershipIdentifier=room.memberships[ADVERTISER]
    )
    assert listed["protectedQueries"] == []


def test_distribute_writes_to_s3_and_to_each_member(room: Room) -> None:
    s3 = {"resultFormat": "PARQUET", "bucket": RESULTS_BUCKET, "singleFileOutput": False}
    query = room.query(
        "SELECT tier FROM customers GROUP BY tier",
        resultConfiguration={
            "outputConfiguration": {
                "distribute": {"locations": [{"s3": s3}, {"member": {"accountId": MEASURER}}]}
            }
        },
    )

    assert query["status"] == "SUCCESS", query.get("error")
    output = query["result"]["output"]["distribute"]
    assert output["memberList"] == [{"accountId": MEASURER}]
    assert output["s3"]["location"].endswith(f"/{query['id']}/part-00000.parquet")
    assert len(room.s3(MEASURER).list_objects_v2(Bucket=MEASURER_BUCKET)["Contents"]) == 1


@pytest.mark.parametrize(
    "locations",
    [
        [{"member": {"accountId": ADVERTISER}}],
        [
            {"s3": {"resultFormat": "CSV", "bucket": RESULTS_BUCKET}},
            {"s3": {"resultFormat": "CSV", "bucket": RESULTS_BUCKET, "keyPrefix": "again"}},
        ],
    ],
)
def test_distribute_refuses_what_the_model_forbids(
    room: Room, locations: list[dict[str, Any]]
) -> None:
    with pytest.raises(ClientError) as raised:
        room.start(
            "SELECT tier FROM customers",
            resultConfiguration={"outputConfiguration": {"distribute": {"locations": locations}}},
        )

    assert raised.value.response["Error"]["Code"] == "ValidationException"
