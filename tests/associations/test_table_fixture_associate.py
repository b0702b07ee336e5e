"""The ``cleanrooms_table`` fixture's ``associate`` option: a Glue table, configured and
associated to a collaboration through its owner's membership, in one call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from assoc_support import ADVERTISER, CREATOR, MEASURER, PUBLISHER, STRANGER, Collaboration
from botocore.exceptions import ClientError

from cleanrooms_mock import CleanRoomsMock


def test_a_table_associated_by_its_owner(
    collab: Collaboration, cleanrooms_table: Callable[..., Any]
) -> None:
    table = cleanrooms_table(
        {"user_id": "string", "spend": "double"},
        name="Spend",
        account=PUBLISHER,
        associate=collab.id,
    )

    assert table.configured_table is not None
    assert table.association is not None
    assert table.association["name"] == "spend"
    assert table.association["configuredTableId"] == table.configured_table["id"]
    assert table.association["membershipId"] == collab.memberships[PUBLISHER]
    assert table.association["roleArn"] == f"arn:aws:iam::{PUBLISHER}:role/cleanrooms-table-access"
    assert collab.schema(CREATOR, "spend")["columns"] == [
        {"name": "user_id", "type": "string"},
        {"name": "spend", "type": "double"},
    ]


def test_association_inputs_can_be_given(
    collab: Collaboration, cleanrooms_table: Callable[..., Any]
) -> None:
    table = cleanrooms_table(
        {"user_id": "string", "email": "string"},
        account=ADVERTISER,
        configure={"allowedColumns": ["user_id"]},
        associate={"collaborationId": collab.id, "name": "buyers", "description": "who bought"},
    )

    assert table.association is not None
    assert table.association["description"] == "who bought"
    assert [c["name"] for c in collab.schema(MEASURER, "buyers")["columns"]] == ["user_id"]


@pytest.mark.parametrize(
    ("associate", "error", "match"),
    [
        (42, TypeError, "associate must be"),
        ({"name": "x"}, ValueError, "collaborationId must be"),
        ("not-a-uuid", ValueError, "collaborationId must be"),
        (
            {
                "collaborationId": "11111111-2222-3333-4444-555555555555",
                "membershipIdentifier": "x",
            },
            ValueError,
            "leave out membershipIdentifier",
        ),
    ],
)
def test_a_wrong_associate_is_refused_before_anything_is_made(
    cleanrooms_table: Callable[..., Any], associate: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        cleanrooms_table({"user_id": "string"}, name="t", associate=associate)

    glue = boto3.client("glue", region_name="us-east-1")
    assert glue.get_databases()["DatabaseList"] == []


def test_an_account_without_a_membership_is_told_to_join(
    cleanrooms_mock: CleanRoomsMock, collab: Collaboration, cleanrooms_table: Callable[..., Any]
) -> None:
    with pytest.raises(ValueError, match=f"account {STRANGER} has no ACTIVE membership"):
        cleanrooms_table({"user_id": "string"}, name="t", account=STRANGER, associate=collab.id)

    assert (
        cleanrooms_mock.client(STRANGER).list_configured_tables()["configuredTableSummaries"] == []
    )


def test_a_refused_association_takes_the_table_back(
    cleanrooms_mock: CleanRoomsMock, collab: Collaboration, cleanrooms_table: Callable[..., Any]
) -> None:
    cleanrooms_table({"user_id": "string"}, name="taken", account=PUBLISHER, associate=collab.id)

    with pytest.raises(ClientError) as caught:
        cleanrooms_table(
            {"user_id": "string"},
            name="other",
            account=ADVERTISER,
            associate={"collaborationId": collab.id, "name": "TAKEN"},
        )

    assert caught.value.response["reason"] == "ALREADY_EXISTS"
    advertiser = cleanrooms_mock.client(ADVERTISER)
    assert advertiser.list_configured_tables()["configuredTableSummaries"] == []
    # corrected, the same call runs again
    table = cleanrooms_table(
        {"user_id": "string"},
        name="other",
        account=ADVERTISER,
        associate={"collaborationId": collab.id, "name": "theirs"},
    )
    assert table.association is not None
