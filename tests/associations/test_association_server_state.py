"""``cleanrooms-mock serve --state``: associations and their collaboration analysis rules are
saved when the server stops and back when it starts again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3

from cleanrooms_mock.server import CleanRoomsServer

QUERIER, OWNER = "111111111111", "222222222222"


def _client(server: CleanRoomsServer, account: str) -> Any:
    return boto3.client(
        "cleanrooms",
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id=account,  # a 12-digit access key names its account
        aws_secret_access_key="secret",
    )


def test_associations_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with CleanRoomsServer(port=0, state=state, verify_glue_tables=False) as server:
        querier, owner = _client(server, QUERIER), _client(server, OWNER)
        collaboration = querier.create_collaboration(
            name="c",
            description="d",
            creatorDisplayName="Q",
            creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
            members=[{"accountId": OWNER, "displayName": "O", "memberAbilities": []}],
            queryLogStatus="ENABLED",
        )["collaboration"]
        querier.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
        )
        membership = owner.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
        )["membership"]
        table = owner.create_configured_table(
            name="t",
            analysisMethod="DIRECT_QUERY",
            allowedColumns=["user_id"],
            tableReference={"glue": {"databaseName": "d", "tableName": "t"}},
        )["configuredTable"]
        owner.create_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy={
                "v1": {
                    "custom": {
                        "allowedAnalyses": ["ANY_QUERY"],
                        "allowedAnalysisProviders": [QUERIER],
                    }
                }
            },
        )
        association = owner.create_configured_table_association(
            membershipIdentifier=membership["id"],
            configuredTableIdentifier=table["id"],
            name="t",
            roleArn=f"arn:aws:iam::{OWNER}:role/cleanrooms",
        )["configuredTableAssociation"]
        owner.create_configured_table_association_analysis_rule(
            membershipIdentifier=membership["id"],
            configuredTableAssociationIdentifier=association["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy={"v1": {"custom": {"allowedResultReceivers": [QUERIER]}}},
        )
        before = querier.get_schema(collaborationIdentifier=collaboration["id"], name="t")["schema"]

    with CleanRoomsServer(port=0, state=state) as server:
        querier, owner = _client(server, QUERIER), _client(server, OWNER)
        again = owner.get_configured_table_association(
            membershipIdentifier=membership["id"],
            configuredTableAssociationIdentifier=association["id"],
        )["configuredTableAssociation"]
        schema = querier.get_schema(collaborationIdentifier=collaboration["id"], name="t")["schema"]

    assert again == association | {"analysisRuleTypes": ["CUSTOM"]}
    assert schema == before
    assert schema["schemaStatusDetails"] == [
        {"status": "READY", "analysisRuleType": "CUSTOM", "analysisType": "DIRECT_ANALYSIS"}
    ]
