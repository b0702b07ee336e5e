"""The clean room the protected query tests share: an advertiser who can query and receive
results, a publisher who brings impressions, and a measurer who only receives results; each
table is a Glue table with rows in S3 (the ``cleanrooms_table`` fixture), associated and ruled.

``room.query(sql)`` starts a direct query as the advertiser and returns the query as the next
GetProtectedQuery shows it; ``room.s3(account)`` is an S3 client acting as ``account``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from cleanrooms_mock import CleanRoomsMock
from cleanrooms_mock.mock import client_acting_as

ADVERTISER = "111111111111"
PUBLISHER = "222222222222"
MEASURER = "444444444444"
STRANGER = "555555555555"
RESULTS_BUCKET = "advertiser-results"
MEASURER_BUCKET = "measurer-results"


def email_hash(email: str) -> str:
    """How both members hash their customers' emails before bringing them."""
    return hashlib.sha256(email.encode()).hexdigest()


CUSTOMERS = [(email_hash(f"user{n}@example.com"), "gold" if n % 2 else "silver") for n in range(6)]
IMPRESSIONS = [
    (email_hash(f"user{n}@example.com"), campaign, spend)
    for n, campaign, spend in [
        (0, "spring", 1.5),
        (1, "spring", 2.0),
        (2, "spring", 0.5),
        (3, "summer", 4.0),
        (4, "summer", 1.0),
        (9, "summer", 9.0),
    ]
]


#: An aggregation threshold of the publisher: each output row counts 3 people or more.
THRESHOLD = {
    "identityColumns": ["email_hash"],
    "minimumIdentityCount": 3,
    "type": "COUNT_DISTINCT",
    "allowedAggregateExpressionType": "ANY_EXPRESSION",
}


def custom_rule(**body: Any) -> dict[str, Any]:
    """A CUSTOM rule letting the advertiser run any query, ``body`` added or replacing."""
    return {
        "v1": {
            "custom": {
                "allowedAnalyses": ["ANY_QUERY"],
                "allowedAnalysisProviders": [ADVERTISER],
                **body,
            }
        }
    }


@dataclass
class Room:
    """The joined clean room: clients, memberships, tables' configured table ids."""

    mock: CleanRoomsMock
    id: str
    clients: dict[str, Any]
    memberships: dict[str, str]
    tables: dict[str, str] = field(default_factory=dict)
    associations: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, account: str) -> Any:
        return self.clients[account]

    def s3(self, account: str) -> Any:
        return client_acting_as("s3", account, self.mock.region)

    def rule(self, account: str, table: str, rule: dict[str, Any]) -> None:
        """``account`` adds (or replaces) the analysis rule of its table ``table``."""
        client, table_id = self.clients[account], self.tables[table]
        kind = next(iter(rule["v1"])).upper()
        try:
            client.create_configured_table_analysis_rule(
                configuredTableIdentifier=table_id, analysisRuleType=kind, analysisRulePolicy=rule
            )
        except client.exceptions.ConflictException:
            client.update_configured_table_analysis_rule(
                configuredTableIdentifier=table_id, analysisRuleType=kind, analysisRulePolicy=rule
            )

    def start(self, sql: str | None = None, account: str = ADVERTISER, **inputs: Any) -> str:
        """``account`` starts a query (``sql``, or ``sqlParameters`` in ``inputs``); its id."""
        if sql is not None:
            inputs["sqlParameters"] = {"queryString": sql}
        inputs.setdefault(
            "resultConfiguration",
            {"outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": RESULTS_BUCKET}}},
        )
        query = self.clients[account].start_protected_query(
            type="SQL", membershipIdentifier=self.memberships[account], **inputs
        )["protectedQuery"]
        assert query["status"] == "SUBMITTED"
        query_id: str = query["id"]
        return query_id

    def get(self, query_id: str, account: str = ADVERTISER) -> dict[str, Any]:
        query: dict[str, Any] = self.clients[account].get_protected_query(
            membershipIdentifier=self.memberships[account], protectedQueryIdentifier=query_id
        )["protectedQuery"]
        return query

    def query(self, sql: str | None = None, **inputs: Any) -> dict[str, Any]:
        """Starts a query as the advertiser and reads it once (finished, by default)."""
        return self.get(self.start(sql, **inputs))

    def template(self, sql: str, parameters: list[dict[str, Any]] | None = None) -> str:
        """An SQL template of the advertiser's membership, created as the advertiser does.
        Returns its ARN."""
        created = self.clients[ADVERTISER].create_analysis_template(
            membershipIdentifier=self.memberships[ADVERTISER],
            name="overlap",
            format="SQL",
            source={"text": sql},
            **({"analysisParameters": parameters} if parameters else {}),
        )
        return str(created["analysisTemplate"]["arn"])


def make_room(mock: CleanRoomsMock, cleanrooms_table: Callable[..., Any]) -> Room:
    """Invite, join, configure, associate, rule: the room of the module docstring."""
    clients = {a: mock.client(a) for a in (ADVERTISER, PUBLISHER, MEASURER, STRANGER)}
    collaboration = clients[ADVERTISER].create_collaboration(
        name="overlap",
        description="advertiser x publisher",
        creatorDisplayName="Advertiser",
        creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        members=[
            {"accountId": PUBLISHER, "displayName": "Publisher", "memberAbilities": []},
            {
                "accountId": MEASURER,
                "displayName": "Measurer",
                "memberAbilities": ["CAN_RECEIVE_RESULTS"],
            },
        ],
        queryLogStatus="ENABLED",
    )["collaboration"]
    room = Room(mock, collaboration["id"], clients, {})
    for account in (ADVERTISER, PUBLISHER, MEASURER):
        extra = {}
        if account == MEASURER:
            s3 = {"resultFormat": "CSV", "bucket": MEASURER_BUCKET, "keyPrefix": "measured"}
            extra = {"defaultResultConfiguration": {"outputConfiguration": {"s3": s3}}}
        room.memberships[account] = clients[account].create_membership(
            collaborationIdentifier=room.id, queryLogStatus="ENABLED", **extra
        )["membership"]["id"]
    room.s3(ADVERTISER).create_bucket(Bucket=RESULTS_BUCKET)
    room.s3(MEASURER).create_bucket(Bucket=MEASURER_BUCKET)
    for account, name, columns, rows in [
        (ADVERTISER, "customers", {"email_hash": "string", "tier": "string"}, CUSTOMERS),
        (
            PUBLISHER,
            "impressions",
            {"email_hash": "string", "campaign": "string", "spend": "double"},
            IMPRESSIONS,
        ),
    ]:
        table = cleanrooms_table(
            columns, rows, name=name, account=account, associate={"collaborationId": room.id}
        )
        room.tables[name] = table.configured_table["id"]
        room.associations[name] = table.association["id"]
        room.rule(account, name, custom_rule())
        clients[account].create_configured_table_association_analysis_rule(
            membershipIdentifier=room.memberships[account],
            configuredTableAssociationIdentifier=table.association["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy={
                "v1": {"custom": {"allowedResultReceivers": [ADVERTISER, MEASURER]}}
            },
        )
    return room


@pytest.fixture
def room(cleanrooms_mock: CleanRoomsMock, cleanrooms_table: Callable[..., Any]) -> Room:
    """The clean room of the module docstring, ready to query."""
    return make_room(cleanrooms_mock, cleanrooms_table)


def read_result(room: Room, account: str, location: str) -> str:
    """The text of the result file at ``location`` (``s3://bucket/key``), read as ``account``."""
    bucket, _, key = location.removeprefix("s3://").partition("/")
    body: bytes = room.s3(account).get_object(Bucket=bucket, Key=key)["Body"].read()
    return body.decode()
