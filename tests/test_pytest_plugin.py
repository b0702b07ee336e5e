"""The pytest plugin, active as soon as cleanrooms-mock is installed."""

from __future__ import annotations

import boto3
from helpers import CREATOR, MEMBER_A, client, create_collaboration
from moto import mock_aws

from cleanrooms_mock import CleanRoomsMock


def test_cleanrooms_mock_fixture_gives_an_empty_active_mock(
    cleanrooms_mock: CleanRoomsMock,
) -> None:
    assert CleanRoomsMock.active()
    creator = boto3.client("cleanrooms", region_name="us-east-1")
    assert creator.list_memberships()["membershipSummaries"] == []
    collaboration = create_collaboration(client(CREATOR))
    joined = client(MEMBER_A).create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )
    assert joined["membership"]["status"] == "ACTIVE"


def test_plain_mock_aws_is_served_by_us_with_the_plugin_loaded() -> None:
    with mock_aws():
        collaboration = create_collaboration(client(CREATOR))
        # moto's own cleanrooms (5.2.3+) would not know this collaboration in another account
        seen = client(MEMBER_A).get_collaboration(collaborationIdentifier=collaboration["id"])
        assert seen["collaboration"]["memberStatus"] == "INVITED"
