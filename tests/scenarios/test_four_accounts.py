"""A collaboration of four accounts, step by step, as each account sees its schemas: a creator
who can query, two data providers (a publisher and an advertiser), and a member who receives
results. Invite, join, configure, associate, add the tables' analysis rules, then the
collaboration analysis rules; after each step, every account's view of every schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cleanrooms_mock import CleanRoomsMock

CREATOR, PUBLISHER, ADVERTISER, RECEIVER = (
    "111111111111",
    "222222222222",
    "333333333333",
    "444444444444",
)
STRANGER = "555555555555"
ACCOUNTS = (CREATOR, PUBLISHER, ADVERTISER, RECEIVER, STRANGER)
RESULTS = {"outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": "results"}}}
DENIED = "AccessDeniedException"


def test_four_accounts_bring_two_tables_to_a_query(
    cleanrooms_mock: CleanRoomsMock, cleanrooms_table: Callable[..., Any]
) -> None:
    clients = {account: cleanrooms_mock.client(account) for account in ACCOUNTS}

    def views(collaboration_id: str) -> dict[str, Any]:
        """Per account: its schemas by name with their status and reasons, or its error."""
        seen: dict[str, Any] = {}
        for account, client in clients.items():
            try:
                summaries = client.list_schemas(collaborationIdentifier=collaboration_id)
            except ClientError as error:
                seen[account] = error.response["Error"]["Code"]
                continue
            names = [s["name"] for s in summaries["schemaSummaries"]]
            schemas = client.batch_get_schema(
                collaborationIdentifier=collaboration_id, names=names or ["none"]
            )["schemas"]
            seen[account] = {
                schema["name"]: [
                    (d["status"], [r["code"] for r in d.get("reasons", [])])
                    for d in schema["schemaStatusDetails"]
                ]
                for schema in schemas
            }
        return seen

    def everyone(expected: Any) -> dict[str, Any]:
        """What the four members see alike; the stranger is always refused."""
        return {**dict.fromkeys(ACCOUNTS[:4], expected), STRANGER: DENIED}

    # invite: nobody has joined, not even the creator
    collaboration = clients[CREATOR].create_collaboration(
        name="campaign",
        description="reach x conversions",
        creatorDisplayName="Agency",
        creatorMemberAbilities=["CAN_QUERY"],
        members=[
            {"accountId": PUBLISHER, "displayName": "Publisher", "memberAbilities": []},
            {"accountId": ADVERTISER, "displayName": "Advertiser", "memberAbilities": []},
            {
                "accountId": RECEIVER,
                "displayName": "Measurement",
                "memberAbilities": ["CAN_RECEIVE_RESULTS"],
            },
        ],
        queryLogStatus="ENABLED",
    )["collaboration"]
    collaboration_id = collaboration["id"]
    assert views(collaboration_id) == everyone(DENIED)

    # join
    memberships = {}
    for account in ACCOUNTS[:4]:
        extra = {"defaultResultConfiguration": RESULTS} if account == RECEIVER else {}
        memberships[account] = clients[account].create_membership(
            collaborationIdentifier=collaboration_id, queryLogStatus="ENABLED", **extra
        )["membership"]["id"]
    assert views(collaboration_id) == everyone({})

    # configure: account-level tables, not in the collaboration yet
    reach = cleanrooms_table(
        {"user_id": "string", "campaign": "string", "impressions": "bigint"},
        [("u1", "spring", 3)],
        name="reach",
        account=PUBLISHER,
        configure=True,
    )
    conversions = cleanrooms_table(
        {"user_id": "string", "purchase": "double"},
        [("u1", 19.9)],
        name="conversions",
        account=ADVERTISER,
        configure=True,
    )
    assert views(collaboration_id) == everyone({})

    # associate
    tables = {PUBLISHER: reach.configured_table, ADVERTISER: conversions.configured_table}
    associations = {}
    for account, table in tables.items():
        assert table is not None
        associations[account] = clients[account].create_configured_table_association(
            membershipIdentifier=memberships[account],
            configuredTableIdentifier=table["id"],
            name=table["name"],
            roleArn=f"arn:aws:iam::{account}:role/cleanrooms",
        )["configuredTableAssociation"]
    no_rules = [
        ("NOT_READY", ["ANALYSIS_RULE_MISSING", "COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED"])
    ]
    assert views(collaboration_id) == everyone({"reach": no_rules, "conversions": no_rules})
    reach_schema = clients[RECEIVER].get_schema(
        collaborationIdentifier=collaboration_id, name="reach"
    )
    assert reach_schema["schema"]["creatorAccountId"] == PUBLISHER
    assert reach_schema["schema"]["columns"] == [
        {"name": "user_id", "type": "string"},
        {"name": "campaign", "type": "string"},
        {"name": "impressions", "type": "bigint"},
    ]

    # the tables' analysis rules: the creator may run any query on them; one at a time
    for account, table in tables.items():
        assert table is not None
        clients[account].create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy={
                "v1": {
                    "custom": {
                        "allowedAnalyses": ["ANY_QUERY"],
                        "allowedAnalysisProviders": [CREATOR],
                    }
                }
            },
        )
        if account == PUBLISHER:
            assert views(collaboration_id) == everyone(
                {
                    "reach": [("NOT_READY", ["COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED"])],
                    "conversions": no_rules,
                }
            )
    waiting = [("NOT_READY", ["COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED"])]
    assert views(collaboration_id) == everyone({"reach": waiting, "conversions": waiting})

    # the collaboration analysis rules: who receives results. The creator cannot (it may only
    # query), so naming it is refused; the measurement member can.
    def collaboration_rule(account: str, *receivers: str) -> Any:
        return clients[account].create_configured_table_association_analysis_rule(
            membershipIdentifier=memberships[account],
            configuredTableAssociationIdentifier=associations[account]["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy={"v1": {"custom": {"allowedResultReceivers": list(receivers)}}},
        )

    with pytest.raises(ClientError) as caught:
        collaboration_rule(PUBLISHER, CREATOR)
    refused = caught.value.response
    assert refused["Error"]["Code"] == "ValidationException"
    assert refused["fieldList"][0]["name"] == (
        "analysisRulePolicy.v1.custom.allowedResultReceivers[0]"
    )
    assert views(collaboration_id) == everyone({"reach": waiting, "conversions": waiting})

    collaboration_rule(PUBLISHER, RECEIVER)
    ready = [("READY", [])]
    assert views(collaboration_id) == everyone({"reach": ready, "conversions": waiting})
    collaboration_rule(ADVERTISER, RECEIVER)
    assert views(collaboration_id) == everyone({"reach": ready, "conversions": ready})

    # the measurement member leaves: nobody named can receive results any more
    clients[RECEIVER].delete_membership(membershipIdentifier=memberships[RECEIVER])
    gone = [("NOT_READY", ["RESULT_RECEIVERS_NOT_ALLOWED"])]
    assert views(collaboration_id) == {
        **everyone({"reach": gone, "conversions": gone}),
        RECEIVER: DENIED,
    }
