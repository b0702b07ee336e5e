"""The whole story across accounts: an advertiser invites a publisher and a measurer; everyone
joins; each data owner configures its table (rows in S3), associates it and sets its rules;
the advertiser runs a template on both tables and the measurer reads the result from its own
bucket. Then the refusals: a non-provider's direct query, an unapproved template, a disallowed
column, a threshold dropping rows.

Templates are put in the store by ``Room.template`` (a test helper) until CreateAnalysisTemplate
is served."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from pq_support import (
    ADVERTISER,
    MEASURER,
    MEASURER_BUCKET,
    PUBLISHER,
    THRESHOLD,
    custom_rule,
    make_room,
)

from cleanrooms_mock import CleanRoomsMock

OVERLAP = (
    "SELECT i.campaign, COUNT(DISTINCT c.email_hash) AS reached FROM customers c "
    "JOIN impressions i ON c.email_hash = i.email_hash GROUP BY i.campaign ORDER BY i.campaign"
)


def test_a_template_runs_across_accounts_and_the_measurer_reads_the_result(
    cleanrooms_mock: CleanRoomsMock, cleanrooms_table: Callable[..., Any]
) -> None:
    # invite, join, configure, associate, rules (table rules and collaboration rules)
    room = make_room(cleanrooms_mock, cleanrooms_table)
    for account in (ADVERTISER, PUBLISHER, MEASURER):
        schemas = room[account].list_schemas(collaborationIdentifier=room.id)["schemaSummaries"]
        assert sorted(s["name"] for s in schemas) == ["customers", "impressions"]

    # the advertiser's template, approved by both owners
    arn = room.template(OVERLAP)
    for account, table in ((ADVERTISER, "customers"), (PUBLISHER, "impressions")):
        room.rule(account, table, custom_rule(allowedAnalyses=[arn], allowedAnalysisProviders=[]))

    # the query, its result to the measurer
    query = room.query(
        sqlParameters={"analysisTemplateArn": arn},
        resultConfiguration={"outputConfiguration": {"member": {"accountId": MEASURER}}},
    )
    assert query["status"] == "SUCCESS", query.get("error")
    assert query["result"]["output"] == {"memberList": [{"accountId": MEASURER}]}

    # the measurer finds it in its own bucket, under its key prefix
    measurer_s3 = room.s3(MEASURER)
    [entry] = measurer_s3.list_objects_v2(Bucket=MEASURER_BUCKET)["Contents"]
    assert entry["Key"].startswith(f"measured/collaboration={room.id}/{query['id']}/")
    body = measurer_s3.get_object(Bucket=MEASURER_BUCKET, Key=entry["Key"])["Body"].read()
    assert list(csv.DictReader(io.StringIO(body.decode()))) == [
        {"campaign": "spring", "reached": "3"},
        {"campaign": "summer", "reached": "2"},
    ]
    # only the runner sees its query
    assert (
        room[PUBLISHER].list_protected_queries(membershipIdentifier=room.memberships[PUBLISHER])[
            "protectedQueries"
        ]
        == []
    )

    # refusals, each a FAILED query with the reason
    def failure(**inputs: Any) -> str:
        failed = room.query(**inputs)
        assert failed["status"] == "FAILED"
        assert failed["error"]["code"] == "MALFORMED_QUERY"
        message: str = failed["error"]["message"]
        return message

    # a direct query, now that the tables allow only the template
    assert failure(sqlParameters={"queryString": "SELECT campaign FROM impressions"}) == (
        "Direct queries by this account are not allowed by the analysis rule of table impressions"
    )
    # a template the publisher did not approve
    unapproved = room.template(
        "SELECT c.tier FROM customers c JOIN impressions i ON c.email_hash = i.email_hash"
    )
    assert failure(sqlParameters={"analysisTemplateArn": unapproved}) == (
        f"Analysis template {unapproved} is not allowed by the analysis rule of table customers"
    )
    # a disallowed column
    room.rule(PUBLISHER, "impressions", custom_rule(disallowedOutputColumns=["spend"]))
    assert failure(sqlParameters={"queryString": "SELECT spend FROM impressions"}) == (
        "Column(s) [spend] is not allowed in select"
    )
    # a threshold drops rows silently: the query succeeds with fewer rows
    room.rule(PUBLISHER, "impressions", custom_rule(aggregationThresholds=[THRESHOLD]))
    room.rule(ADVERTISER, "customers", custom_rule())
    thresholded = room.query(OVERLAP)
    assert thresholded["status"] == "SUCCESS"
    assert cleanrooms_mock.query_result(thresholded["id"]) == [{"campaign": "spring", "reached": 3}]
