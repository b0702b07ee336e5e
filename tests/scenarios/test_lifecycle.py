"""The whole lifecycle as four accounts live it: creator, member A, member B and a stranger.

invite -> join -> list -> update -> remove member B -> member A leaves -> delete collaboration,
checking after every step what each account sees, under mock_cleanrooms and under mock_aws.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from helpers import CREATOR, MEMBER_A, MEMBER_B, STRANGER, client, create_collaboration, error_of
from moto import mock_aws

from cleanrooms_mock import mock_cleanrooms


def code(call: Callable[[], Any]) -> str:
    error = error_of(call)
    result: str = error["Error"]["Code"]
    return result


def collaborations(account_client: Any, **filters: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = account_client.list_collaborations(**filters)[
        "collaborationList"
    ]
    return result


def members(account_client: Any, collaboration_id: str) -> dict[str, dict[str, Any]]:
    summaries = account_client.list_members(collaborationIdentifier=collaboration_id)
    return {m["accountId"]: m for m in summaries["memberSummaries"]}


ACTIVATIONS: list[Callable[[], AbstractContextManager[Any]]] = [mock_cleanrooms, mock_aws]


@pytest.mark.parametrize("activate", ACTIVATIONS, ids=["mock_cleanrooms", "mock_aws"])
def test_four_account_lifecycle(activate: Callable[[], AbstractContextManager[Any]]) -> None:
    with activate():
        creator, a, b, stranger = (client(x) for x in (CREATOR, MEMBER_A, MEMBER_B, STRANGER))

        # -- invite ----------------------------------------------------------------------
        collaboration = create_collaboration(creator)
        cid = collaboration["id"]
        for party in (creator, a, b):
            [summary] = collaborations(party)
            assert summary["id"] == cid
            assert summary["memberStatus"] == "INVITED"
            assert collaborations(party, memberStatus="ACTIVE") == []
        assert collaborations(stranger) == []
        assert code(lambda: stranger.get_collaboration(collaborationIdentifier=cid)) == (
            "AccessDeniedException"
        )
        assert code(lambda: stranger.list_members(collaborationIdentifier=cid)) == (
            "AccessDeniedException"
        )
        seen = members(a, cid)
        assert list(seen) == [CREATOR, MEMBER_A, MEMBER_B]
        assert {m["status"] for m in seen.values()} == {"INVITED"}
        assert seen[CREATOR]["abilities"] == ["CAN_QUERY", "CAN_RECEIVE_RESULTS"]
        assert seen[CREATOR]["paymentConfiguration"] == {"queryCompute": {"isResponsible": True}}
        assert "membershipId" not in seen[MEMBER_A]

        # -- join ------------------------------------------------------------------------
        joined = {
            account: party.create_membership(collaborationIdentifier=cid, queryLogStatus="ENABLED")[
                "membership"
            ]
            for account, party in ((CREATOR, creator), (MEMBER_A, a), (MEMBER_B, b))
        }
        assert (
            code(
                lambda: stranger.create_membership(
                    collaborationIdentifier=cid, queryLogStatus="ENABLED"
                )
            )
            == "AccessDeniedException"
        )

        # -- list ------------------------------------------------------------------------
        for account, party in ((CREATOR, creator), (MEMBER_A, a), (MEMBER_B, b)):
            [summary] = collaborations(party, memberStatus="ACTIVE")
            assert summary["membershipId"] == joined[account]["id"]
            [own] = party.list_memberships()["membershipSummaries"]
            assert own["id"] == joined[account]["id"]
        seen = members(b, cid)
        assert {m["status"] for m in seen.values()} == {"ACTIVE"}
        assert seen[MEMBER_A]["membershipId"] == joined[MEMBER_A]["id"]
        assert seen[MEMBER_A]["membershipArn"] == joined[MEMBER_A]["arn"]
        # a member never sees another account's membership
        assert code(lambda: b.get_membership(membershipIdentifier=joined[MEMBER_A]["id"])) == (
            "ResourceNotFoundException"
        )
        assert stranger.list_memberships()["membershipSummaries"] == []

        # -- update ----------------------------------------------------------------------
        updated = creator.update_collaboration(
            collaborationIdentifier=cid, name="ads v2", description="renamed"
        )["collaboration"]
        assert updated["name"] == "ads v2"
        assert updated["updateTime"] >= collaboration["updateTime"]
        assert a.get_collaboration(collaborationIdentifier=cid)["collaboration"]["name"] == "ads v2"
        assert (
            a.get_membership(membershipIdentifier=joined[MEMBER_A]["id"])["membership"][
                "collaborationName"
            ]
            == "ads v2"
        )
        assert code(lambda: a.update_collaboration(collaborationIdentifier=cid, name="mine")) == (
            "AccessDeniedException"
        )
        assert (
            code(lambda: stranger.update_collaboration(collaborationIdentifier=cid, name="x"))
            == "AccessDeniedException"
        )
        changed = a.update_membership(
            membershipIdentifier=joined[MEMBER_A]["id"], queryLogStatus="DISABLED"
        )["membership"]
        assert changed["queryLogStatus"] == "DISABLED"
        assert (
            a.get_membership(membershipIdentifier=changed["id"])["membership"]["queryLogStatus"]
            == "DISABLED"
        )

        # -- remove member B -------------------------------------------------------------
        assert code(lambda: a.delete_member(collaborationIdentifier=cid, accountId=MEMBER_B)) == (
            "AccessDeniedException"
        )
        removal = creator.delete_member(collaborationIdentifier=cid, accountId=MEMBER_B)
        assert removal["ResponseMetadata"]["HTTPStatusCode"] == 204
        assert members(creator, cid)[MEMBER_B]["status"] == "REMOVED"
        b_membership = b.get_membership(membershipIdentifier=joined[MEMBER_B]["id"])["membership"]
        assert b_membership["status"] == "REMOVED"
        assert [m["status"] for m in b.list_memberships()["membershipSummaries"]] == ["REMOVED"]
        assert collaborations(b) == []
        assert code(lambda: b.get_collaboration(collaborationIdentifier=cid)) == (
            "AccessDeniedException"
        )
        assert code(lambda: b.list_members(collaborationIdentifier=cid)) == "AccessDeniedException"
        assert (
            code(
                lambda: b.update_membership(
                    membershipIdentifier=joined[MEMBER_B]["id"], queryLogStatus="DISABLED"
                )
            )
            == "ConflictException"
        )

        # -- member A leaves -------------------------------------------------------------
        assert (
            code(lambda: creator.delete_membership(membershipIdentifier=joined[CREATOR]["id"]))
            == "ConflictException"
        )  # the creator leaves only by deleting the collaboration
        left = a.delete_membership(membershipIdentifier=joined[MEMBER_A]["id"])
        assert left["ResponseMetadata"]["HTTPStatusCode"] == 204
        assert code(lambda: a.get_membership(membershipIdentifier=joined[MEMBER_A]["id"])) == (
            "ResourceNotFoundException"
        )
        assert a.list_memberships()["membershipSummaries"] == []
        assert collaborations(a) == []
        assert code(lambda: a.get_collaboration(collaborationIdentifier=cid)) == (
            "AccessDeniedException"
        )
        assert members(creator, cid)[MEMBER_A]["status"] == "LEFT"
        assert (
            code(lambda: a.create_membership(collaborationIdentifier=cid, queryLogStatus="ENABLED"))
            == "AccessDeniedException"
        )

        # -- delete the collaboration ----------------------------------------------------
        assert code(lambda: stranger.delete_collaboration(collaborationIdentifier=cid)) == (
            "AccessDeniedException"
        )
        deleted = creator.delete_collaboration(collaborationIdentifier=cid)
        assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
        assert code(lambda: creator.get_collaboration(collaborationIdentifier=cid)) == (
            "AccessDeniedException"
        )
        for party in (creator, a, b, stranger):
            assert collaborations(party) == []
        assert (
            creator.get_membership(membershipIdentifier=joined[CREATOR]["id"])["membership"][
                "status"
            ]
            == "COLLABORATION_DELETED"
        )
        # B was removed before the deletion: it stays REMOVED
        assert (
            b.get_membership(membershipIdentifier=joined[MEMBER_B]["id"])["membership"]["status"]
            == "REMOVED"
        )
        # with the collaboration gone, the creator may now delete its membership
        creator.delete_membership(membershipIdentifier=joined[CREATOR]["id"])
        assert creator.list_memberships()["membershipSummaries"] == []


@pytest.mark.usefixtures("mock")
def test_deleting_a_collaboration_ends_every_active_membership() -> None:
    creator, a = client(CREATOR), client(MEMBER_A)
    cid = create_collaboration(creator)["id"]
    membership = a.create_membership(collaborationIdentifier=cid, queryLogStatus="ENABLED")[
        "membership"
    ]
    assert code(lambda: a.delete_collaboration(collaborationIdentifier=cid)) == (
        "AccessDeniedException"
    )

    creator.delete_collaboration(collaborationIdentifier=cid)

    after = a.get_membership(membershipIdentifier=membership["id"])["membership"]
    assert after["status"] == "COLLABORATION_DELETED"
    assert [m["status"] for m in a.list_memberships()["membershipSummaries"]] == [
        "COLLABORATION_DELETED"
    ]
    assert a.list_memberships(status="ACTIVE")["membershipSummaries"] == []
    assert code(lambda: a.get_collaboration(collaborationIdentifier=cid)) == "AccessDeniedException"


@pytest.mark.usefixtures("mock")
def test_update_membership_follows_the_creation_rules() -> None:
    creator = client(CREATOR)
    cid = create_collaboration(
        creator,
        members=[
            {"accountId": MEMBER_A, "displayName": "A", "memberAbilities": ["CAN_RECEIVE_RESULTS"]}
        ],
    )["id"]
    results = {"outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": "results"}}}
    a = client(MEMBER_A)
    membership = a.create_membership(
        collaborationIdentifier=cid, queryLogStatus="ENABLED", defaultResultConfiguration=results
    )["membership"]
    moved = {"outputConfiguration": {"s3": {"resultFormat": "PARQUET", "bucket": "elsewhere"}}}

    updated = a.update_membership(
        membershipIdentifier=membership["id"], defaultResultConfiguration=moved
    )["membership"]

    assert updated["defaultResultConfiguration"] == moved
    assert updated["queryLogStatus"] == "ENABLED"  # untouched fields stay
    error = error_of(
        lambda: a.update_membership(
            membershipIdentifier=membership["id"],
            defaultJobResultConfiguration={
                "outputConfiguration": {"s3": {"bucket": "jobs"}},
                "roleArn": "arn:aws:iam::222222222222:user/not-a-role",
            },
        )
    )
    assert error["Error"]["Code"] == "ValidationException"
    assert error["fieldList"][0]["name"] == "defaultJobResultConfiguration.roleArn"
    assert (
        "defaultJobResultConfiguration"
        not in a.get_membership(membershipIdentifier=membership["id"])["membership"]
    )


@pytest.mark.usefixtures("mock")
def test_update_membership_payment_follows_the_creator() -> None:
    model = client(CREATOR).meta.service_model.operation_model("UpdateMembership")
    if "membershipPaymentConfiguration" not in model.input_shape.members:
        pytest.skip("this botocore's UpdateMembership has no membershipPaymentConfiguration")
    cid = create_collaboration(client(CREATOR))["id"]
    a = client(MEMBER_A)
    membership = a.create_membership(collaborationIdentifier=cid, queryLogStatus="ENABLED")[
        "membership"
    ]
    error = error_of(
        lambda: a.update_membership(
            membershipIdentifier=membership["id"],
            membershipPaymentConfiguration={"queryCompute": {"isResponsible": True}},
        )
    )
    assert error["fieldList"][0]["name"] == (
        "membershipPaymentConfiguration.queryCompute.isResponsible"
    )
    kept = a.update_membership(
        membershipIdentifier=membership["id"],
        membershipPaymentConfiguration={"queryCompute": {"isResponsible": False}},
    )["membership"]
    assert kept["paymentConfiguration"] == {"queryCompute": {"isResponsible": False}}
