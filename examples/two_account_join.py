"""End-to-end example: a publisher invites an advertiser, who joins from its own account.

Run it with ``python examples/two_account_join.py``; it prints each step and exits non-zero if
anything is not as the real AWS Clean Rooms would answer. No request leaves the process.
"""

from __future__ import annotations

import boto3
from botocore.exceptions import ClientError

from cleanrooms_mock import mock_cleanrooms

PUBLISHER = "123456789012"  # moto's default account: the caller when nothing else is set
ADVERTISER = "222222222222"
REGION = "us-east-1"


def client_for(account: str) -> object:
    """A Clean Rooms client acting as ``account``, via STS assume_role as real code does."""
    credentials = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/clean-rooms-automation",
        RoleSessionName="example",
    )["Credentials"]
    return boto3.client(
        "cleanrooms",
        region_name=REGION,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


@mock_cleanrooms
def main() -> None:
    publisher = boto3.client("cleanrooms", region_name=REGION)
    collaboration = publisher.create_collaboration(
        name="ads measurement",
        description="Publisher x advertiser overlap",
        creatorDisplayName="Publisher",
        creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        members=[{"accountId": ADVERTISER, "displayName": "Advertiser", "memberAbilities": []}],
        queryLogStatus="ENABLED",
    )["collaboration"]
    print(f"1. {PUBLISHER} created collaboration {collaboration['id']}")

    advertiser = client_for(ADVERTISER)
    membership = advertiser.create_membership(  # type: ignore[attr-defined]
        collaborationIdentifier=collaboration["id"],
        queryLogStatus="DISABLED",
        tags={"team": "marketing"},
    )["membership"]
    print(f"2. {ADVERTISER} joined: {membership['arn']} ({membership['status']})")
    assert membership["arn"].split(":")[4] == ADVERTISER
    assert membership["collaborationCreatorAccountId"] == PUBLISHER
    assert membership["paymentConfiguration"] == {"queryCompute": {"isResponsible": False}}

    seen = advertiser.get_collaboration(  # type: ignore[attr-defined]
        collaborationIdentifier=collaboration["id"]
    )["collaboration"]
    print(f"3. the advertiser now sees itself as {seen['memberStatus']} in '{seen['name']}'")
    assert seen["membershipId"] == membership["id"]

    try:
        advertiser.create_membership(  # type: ignore[attr-defined]
            collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
        )
    except ClientError as error:
        print(f"4. joining twice is refused: {error.response['Error']['Code']}")
        assert error.response["reason"] == "ALREADY_EXISTS"
    else:
        raise AssertionError("joining twice must fail")
    print("OK")


if __name__ == "__main__":
    main()
