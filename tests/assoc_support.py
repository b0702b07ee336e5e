"""The collaboration the association, schema and scenario tests share: four accounts, as users
set it up; and their fixtures (each folder's conftest imports them).

The creator can query and receive results; the publisher and the advertiser bring tables; the
measurer can only receive results. Everyone joins. Tables are Glue tables with rows in S3 made
by the ``cleanrooms_table`` fixture, configured by the account that owns them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from cleanrooms_mock import CleanRoomsMock

CREATOR = "111111111111"
PUBLISHER = "222222222222"
ADVERTISER = "333333333333"
MEASURER = "444444444444"
STRANGER = "555555555555"

RESULTS = {"outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": "results"}}}
CUSTOMERS = {"user_id": "string", "segment": "varchar(16)", "spend": "double"}
#: An AGGREGATION analysis rule over CUSTOMERS' columns (the table rule and, by type, the
#: collaboration rule's counterpart).
AGGREGATION = {
    "v1": {
        "aggregation": {
            "aggregateColumns": [{"columnNames": ["spend"], "function": "SUM"}],
            "joinColumns": ["user_id"],
            "dimensionColumns": ["segment"],
            "scalarFunctions": [],
            "outputConstraints": [
                {"columnName": "user_id", "minimum": 2, "type": "COUNT_DISTINCT"}
            ],
        }
    }
}


def role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/cleanrooms-table-access"


def custom_rule(**body: Any) -> dict[str, Any]:
    """A CUSTOM analysis rule letting the creator run any query (the usual Spark setup)."""
    return {
        "v1": {
            "custom": {
                "allowedAnalyses": ["ANY_QUERY"],
                "allowedAnalysisProviders": [CREATOR],
                **body,
            }
        }
    }


def receivers(*accounts: str, rule_type: str = "custom", **body: Any) -> dict[str, Any]:
    """A collaboration analysis rule policy naming ``accounts`` as result receivers."""
    return {"v1": {rule_type: {"allowedResultReceivers": list(accounts), **body}}}


@dataclass
class Collaboration:
    """A joined collaboration: its id and, per account, a client and its membership id."""

    id: str
    clients: dict[str, Any]
    memberships: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, account: str) -> Any:
        return self.clients[account]

    def associate(self, account: str, table_id: str, name: str, **inputs: Any) -> dict[str, Any]:
        """``account`` associates its configured table ``table_id`` as ``name``."""
        association: dict[str, Any] = self.clients[account].create_configured_table_association(
            membershipIdentifier=self.memberships[account],
            configuredTableIdentifier=table_id,
            name=name,
            roleArn=role(account),
            **inputs,
        )["configuredTableAssociation"]
        return association

    def schema(self, account: str, name: str) -> dict[str, Any]:
        """What GetSchema answers ``account`` for ``name``."""
        schema: dict[str, Any] = self.clients[account].get_schema(
            collaborationIdentifier=self.id, name=name
        )["schema"]
        return schema


def reasons(schema: dict[str, Any], analysis_type: str = "DIRECT_ANALYSIS") -> list[str]:
    """The reason codes of one of a schema's status details (none when READY)."""
    [detail] = [d for d in schema["schemaStatusDetails"] if d["analysisType"] == analysis_type]
    return [reason["code"] for reason in detail.get("reasons", [])]


def four_accounts(
    mock: Any, join: tuple[str, ...] = (CREATOR, PUBLISHER, ADVERTISER, MEASURER)
) -> Collaboration:
    """The collaboration of the module docstring; ``join`` lists who joins it."""
    clients = {a: mock.client(a) for a in (CREATOR, PUBLISHER, ADVERTISER, MEASURER, STRANGER)}
    collaboration = clients[CREATOR].create_collaboration(
        name="campaign",
        description="publisher x advertiser",
        creatorDisplayName="Creator",
        creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        members=[
            {"accountId": PUBLISHER, "displayName": "Publisher", "memberAbilities": []},
            {"accountId": ADVERTISER, "displayName": "Advertiser", "memberAbilities": []},
            {
                "accountId": MEASURER,
                "displayName": "Measurer",
                "memberAbilities": ["CAN_RECEIVE_RESULTS"],
            },
        ],
        queryLogStatus="ENABLED",
    )["collaboration"]
    joined = Collaboration(collaboration["id"], clients)
    for account in join:
        extra = {"defaultResultConfiguration": RESULTS} if account == MEASURER else {}
        joined.memberships[account] = clients[account].create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED", **extra
        )["membership"]["id"]
    return joined


# ---- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def collab(cleanrooms_mock: CleanRoomsMock) -> Collaboration:
    """The four-account collaboration, everyone joined."""
    return four_accounts(cleanrooms_mock)


@pytest.fixture
def table_of(
    cleanrooms_mock: CleanRoomsMock, cleanrooms_table: Callable[..., Any]
) -> Callable[..., str]:
    """``table_of(account, name, rule=None, **configure)``: a configured table of ``account``
    over a Glue table ``name`` (CUSTOMERS' columns, partitioned by ``day``), with its analysis
    rule ``rule`` if given; returns the configured table's id."""

    def make(account: str, name: str, rule: dict[str, Any] | None = None, **configure: Any) -> str:
        table = cleanrooms_table(
            CUSTOMERS,
            [("u1", "sports", 12.5, "2026-01-01")],
            partition_keys={"day": "date"},
            name=name,
            account=account,
            configure=configure or True,
        )
        assert table.configured_table is not None
        configured_id: str = table.configured_table["id"]
        if rule is not None:
            cleanrooms_mock.client(account).create_configured_table_analysis_rule(
                configuredTableIdentifier=configured_id,
                analysisRuleType=next(iter(rule["v1"])).upper(),
                analysisRulePolicy=rule,
            )
        return configured_id

    return make
