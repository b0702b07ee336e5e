"""Creating collaborations: the creator, the invited members, and the rules AWS enforces."""

from __future__ import annotations

import pytest
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

PAYS = {"queryCompute": {"isResponsible": True}}
DOES_NOT_PAY = {"queryCompute": {"isResponsible": False}}


def test_collaboration_as_created() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(
        creator,
        jobLogStatus="DISABLED",
        analyticsEngine="SPARK",
        allowedResultRegions=["us-east-1"],
        isMetricsEnabled=True,
        dataEncryptionMetadata={
            "allowCleartext": True,
            "allowDuplicates": False,
            "allowJoinsOnColumnsWithDifferentNames": False,
            "preserveNulls": True,
        },
        tags={"owner": "publisher"},
    )

    assert collaboration["arn"] == (
        f"arn:aws:cleanrooms:{REGION}:{CREATOR}:collaboration/{collaboration['id']}"
    )
    assert collaboration["name"] == "ads"
    assert collaboration["description"] == "publisher x advertiser"
    assert collaboration["creatorAccountId"] == CREATOR
    assert collaboration["creatorDisplayName"] == "Publisher"
    assert collaboration["memberStatus"] == "INVITED"  # until the creator joins
    assert "membershipId" not in collaboration
    assert collaboration["queryLogStatus"] == "ENABLED"
    assert collaboration["jobLogStatus"] == "DISABLED"
    assert collaboration["analyticsEngine"] == "SPARK"
    assert collaboration["allowedResultRegions"] == ["us-east-1"]
    assert collaboration["isMetricsEnabled"] is True
    assert collaboration["dataEncryptionMetadata"]["preserveNulls"] is True
    assert (
        creator.get_collaboration(collaborationIdentifier=collaboration["id"])["collaboration"]
        == collaboration
    )
    assert creator.list_tags_for_resource(resourceArn=collaboration["arn"])["tags"] == {
        "owner": "publisher"
    }


def test_auto_approved_change_types_are_returned_under_their_output_name() -> None:
    collaboration = create_collaboration(
        client(CREATOR), autoApprovedChangeRequestTypes=["ADD_MEMBER"]
    )
    assert collaboration["autoApprovedChangeTypes"] == ["ADD_MEMBER"]


def test_invited_accounts_see_the_collaboration_others_do_not() -> None:
    collaboration = create_collaboration(client(CREATOR))

    for account in (MEMBER_A, MEMBER_B):
        seen = client(account).get_collaboration(collaborationIdentifier=collaboration["id"])
        assert seen["collaboration"]["memberStatus"] == "INVITED"
        assert seen["collaboration"]["creatorAccountId"] == CREATOR
    with raises_aws("AccessDeniedException", status=403):
        client(STRANGER).get_collaboration(collaborationIdentifier=collaboration["id"])


def test_two_payers_are_refused() -> None:
    creator = client(CREATOR)
    error = error_of(
        lambda: create_collaboration(
            creator,
            creatorPaymentConfiguration=PAYS,
            members=[
                {
                    "accountId": MEMBER_A,
                    "displayName": "A",
                    "memberAbilities": [],
                    "paymentConfiguration": PAYS,
                }
            ],
        )
    )
    assert error["Error"]["Code"] == "ValidationException"
    assert error["fieldList"][0]["name"] == (
        "members[0].paymentConfiguration.queryCompute.isResponsible"
    )
    assert "Exactly one member" in error["fieldList"][0]["message"]
    assert creator.list_memberships()["membershipSummaries"] == []


def test_querying_member_cannot_be_set_not_to_pay_when_nobody_else_pays() -> None:
    with raises_aws(
        "ValidationException", field="creatorPaymentConfiguration.queryCompute.isResponsible"
    ):
        create_collaboration(client(CREATOR), creatorPaymentConfiguration=DOES_NOT_PAY)


def test_querying_member_may_decline_when_another_member_pays() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(
        creator,
        creatorPaymentConfiguration=DOES_NOT_PAY,
        members=[
            {
                "accountId": MEMBER_A,
                "displayName": "A",
                "memberAbilities": [],
                "paymentConfiguration": PAYS,
            }
        ],
    )
    own = creator.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )["membership"]
    assert own["paymentConfiguration"] == DOES_NOT_PAY


def test_one_payer_per_cost_also_for_job_compute() -> None:
    job_payer = {"queryCompute": {"isResponsible": True}, "jobCompute": {"isResponsible": True}}
    error = error_of(
        lambda: create_collaboration(
            client(CREATOR),
            creatorPaymentConfiguration=job_payer,
            members=[
                {
                    "accountId": MEMBER_A,
                    "displayName": "A",
                    "memberAbilities": ["CAN_RUN_JOB"],
                    "paymentConfiguration": {
                        "queryCompute": {"isResponsible": False},
                        "jobCompute": {"isResponsible": True},
                    },
                }
            ],
        )
    )
    assert error["fieldList"][0]["name"] == (
        "members[0].paymentConfiguration.jobCompute.isResponsible"
    )


def test_creator_must_not_invite_itself_nor_anyone_twice() -> None:
    creator = client(CREATOR)
    itself = error_of(
        lambda: create_collaboration(
            creator, members=[{"accountId": CREATOR, "displayName": "Me", "memberAbilities": []}]
        )
    )
    assert itself["fieldList"][0]["name"] == "members[0].accountId"
    twice = error_of(
        lambda: create_collaboration(
            creator,
            members=[
                {"accountId": MEMBER_A, "displayName": "A", "memberAbilities": []},
                {"accountId": MEMBER_A, "displayName": "A again", "memberAbilities": []},
            ],
        )
    )
    assert twice["fieldList"][0]["name"] == "members[1].accountId"


def test_members_invited_per_collaboration_quota() -> None:
    members = [
        {"accountId": f"{100000000000 + i}", "displayName": f"M{i}", "memberAbilities": []}
        for i in range(6)
    ]
    error = error_of(lambda: create_collaboration(client(CREATOR), members=members))
    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["quotaName"] == "Members invited per collaboration"
    assert error["quotaValue"] == 5.0
    create_collaboration(client(CREATOR), members=members[:5])  # five is fine


def test_collaborations_created_per_account_quota() -> None:
    creator = client(CREATOR)
    with mock_cleanrooms(quotas={"collaborations_per_account": 2}):
        create_collaboration(creator)
        create_collaboration(creator)
        error = error_of(lambda: create_collaboration(creator))
        assert error["Error"]["Code"] == "ServiceQuotaExceededException"
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
        assert error["quotaName"] == "Collaborations created per account"
        # another account has its own quota
        create_collaboration(client(MEMBER_A), members=[])


def test_a_deleted_collaboration_frees_its_place_in_the_quota() -> None:
    creator = client(CREATOR)
    with mock_cleanrooms(quotas={"collaborations_per_account": 1}):
        first = create_collaboration(creator)
        creator.delete_collaboration(collaborationIdentifier=first["id"])

        second = create_collaboration(creator, name="second")

        assert second["name"] == "second"
        assert error_of(lambda: create_collaboration(creator))["quotaValue"] == 1.0


def test_only_one_member_can_query() -> None:
    creator = client(CREATOR)
    error = error_of(
        lambda: create_collaboration(
            creator,
            members=[{"accountId": MEMBER_A, "displayName": "A", "memberAbilities": ["CAN_QUERY"]}],
        )
    )
    assert error["Error"]["Code"] == "ValidationException"
    assert error["fieldList"][0]["name"] == "members[0].memberAbilities"
    assert "CAN_QUERY" in error["fieldList"][0]["message"]
    assert creator.list_collaborations()["collaborationList"] == []
