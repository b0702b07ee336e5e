"""The pytest plugin, active as soon as cleanrooms-mock is installed."""

from __future__ import annotations

import boto3
import pytest
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


def test_account_and_region_from_pytest_ini(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ncleanrooms_account = 555555555555\ncleanrooms_region = eu-west-1\n")
    pytester.makepyfile(
        test_ini="""
        import pytest

        def test_defaults(cleanrooms_mock, cleanrooms_client, cleanrooms_collaboration):
            assert (cleanrooms_mock.account, cleanrooms_mock.region) == (
                "555555555555", "eu-west-1")
            collab = cleanrooms_collaboration(member_abilities=[])
            joined = cleanrooms_client.create_membership(
                collaborationIdentifier=collab["id"], queryLogStatus="ENABLED")["membership"]
            assert joined["arn"].startswith("arn:aws:cleanrooms:eu-west-1:555555555555:")

        @pytest.mark.cleanrooms(account="666666666666")
        def test_marker_wins(cleanrooms_mock):
            assert (cleanrooms_mock.account, cleanrooms_mock.region) == (
                "666666666666", "eu-west-1")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_a_marker_alone_activates_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marked="""
        import boto3
        import pytest
        from botocore.config import Config
        from cleanrooms_mock import CleanRoomsMock, NotMockedError, quotas

        def create(client):
            return client.create_collaboration(
                name="ads", description="d", creatorDisplayName="Me",
                creatorMemberAbilities=["CAN_QUERY"], members=[], queryLogStatus="ENABLED",
            )["collaboration"]

        @pytest.mark.cleanrooms(account="222222222222", region="eu-west-1")
        def test_on_the_test():
            assert CleanRoomsMock.active()
            client = boto3.client("cleanrooms", region_name="eu-west-1")
            assert client.list_collaborations()["collaborationList"] == []
            create(client)
            with pytest.raises(NotMockedError):   # nothing else leaves the process either
                boto3.client("kinesis", region_name="eu-west-1").list_streams()

        @pytest.mark.cleanrooms(quotas={"collaborations_per_account": 1})
        class TestOnTheClass:
            def test_quota(self):
                client = boto3.client("cleanrooms", region_name="us-east-1")
                create(client)
                with pytest.raises(client.exceptions.ServiceQuotaExceededException):
                    create(client)

            def test_each_test_starts_empty(self):
                client = boto3.client("cleanrooms", region_name="us-east-1")
                assert client.list_collaborations()["collaborationList"] == []
                assert quotas.collaborations_per_account == 1

        def test_without_the_marker_nothing_is_active():
            assert not CleanRoomsMock.active()

        @pytest.mark.cleanrooms()
        def test_with_the_fixture_too_is_one_mock(cleanrooms_mock, request):
            assert request.getfixturevalue("cleanrooms_mock") is cleanrooms_mock
            cleanrooms_mock.inject("ThrottlingException", "list_collaborations", times=1)
            client = boto3.client(
                "cleanrooms", region_name="us-east-1",
                config=Config(retries={"total_max_attempts": 1}))
            with pytest.raises(client.exceptions.ThrottlingException):
                client.list_collaborations()
        """,
        test_module_marked="""
        import boto3
        import pytest
        from cleanrooms_mock import CleanRoomsMock

        pytestmark = pytest.mark.cleanrooms(region="eu-west-2")

        def test_module_marker():
            assert CleanRoomsMock.active()
            client = boto3.client("cleanrooms", region_name="eu-west-2")
            assert client.list_memberships()["membershipSummaries"] == []
        """,
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")

    result.assert_outcomes(passed=6)
