"""Isolation, no network, thread safety.

* State never outlives its activation: not into the next activation, the next test, another
  xdist worker, nor out of a test that fails half-way.
* With the mock active, nothing opens a socket: Clean Rooms and STS are served in-process, any
  other AWS call raises NotMockedError before a connection is attempted.
* Calls from many threads at once lose no writes and break no quota.
"""

from __future__ import annotations

import _socket
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from helpers import (
    CREATOR,
    MEMBER_A,
    MEMBER_B,
    REGION,
    client,
    collaboration_params,
    create_collaboration,
)
from moto import mock_aws

import cleanrooms_mock
from cleanrooms_mock import CleanRoomsMock, NotMockedError, mock_cleanrooms
from cleanrooms_mock.domain.quotas import DEFAULT_QUOTAS
from cleanrooms_mock.seeding import dump_state

EMPTY = {"version": 1, "regions": {}}


@pytest.fixture(autouse=True)
def default_settings_afterwards() -> Iterator[None]:
    """Whatever a test here changes, the next test (in any file) gets the defaults back."""
    yield
    cleanrooms_mock.quotas.reset()
    mock_cleanrooms().clear_faults()


# ---- activation to activation -----------------------------------------------------------------


def activate_with_context_manager(body: Callable[[], None]) -> None:
    with mock_cleanrooms():
        body()


def activate_with_decorator(body: Callable[[], None]) -> None:
    mock_cleanrooms(body)()


def activate_with_start_and_stop(body: Callable[[], None]) -> None:
    mock = mock_cleanrooms()
    mock.start()
    try:
        body()
    finally:
        mock.stop()


def activate_inside_mock_aws(body: Callable[[], None]) -> None:
    with mock_aws():
        body()


ACTIVATIONS = {
    "context manager": activate_with_context_manager,
    "decorator": activate_with_decorator,
    "start and stop": activate_with_start_and_stop,
    "mock_aws": activate_inside_mock_aws,
}


def leave_state_behind() -> None:
    """Two accounts, a collaboration with tags, two memberships."""
    collaboration = create_collaboration(client(CREATOR), tags={"team": "ads"})
    client(CREATOR).create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
    )
    client(MEMBER_A).create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
    )
    assert dump_state()["regions"][REGION]["collaborations"]


def assert_nothing_left() -> None:
    assert dump_state() == EMPTY
    for account in (CREATOR, MEMBER_A, MEMBER_B):
        member = client(account)
        assert member.list_collaborations()["collaborationList"] == []
        assert member.list_memberships()["membershipSummaries"] == []


def change_settings() -> None:
    """A quota set and a fault injected the ways the README shows."""
    cleanrooms_mock.quotas.memberships_per_account = 1
    mock_cleanrooms().inject("ThrottlingException", "list_collaborations")


def assert_default_settings() -> None:
    assert vars(cleanrooms_mock.quotas) == DEFAULT_QUOTAS
    assert client(CREATOR).list_collaborations()["collaborationList"] == []  # no fault fires


@pytest.mark.parametrize("first", ACTIVATIONS)
@pytest.mark.parametrize("then", ["context manager", "mock_aws"])
def test_nothing_survives_from_one_activation_to_the_next(first: str, then: str) -> None:
    ACTIVATIONS[first](leave_state_behind)

    ACTIVATIONS[then](assert_nothing_left)
    assert not CleanRoomsMock.active()


@pytest.mark.parametrize("first", ACTIVATIONS)
def test_quotas_and_faults_do_not_survive_into_the_next_mock_aws(first: str) -> None:
    ACTIVATIONS[first](change_settings)

    ACTIVATIONS["mock_aws"](assert_default_settings)


@pytest.mark.parametrize("first", ACTIVATIONS)
def test_quotas_and_faults_do_not_survive_into_the_next_mock_cleanrooms(first: str) -> None:
    ACTIVATIONS[first](change_settings)

    ACTIVATIONS["context manager"](assert_default_settings)


def test_an_activation_that_raises_leaves_nothing_behind() -> None:
    with pytest.raises(RuntimeError, match="half-way"), mock_cleanrooms():
        leave_state_behind()
        change_settings()
        raise RuntimeError("failed half-way")

    assert not CleanRoomsMock.active()
    with mock_cleanrooms():
        assert_nothing_left()
        assert_default_settings()


# ---- test to test, failing tests, xdist workers (each a pytest run of its own) ----------------

#: A test module as users write it: each test must start from nothing.
USER_TESTS = """
import boto3
import pytest
from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.seeding import dump_state

SEEDED_ID = "c0ffee00-0000-4000-8000-000000000042"
STATE = {{"version": 1, "regions": {{"us-east-1": {{"collaborations": [{{
    "id": SEEDED_ID, "creatorAccountId": "123456789012", "name": "{name}",
    "creatorDisplayName": "Publisher", "creatorMemberAbilities": ["CAN_QUERY"],
    "queryLogStatus": "ENABLED",
    "members": [{{"accountId": "222222222222", "displayName": "A", "memberAbilities": []}}],
}}]}}}}}}


def fill(mock):
    assert dump_state() == {{"version": 1, "regions": {{}}}}, "a test started with state"
    mock.load(STATE)  # the same id in every test and worker: loading it twice would fail
    creator = boto3.client("cleanrooms", region_name="us-east-1")
    creator.create_membership(collaborationIdentifier=SEEDED_ID, queryLogStatus="ENABLED")
    assert len(creator.list_memberships()["membershipSummaries"]) == 1


def test_fixture_fills(cleanrooms_mock):
    fill(cleanrooms_mock)


def test_fixture_fills_and_fails(cleanrooms_mock):
    fill(cleanrooms_mock)
    raise AssertionError("failed half-way")


def test_decorator_fills_and_fails():
    @mock_cleanrooms
    def inner():
        fill(mock_cleanrooms())  # an inactive handle: its load() fills the active mock
        raise AssertionError("failed half-way")
    inner()


def test_context_manager_fills_and_fails():
    with mock_cleanrooms() as mock:
        fill(mock)
        raise AssertionError("failed half-way")


@pytest.mark.parametrize("run", range(3))
def test_fixture_fills_again(cleanrooms_mock, run):
    fill(cleanrooms_mock)
"""


def write_user_tests(pytester: pytest.Pytester, *names: str) -> None:
    pytester.makepyfile(**{name: USER_TESTS.format(name=name) for name in names})


def test_state_does_not_survive_from_test_to_test_nor_a_failing_test(
    pytester: pytest.Pytester,
) -> None:
    write_user_tests(pytester, "test_first", "test_second")

    result = pytester.runpytest("-p", "no:cacheprovider")

    # every "fails" test failed where it meant to, and every test began empty
    result.assert_outcomes(passed=8, failed=6)
    assert result.stdout.str().count("failed half-way") >= 6
    assert "a test started with state" not in result.stdout.str()


def test_each_xdist_worker_starts_empty(pytester: pytest.Pytester) -> None:
    write_user_tests(pytester, "test_worker_one", "test_worker_two", "test_worker_three")

    result = pytester.runpytest("-p", "no:cacheprovider", "-n", "2")

    result.assert_outcomes(passed=12, failed=9)
    assert "a test started with state" not in result.stdout.str()


# ---- no network -------------------------------------------------------------------------------


def test_no_call_opens_a_socket(network_attempts: list[tuple[str, Any]]) -> None:
    with mock_cleanrooms():
        collaboration = create_collaboration(client(CREATOR))  # Clean Rooms
        member = client(MEMBER_A)  # STS assume_role, served by moto in-process
        member.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED"
        )
        assert boto3.client("sts", region_name=REGION).get_caller_identity()["Account"] == CREATOR
        elsewhere = boto3.client(
            "cleanrooms", region_name=REGION, endpoint_url="https://cleanrooms.example.com"
        )
        assert elsewhere.list_memberships()["membershipSummaries"] == []  # still in-process
        for service, operation in [
            ("kinesis", "list_streams"),
            ("dynamodb", "list_tables"),
            ("cleanroomsml", "list_training_datasets"),
        ]:
            with pytest.raises(NotMockedError, match=service):
                getattr(boto3.client(service, region_name=REGION), operation)()

    assert network_attempts == []


def test_the_recorder_sees_every_kind_of_attempt(network_attempts: list[tuple[str, Any]]) -> None:
    with pytest.raises(OSError, match="refused"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.01)
    with pytest.raises(OSError, match="refused"):
        socket.getaddrinfo("cleanrooms.us-east-1.amazonaws.com", 443)
    # Below the Python socket class, the audit hook still sees it (loopback: nothing leaves).
    raw = _socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        raw.settimeout(0.5)
        raw.connect_ex(("127.0.0.1", 9))
    finally:
        raw.close()

    assert [kind for kind, _ in network_attempts] == [
        "socket.create_connection",
        "socket.getaddrinfo",
        "socket.connect",
    ]
    assert network_attempts[-1][1] == ("127.0.0.1", 9)


# ---- threads ----------------------------------------------------------------------------------

THREADS = 8
ROUNDS = 5


def run_in_threads(work: Callable[[int], Any]) -> list[Any]:
    """``work(0..THREADS-1)``, all released at the same moment."""
    start = threading.Barrier(THREADS)

    def released(index: int) -> Any:
        start.wait()
        return work(index)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            return list(pool.map(released, range(THREADS)))
    finally:
        sys.setswitchinterval(interval)


def everything(client: Any, operation: str, key: str, **params: Any) -> list[dict[str, Any]]:
    paginator = client.get_paginator(operation)
    return [item for page in paginator.paginate(**params) for item in page[key]]


def test_concurrent_creates_and_joins_lose_no_writes() -> None:
    creators = [f"{555555555500 + i}" for i in range(THREADS)]
    with mock_cleanrooms(quotas={"memberships_per_account": 1000}) as mock:
        # one client per thread and account, made before the threads start
        own = [mock.client(account) for account in creators]
        joining = [mock.client(MEMBER_A) for _ in range(THREADS)]

        def work(index: int) -> list[tuple[str, str, str]]:
            made = []
            for _ in range(ROUNDS):
                collaboration = own[index].create_collaboration(**collaboration_params())
                collaboration_id = collaboration["collaboration"]["id"]
                mine = own[index].create_membership(
                    collaborationIdentifier=collaboration_id, queryLogStatus="ENABLED"
                )["membership"]["id"]
                theirs = joining[index].create_membership(
                    collaborationIdentifier=collaboration_id, queryLogStatus="DISABLED"
                )["membership"]["id"]
                made.append((collaboration_id, mine, theirs))
            return made

        made = [entry for entries in run_in_threads(work) for entry in entries]

        member = mock.client(MEMBER_A)
        assert len(made) == THREADS * ROUNDS
        listed = everything(member, "list_collaborations", "collaborationList")
        assert sorted(c["id"] for c in listed) == sorted(c for c, _, _ in made)
        joined = everything(member, "list_memberships", "membershipSummaries")
        assert sorted(m["id"] for m in joined) == sorted(m for _, _, m in made)
        for index, account in enumerate(creators):
            own_list = everything(own[index], "list_memberships", "membershipSummaries")
            assert len(own_list) == ROUNDS, account
        state = dump_state()["regions"][REGION]["collaborations"]
        assert len(state) == THREADS * ROUNDS
        assert all(len(c["memberships"]) == 2 for c in state)


def test_concurrent_joins_never_exceed_the_quota() -> None:
    limits = {"collaborations_per_account": THREADS, "memberships_per_account": 3}
    with mock_cleanrooms(quotas=limits) as mock:
        creator = mock.client(CREATOR)
        collaborations = [create_collaboration(creator, name=f"c{i}")["id"] for i in range(THREADS)]
        members = [mock.client(MEMBER_B) for _ in range(THREADS)]

        def join(index: int) -> str:
            try:
                members[index].create_membership(
                    collaborationIdentifier=collaborations[index], queryLogStatus="ENABLED"
                )
            except ClientError as error:
                return str(error.response["Error"]["Code"])
            return "joined"

        answers = run_in_threads(join)

        assert sorted(answers) == ["ServiceQuotaExceededException"] * 5 + ["joined"] * 3
        listed = everything(mock.client(MEMBER_B), "list_memberships", "membershipSummaries")
        assert len(listed) == 3


def test_concurrent_creates_never_exceed_the_quota() -> None:
    with mock_cleanrooms(quotas={"collaborations_per_account": 2}) as mock:
        creators = [mock.client(CREATOR) for _ in range(THREADS)]

        def create(index: int) -> str:
            try:
                create_collaboration(creators[index], name=f"c{index}")
            except ClientError as error:
                return str(error.response["Error"]["Code"])
            return "created"

        answers = run_in_threads(create)

        assert sorted(answers) == ["ServiceQuotaExceededException"] * 6 + ["created"] * 2
        assert len(everything(creators[0], "list_collaborations", "collaborationList")) == 2


def test_concurrent_tag_and_untag_on_one_resource() -> None:
    with mock_cleanrooms() as mock:
        arn = create_collaboration(mock.client(CREATOR))["arn"]
        taggers = [mock.client(CREATOR) for _ in range(THREADS)]

        def tag(index: int) -> None:
            for round_ in range(20):
                key = f"t{index}-{round_}"
                taggers[index].tag_resource(resourceArn=arn, tags={key: str(index)})
                if round_ % 2 == 0:
                    taggers[index].untag_resource(resourceArn=arn, tagKeys=[key])

        run_in_threads(tag)

        tags = mock.client(CREATOR).list_tags_for_resource(resourceArn=arn)["tags"]
        assert tags == {f"t{i}-{r}": str(i) for i in range(THREADS) for r in range(1, 20, 2)}
