"""Turning the mock on: decorator, context manager, start/stop, and inside moto's mock_aws."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import unittest
from typing import Any, ClassVar

import boto3
import pytest
from helpers import CREATOR, MEMBER_A, REGION, client, create_collaboration, error_of
from moto import mock_aws

from cleanrooms_mock import NotMockedError, mock_cleanrooms


def two_account_join() -> dict[str, Any]:
    """The scenario every activation style must run: A creates, B joins from its own account."""
    collaboration = create_collaboration(client(CREATOR))
    member = client(MEMBER_A)
    membership = member.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
    )["membership"]
    assert membership["arn"].split(":")[4] == MEMBER_A
    assert membership["collaborationCreatorAccountId"] == CREATOR
    assert (
        member.get_collaboration(collaborationIdentifier=collaboration["id"])["collaboration"][
            "memberStatus"
        ]
        == "ACTIVE"
    )
    return collaboration


def collaboration_count() -> int:
    """How many collaborations the default account can see right now."""
    creator = boto3.client("cleanrooms", region_name=REGION)
    return len(creator.list_memberships()["membershipSummaries"])


@mock_cleanrooms
def test_two_accounts_under_the_decorator() -> None:
    two_account_join()


def test_two_accounts_under_the_context_manager() -> None:
    with mock_cleanrooms():
        two_account_join()


def test_two_accounts_under_moto_mock_aws() -> None:
    # moto >= 5.2.3 ships its own cleanrooms, which cannot do this cross-account join.
    with mock_aws():
        two_account_join()


def test_two_accounts_with_start_and_stop() -> None:
    mock = mock_cleanrooms()
    mock.start()
    try:
        two_account_join()
    finally:
        mock.stop()


def test_every_activation_starts_empty() -> None:
    with mock_cleanrooms():
        collaboration = two_account_join()
    with mock_cleanrooms():
        error = error_of(
            lambda: client(CREATOR).get_collaboration(collaborationIdentifier=collaboration["id"])
        )
        assert error["Error"]["Code"] == "AccessDeniedException"


def test_mock_aws_resets_cleanrooms_state_too() -> None:
    with mock_aws():
        collaboration = two_account_join()
    with mock_aws():
        error = error_of(
            lambda: client(CREATOR).get_collaboration(collaborationIdentifier=collaboration["id"])
        )
        assert error["Error"]["Code"] == "AccessDeniedException"


def test_moto_account_id_switches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    with mock_cleanrooms():
        collaboration = create_collaboration(boto3.client("cleanrooms", region_name=REGION))
        monkeypatch.setenv("MOTO_ACCOUNT_ID", MEMBER_A)
        member = boto3.client("cleanrooms", region_name=REGION)
        membership = member.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
        )["membership"]
        assert f":{MEMBER_A}:membership/" in membership["arn"]


def test_a_twelve_digit_access_key_is_that_account() -> None:
    with mock_cleanrooms():
        collaboration = create_collaboration(client(CREATOR))
        member = boto3.client(
            "cleanrooms",
            region_name=REGION,
            aws_access_key_id=MEMBER_A,
            aws_secret_access_key="secret",
        )
        membership = member.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
        )["membership"]
        assert f":{MEMBER_A}:membership/" in membership["arn"]


def test_nested_activations_share_state() -> None:
    with mock_cleanrooms():
        collaboration = create_collaboration(client(CREATOR))
        with mock_cleanrooms():
            found = client(CREATOR).get_collaboration(collaborationIdentifier=collaboration["id"])
            assert found["collaboration"]["id"] == collaboration["id"]
        # the inner stop did not wipe the outer activation's state
        client(CREATOR).get_collaboration(collaborationIdentifier=collaboration["id"])


def test_stop_without_start_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="without a matching start"):
        mock_cleanrooms().stop()


def test_fake_credentials_are_set_only_while_active(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    with mock_cleanrooms():
        assert os.environ["AWS_ACCESS_KEY_ID"]
        two_account_join()
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_real_credentials_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    with mock_cleanrooms():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAREALKEY"
        two_account_join()  # still served in-process: nothing is sent


def test_no_request_leaves_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a socket was opened: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    with mock_cleanrooms():
        two_account_join()
        kinesis = boto3.client("kinesis", region_name=REGION)
        with pytest.raises(NotMockedError, match="kinesis"):
            kinesis.list_streams()


def test_region_without_clean_rooms_fails_at_once() -> None:
    with mock_cleanrooms():
        somewhere = boto3.client("cleanrooms", region_name="cn-north-1")
        error = error_of(lambda: somewhere.list_memberships())
        assert error["Error"]["Code"] == "UnsupportedRegion"
        assert "cn-north-1" in error["Error"]["Message"]
        assert error["ResponseMetadata"]["RetryAttempts"] == 0


@mock_cleanrooms
class TestUnittestStyle(unittest.TestCase):
    """unittest classes: setUp and the test share one activation; each test starts empty."""

    created: ClassVar[list[str]] = []

    def setUp(self) -> None:
        self.creator = client(CREATOR)
        self.collaboration = create_collaboration(self.creator)
        TestUnittestStyle.created.append(self.collaboration["id"])

    def test_sees_what_setup_created(self) -> None:
        found = self.creator.get_collaboration(collaborationIdentifier=self.collaboration["id"])
        self.assertEqual(found["collaboration"]["memberStatus"], "INVITED")

    def test_sees_nothing_from_other_tests(self) -> None:
        for other in TestUnittestStyle.created[:-1]:
            error = error_of(
                lambda o=other: self.creator.get_collaboration(collaborationIdentifier=o)
            )
            self.assertEqual(error["Error"]["Code"], "AccessDeniedException")


@mock_cleanrooms
class TestPytestStyle:
    """Plain pytest classes: setup_method seeds the state each test method then sees."""

    def setup_method(self) -> None:
        self.collaboration = create_collaboration(client(CREATOR))

    def test_member_joins_seeded_collaboration(self) -> None:
        member = client(MEMBER_A)
        membership = member.create_membership(
            collaborationIdentifier=self.collaboration["id"], queryLogStatus="ENABLED"
        )["membership"]
        assert membership["collaborationId"] == self.collaboration["id"]

    def test_each_method_gets_a_fresh_collaboration(self) -> None:
        assert len(client(CREATOR).list_memberships()["membershipSummaries"]) == 0


#: A pytest class under ``@MOCK`` whose setup_method sets quotas and a fault, then a test after
#: the class that must find neither. ``{fixture}``: optional module code (moto around each test).
SETUP_METHOD_SETTINGS = """
import boto3
import pytest
from botocore.config import Config
from cleanrooms_mock import mock_cleanrooms, quotas
{fixture}

MOCK = mock_cleanrooms(quotas={{"collaborations_per_account": 5, "memberships_per_account": 7}})
ONCE = Config(retries={{"total_max_attempts": 1}})


def create(client):
    return client.create_collaboration(
        name="ads", description="d", creatorDisplayName="Me", creatorMemberAbilities=["CAN_QUERY"],
        members=[], queryLogStatus="ENABLED")


@MOCK
class TestSetupMethod:
    def setup_method(self):
        quotas.collaborations_per_account = 1
        MOCK.inject("ThrottlingException", "list_collaborations", times=1)
        MOCK.inject("InternalServerException", "get_collaboration")

    def test_sees_the_quota_set_in_setup(self):
        client = boto3.client("cleanrooms", region_name="us-east-1", config=ONCE)
        create(client)
        with pytest.raises(client.exceptions.ServiceQuotaExceededException):
            create(client)
        assert quotas.memberships_per_account == 7   # the mock's own, still

    def test_sees_the_faults_injected_in_setup(self):
        client = boto3.client("cleanrooms", region_name="us-east-1", config=ONCE)
        with pytest.raises(client.exceptions.ThrottlingException):
            client.list_collaborations()
        assert client.list_collaborations()["collaborationList"] == []
        with pytest.raises(client.exceptions.InternalServerException):
            client.get_collaboration(collaborationIdentifier="0" * 36)


def test_after_the_class_nothing_of_it_is_left():
    assert quotas.collaborations_per_account == 10
    assert quotas.memberships_per_account == 100
    with mock_cleanrooms():
        client = boto3.client("cleanrooms", region_name="us-east-1", config=ONCE)
        assert client.list_collaborations()["collaborationList"] == []
        create(client)
        create(client)
"""

AROUND_WITH_MOTO = """
from moto import mock_aws


@pytest.fixture(autouse=True)
def aws():
    with mock_aws():
        yield
"""


@pytest.mark.parametrize("fixture", ["", AROUND_WITH_MOTO], ids=["alone", "inside mock_aws"])
def test_setup_method_quotas_and_faults_reach_the_test_and_end_with_it(
    pytester: pytest.Pytester, fixture: str
) -> None:
    pytester.makepyfile(test_setup=SETUP_METHOD_SETTINGS.format(fixture=fixture))

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")

    result.assert_outcomes(passed=3)


BOTO3_FIRST = """
import boto3

early = boto3.client("sts", region_name="us-east-1")  # the default session exists already
import cleanrooms_mock

with cleanrooms_mock.mock_cleanrooms():
    session = boto3.DEFAULT_SESSION
    answer = boto3.client("cleanrooms", region_name="us-east-1").list_collaborations()
    assert boto3.DEFAULT_SESSION is session, "the default session was replaced"
print(answer["collaborationList"])
"""


def test_a_default_session_made_before_the_import_is_served_and_kept() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    env.update(AWS_ACCESS_KEY_ID="early", AWS_SECRET_ACCESS_KEY="early")

    run = subprocess.run(
        [sys.executable, "-c", BOTO3_FIRST], capture_output=True, text=True, env=env, timeout=60
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
