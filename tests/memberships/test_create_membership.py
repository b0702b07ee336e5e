"""Joining a collaboration with create_membership, as the invited account does it on AWS."""

from __future__ import annotations

import re

import pytest
from botocore.config import Config
from helpers import (
    CREATOR,
    MEMBER_A,
    MEMBER_B,
    REGION,
    STRANGER,
    client,
    create_collaboration,
    error_of,
    raises_aws,
)

from cleanrooms_mock import mock_cleanrooms

pytestmark = pytest.mark.usefixtures("mock")

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
RESULTS = {"outputConfiguration": {"s3": {"resultFormat": "PARQUET", "bucket": "results-bucket"}}}
ROLE = "arn:aws:iam::222222222222:role/cleanrooms-results"


def test_invited_account_joins_with_its_own_abilities() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(
        creator,
        members=[
            {
                "accountId": MEMBER_A,
                "displayName": "Advertiser",
                "memberAbilities": ["CAN_RECEIVE_RESULTS"],
            }
        ],
    )
    member = client(MEMBER_A)

    membership = member.create_membership(
        collaborationIdentifier=collaboration["id"],
        queryLogStatus="DISABLED",
        defaultResultConfiguration=RESULTS,
    )["membership"]

    assert UUID.fullmatch(membership["id"])
    assert (
        membership["arn"] == f"arn:aws:cleanrooms:{REGION}:{MEMBER_A}:membership/{membership['id']}"
    )
    assert membership["collaborationArn"] == collaboration["arn"]
    assert f":{CREATOR}:collaboration/" in membership["collaborationArn"]
    assert membership["collaborationId"] == collaboration["id"]
    assert membership["collaborationCreatorAccountId"] == CREATOR
    assert membership["collaborationCreatorDisplayName"] == "Publisher"
    assert membership["collaborationName"] == "ads"
    assert membership["status"] == "ACTIVE"
    assert membership["memberAbilities"] == [
        "CAN_RECEIVE_RESULTS"
    ]  # the invitation's, not the creator's
    assert membership["queryLogStatus"] == "DISABLED"
    assert membership["paymentConfiguration"] == {"queryCompute": {"isResponsible": False}}
    assert membership["createTime"] == membership["updateTime"]


def test_joining_turns_the_member_active_in_the_collaboration() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator)
    member = client(MEMBER_A)
    assert (
        member.get_collaboration(collaborationIdentifier=collaboration["id"])["collaboration"][
            "memberStatus"
        ]
        == "INVITED"
    )

    membership = member.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]

    seen_by_member = member.get_collaboration(collaborationIdentifier=collaboration["id"])[
        "collaboration"
    ]
    assert seen_by_member["memberStatus"] == "ACTIVE"
    assert seen_by_member["membershipId"] == membership["id"]
    assert seen_by_member["membershipArn"] == membership["arn"]
    # The creator is a member too, INVITED until it joins; it sees its own status, not A's.
    seen_by_creator = creator.get_collaboration(collaborationIdentifier=collaboration["id"])[
        "collaboration"
    ]
    assert seen_by_creator["memberStatus"] == "INVITED"
    assert "membershipId" not in seen_by_creator


def test_creator_joins_its_own_collaboration_and_pays_by_default() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator)

    membership = creator.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]

    assert membership["arn"].split(":")[4] == CREATOR
    assert membership["memberAbilities"] == ["CAN_QUERY", "CAN_RECEIVE_RESULTS"]
    assert membership["paymentConfiguration"] == {"queryCompute": {"isResponsible": True}}
    assert (
        creator.get_collaboration(collaborationIdentifier=collaboration["id"])["collaboration"][
            "memberStatus"
        ]
        == "ACTIVE"
    )


def test_every_input_is_stored_and_returned() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(
        creator,
        isMetricsEnabled=True,
        jobLogStatus="ENABLED",
        creatorMemberAbilities=["CAN_RECEIVE_RESULTS"],
        members=[
            {
                "accountId": MEMBER_A,
                "displayName": "Advertiser",
                "memberAbilities": ["CAN_QUERY", "CAN_RUN_JOB"],
            }
        ],
    )
    member = client(MEMBER_A)
    job_results = {
        "outputConfiguration": {"s3": {"bucket": "jobs-bucket", "keyPrefix": "out/"}},
        "roleArn": ROLE,
    }

    created = member.create_membership(
        collaborationIdentifier=collaboration["id"],
        queryLogStatus="ENABLED",
        jobLogStatus="DISABLED",
        tags={"team": "ads", "env": "test"},
        defaultResultConfiguration={**RESULTS, "roleArn": ROLE},
        defaultJobResultConfiguration=job_results,
        paymentConfiguration={"queryCompute": {"isResponsible": True}},
        isMetricsEnabled=True,
    )["membership"]

    fetched = member.get_membership(membershipIdentifier=created["id"])["membership"]
    for membership in (created, fetched):
        assert membership["queryLogStatus"] == "ENABLED"
        assert membership["jobLogStatus"] == "DISABLED"
        assert membership["defaultResultConfiguration"] == {**RESULTS, "roleArn": ROLE}
        assert membership["defaultJobResultConfiguration"] == job_results
        assert membership["paymentConfiguration"] == {"queryCompute": {"isResponsible": True}}
        assert membership["isMetricsEnabled"] is True
        assert membership["memberAbilities"] == ["CAN_QUERY", "CAN_RUN_JOB"]
    assert member.list_tags_for_resource(resourceArn=created["arn"])["tags"] == {
        "team": "ads",
        "env": "test",
    }


def test_result_configuration_role_is_optional_for_queries_but_required_for_jobs() -> None:
    collaboration = create_collaboration(client(CREATOR))
    # botocore checks required members itself; turn that off to see what the service says.
    member = client(MEMBER_A, config=Config(parameter_validation=False))

    error = error_of(
        lambda: member.create_membership(
            collaborationIdentifier=collaboration["id"],
            queryLogStatus="ENABLED",
            defaultResultConfiguration=RESULTS,  # no roleArn: fine
            defaultJobResultConfiguration={"outputConfiguration": {"s3": {"bucket": "jobs"}}},
        )
    )
    assert error["Error"]["Code"] == "ValidationException"
    assert error["fieldList"] == [
        {"name": "defaultJobResultConfiguration.roleArn", "message": "Member must not be null"}
    ]
    assert member.list_memberships()["membershipSummaries"] == []
    joined = member.create_membership(
        collaborationIdentifier=collaboration["id"],
        queryLogStatus="ENABLED",
        defaultResultConfiguration=RESULTS,
    )["membership"]
    assert joined["defaultResultConfiguration"] == RESULTS


def test_list_memberships_shows_the_callers_memberships_only() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator)
    member_a, member_b = client(MEMBER_A), client(MEMBER_B)
    joined_a = member_a.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]

    summaries = member_a.list_memberships()["membershipSummaries"]
    assert [s["id"] for s in summaries] == [joined_a["id"]]
    assert summaries[0]["collaborationName"] == "ads"
    assert summaries[0]["status"] == "ACTIVE"
    assert member_b.list_memberships()["membershipSummaries"] == []
    assert creator.list_memberships()["membershipSummaries"] == []
    assert member_a.list_memberships(status="REMOVED")["membershipSummaries"] == []


# ---- payment -----------------------------------------------------------------------------


def test_member_made_payer_must_accept_payment_to_join() -> None:
    collaboration = create_collaboration(
        client(CREATOR),
        creatorPaymentConfiguration={"queryCompute": {"isResponsible": False}},
        members=[
            {
                "accountId": MEMBER_A,
                "displayName": "Advertiser",
                "memberAbilities": [],
                "paymentConfiguration": {"queryCompute": {"isResponsible": True}},
            }
        ],
    )
    member = client(MEMBER_A)

    with raises_aws(
        "ValidationException",
        status=400,
        reason="FIELD_VALIDATION_FAILED",
        field="paymentConfiguration",
    ):
        member.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
        )

    joined = member.create_membership(
        collaborationIdentifier=collaboration["id"],
        queryLogStatus="ENABLED",
        paymentConfiguration={"queryCompute": {"isResponsible": True}},
    )["membership"]
    assert joined["paymentConfiguration"] == {"queryCompute": {"isResponsible": True}}


@pytest.mark.parametrize(
    ("abilities", "accepted"),
    [
        (["CAN_QUERY"], False),  # the querier is the default payer: cannot decline
        ([], True),  # not the payer: cannot claim to pay
    ],
)
def test_payment_contradicting_the_creator_is_refused(abilities: list[str], accepted: bool) -> None:
    collaboration = create_collaboration(
        client(CREATOR),
        creatorMemberAbilities=["CAN_RECEIVE_RESULTS"],
        members=[{"accountId": MEMBER_A, "displayName": "A", "memberAbilities": abilities}],
    )
    member = client(MEMBER_A)

    error = error_of(
        lambda: member.create_membership(
            collaborationIdentifier=collaboration["id"],
            queryLogStatus="ENABLED",
            paymentConfiguration={"queryCompute": {"isResponsible": accepted}},
        )
    )
    assert error["Error"]["Code"] == "ValidationException"
    assert error["fieldList"][0]["name"] == "paymentConfiguration.queryCompute.isResponsible"
    assert member.list_memberships()["membershipSummaries"] == []


def test_querying_member_pays_by_default_when_creator_named_no_payer() -> None:
    collaboration = create_collaboration(
        client(CREATOR),
        creatorMemberAbilities=["CAN_RECEIVE_RESULTS"],
        members=[{"accountId": MEMBER_A, "displayName": "A", "memberAbilities": ["CAN_QUERY"]}],
    )
    joined = client(MEMBER_A).create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]
    assert joined["paymentConfiguration"] == {"queryCompute": {"isResponsible": True}}


def test_metrics_need_a_collaboration_with_metrics() -> None:
    collaboration = create_collaboration(client(CREATOR))  # isMetricsEnabled not set
    error = error_of(
        lambda: client(CREATOR).create_membership(
            collaborationIdentifier=collaboration["id"],
            queryLogStatus="ENABLED",
            isMetricsEnabled=True,
        )
    )
    assert error["Error"]["Code"] == "ValidationException"
    assert error["fieldList"][0]["name"] == "isMetricsEnabled"


def test_member_receiving_results_without_querying_must_say_where_results_go() -> None:
    collaboration = create_collaboration(
        client(CREATOR),
        members=[
            {"accountId": MEMBER_A, "displayName": "A", "memberAbilities": ["CAN_RECEIVE_RESULTS"]}
        ],
    )
    with raises_aws("ValidationException", field="defaultResultConfiguration"):
        client(MEMBER_A).create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
        )


# ---- errors ------------------------------------------------------------------------------


def _access_denied(error: dict) -> None:
    assert error["Error"]["Code"] == "AccessDeniedException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["reason"] == "INSUFFICIENT_PERMISSIONS"


def test_unknown_collaboration_is_access_denied() -> None:
    member = client(MEMBER_A)
    _access_denied(
        error_of(
            lambda: member.create_membership(
                collaborationIdentifier="00000000-0000-4000-8000-000000000000",
                queryLogStatus="ENABLED",
            )
        )
    )


def test_account_not_invited_is_access_denied() -> None:
    collaboration = create_collaboration(client(CREATOR))
    stranger = client(STRANGER)
    _access_denied(
        error_of(
            lambda: stranger.create_membership(
                collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
            )
        )
    )
    _access_denied(
        error_of(lambda: stranger.get_collaboration(collaborationIdentifier=collaboration["id"]))
    )
    assert stranger.list_memberships()["membershipSummaries"] == []


def test_collaboration_in_another_region_is_not_visible() -> None:
    collaboration = create_collaboration(client(CREATOR))
    elsewhere = client(MEMBER_A, region="eu-west-1")
    _access_denied(
        error_of(
            lambda: elsewhere.create_membership(
                collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
            )
        )
    )


def test_joining_twice_is_a_conflict() -> None:
    collaboration = create_collaboration(client(CREATOR))
    member = client(MEMBER_A)
    first = member.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]

    error = error_of(
        lambda: member.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
        )
    )
    assert error["Error"]["Code"] == "ConflictException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert error["reason"] == "ALREADY_EXISTS"
    assert error["resourceType"] == "MEMBERSHIP"
    assert error["resourceId"] == first["id"]
    assert len(member.list_memberships()["membershipSummaries"]) == 1


def test_member_who_left_cannot_rejoin() -> None:
    collaboration = create_collaboration(client(CREATOR))
    member = client(MEMBER_A)
    membership = member.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]
    member.delete_membership(membershipIdentifier=membership["id"])

    _access_denied(
        error_of(
            lambda: member.create_membership(
                collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
            )
        )
    )


def test_removed_member_cannot_rejoin_and_its_membership_turns_removed() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator)
    member = client(MEMBER_A)
    membership = member.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]

    creator.delete_member(collaborationIdentifier=collaboration["id"], accountId=MEMBER_A)

    assert (
        member.get_membership(membershipIdentifier=membership["id"])["membership"]["status"]
        == "REMOVED"
    )
    _access_denied(
        error_of(
            lambda: member.create_membership(
                collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
            )
        )
    )


def test_membership_quota_is_enforced_and_configurable() -> None:
    creator = client(CREATOR)
    first = create_collaboration(creator)
    second = create_collaboration(creator, name="second")
    member = client(MEMBER_A)

    with mock_cleanrooms(quotas={"memberships_per_account": 1}):  # nested: state is kept
        member.create_membership(collaborationIdentifier=first["id"], queryLogStatus="ENABLED")
        error = error_of(
            lambda: member.create_membership(
                collaborationIdentifier=second["id"], queryLogStatus="ENABLED"
            )
        )
    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert error["quotaName"] == "Memberships per account"
    assert error["quotaValue"] == 1.0
    assert len(member.list_memberships()["membershipSummaries"]) == 1
    # Back to the default of 100 once the nested activation ends.
    member.create_membership(collaborationIdentifier=second["id"], queryLogStatus="ENABLED")


@pytest.mark.parametrize("ending", ["leave", "removed", "collaboration deleted"])
def test_a_membership_that_ends_frees_its_place_in_the_quota(ending: str) -> None:
    creator = client(CREATOR)
    first = create_collaboration(creator)
    second = create_collaboration(creator, name="second")
    member = client(MEMBER_A)

    with mock_cleanrooms(quotas={"memberships_per_account": 1}):
        joined = member.create_membership(
            collaborationIdentifier=first["id"], queryLogStatus="ENABLED"
        )["membership"]
        if ending == "leave":
            member.delete_membership(membershipIdentifier=joined["id"])
        elif ending == "removed":
            creator.delete_member(collaborationIdentifier=first["id"], accountId=MEMBER_A)
        else:
            creator.delete_collaboration(collaborationIdentifier=first["id"])

        again = member.create_membership(
            collaborationIdentifier=second["id"], queryLogStatus="ENABLED"
        )["membership"]
        assert again["status"] == "ACTIVE"


def test_unknown_quota_names_are_refused() -> None:
    with pytest.raises(ValueError, match="memberships_per_account"):
        mock_cleanrooms(quotas={"memberships": 1})


def test_unknown_membership_is_not_found() -> None:
    member = client(MEMBER_A)
    missing = "11111111-2222-4333-8444-555555555555"
    error = error_of(lambda: member.get_membership(membershipIdentifier=missing))
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["resourceId"] == missing
    assert error["resourceType"] == "MEMBERSHIP"


def test_another_accounts_membership_is_not_found() -> None:
    collaboration = create_collaboration(client(CREATOR))
    membership = client(MEMBER_A).create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]
    error = error_of(lambda: client(MEMBER_B).get_membership(membershipIdentifier=membership["id"]))
    assert error["Error"]["Code"] == "ResourceNotFoundException"
