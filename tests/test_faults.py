"""Fault injection: make the service throttle or fail, to test retry and error handling."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cleanrooms_mock import CleanRoomsMock

NO_RETRIES = Config(retries={"total_max_attempts": 1})


@pytest.fixture
def invited(cleanrooms_collaboration: Any) -> dict[str, Any]:
    collaboration: dict[str, Any] = cleanrooms_collaboration(member_abilities=["CAN_QUERY"])
    return collaboration


def test_botocore_retries_through_two_throttles(
    cleanrooms_mock: CleanRoomsMock, cleanrooms_client: Any, invited: dict[str, Any]
) -> None:
    cleanrooms_mock.inject("ThrottlingException", "create_membership", times=2)

    response = cleanrooms_client.create_membership(
        collaborationIdentifier=invited["id"], queryLogStatus="ENABLED"
    )

    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert response["membership"]["status"] == "ACTIVE"


def test_injected_error_has_the_modeled_status_and_body(
    cleanrooms_mock: CleanRoomsMock, invited: dict[str, Any]
) -> None:
    client = cleanrooms_mock.client(config=NO_RETRIES)
    cleanrooms_mock.inject(
        "ServiceQuotaExceededException",
        "CreateMembership",
        quotaName="Memberships per account",
        quotaValue=100,
    )

    with pytest.raises(ClientError) as caught:
        client.create_membership(collaborationIdentifier=invited["id"], queryLogStatus="ENABLED")

    error = caught.value.response
    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert error["quotaName"] == "Memberships per account"
    assert error["quotaValue"] == 100.0
    assert client.list_memberships()["membershipSummaries"] == []  # nothing was created


def test_every_call_fails_until_cleared(
    cleanrooms_mock: CleanRoomsMock, invited: dict[str, Any]
) -> None:
    client = cleanrooms_mock.client(config=NO_RETRIES)
    cleanrooms_mock.inject("InternalServerException")  # every operation that declares it

    for call in (client.list_memberships, client.list_collaborations):
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500

    cleanrooms_mock.clear_faults()
    assert client.list_memberships()["membershipSummaries"] == []


def test_a_fraction_of_calls_fails_reproducibly(
    cleanrooms_mock: CleanRoomsMock, invited: dict[str, Any]
) -> None:
    client = cleanrooms_mock.client(config=NO_RETRIES)

    def outcomes() -> list[bool]:
        cleanrooms_mock.clear_faults()
        cleanrooms_mock.inject("ThrottlingException", "list_memberships", rate=0.5, seed=7)
        results = []
        for _ in range(20):
            try:
                client.list_memberships()
                results.append(True)
            except ClientError as error:
                assert error.response["Error"]["Code"] == "ThrottlingException"
                results.append(False)
        return results

    first = outcomes()
    assert 0 < first.count(False) < 20
    assert outcomes() == first  # same seed, same calls fail


def test_only_the_named_operation_fails(
    cleanrooms_mock: CleanRoomsMock, invited: dict[str, Any]
) -> None:
    client = cleanrooms_mock.client(config=NO_RETRIES)
    cleanrooms_mock.inject("ThrottlingException", "create_membership")
    assert client.get_collaboration(collaborationIdentifier=invited["id"])
    with pytest.raises(ClientError):
        client.create_membership(collaborationIdentifier=invited["id"], queryLogStatus="ENABLED")


def test_errors_the_operation_does_not_declare_are_refused(
    cleanrooms_mock: CleanRoomsMock,
) -> None:
    with pytest.raises(ValueError, match=r"GetCollaboration.*declares: AccessDenied"):
        cleanrooms_mock.inject("ResourceNotFoundException", "get_collaboration")
    with pytest.raises(ValueError, match="no operation 'join_collaboration'"):
        cleanrooms_mock.inject("ThrottlingException", "join_collaboration")
    with pytest.raises(ValueError, match="requires quotaName, quotaValue"):
        cleanrooms_mock.inject("ServiceQuotaExceededException", "create_membership")


def test_faults_end_with_the_test(cleanrooms_mock: CleanRoomsMock) -> None:
    cleanrooms_mock.inject("ThrottlingException")
    cleanrooms_mock.stop()
    cleanrooms_mock.start()
    assert cleanrooms_mock.client(config=NO_RETRIES).list_memberships()["membershipSummaries"] == []


def test_seeding_fixtures_are_not_hit_by_the_tests_faults(
    cleanrooms_mock: CleanRoomsMock, cleanrooms_collaboration: Any
) -> None:
    cleanrooms_mock.inject("InternalServerException")
    collaboration = cleanrooms_collaboration(member_abilities=[])  # seeded despite the fault
    with pytest.raises(ClientError):
        cleanrooms_mock.client(config=NO_RETRIES).get_collaboration(
            collaborationIdentifier=collaboration["id"]
        )


@pytest.mark.parametrize(
    ("error", "options", "says"),
    [
        ("ThrottlingException", {"times": "2"}, "times must be a whole number of at least 1"),
        ("ThrottlingException", {"times": 0}, "times must be a whole number of at least 1"),
        ("ThrottlingException", {"rate": 0}, "rate must be a number in (0, 1]"),
        ("ThrottlingException", {"rate": "half"}, "rate must be a number in (0, 1]"),
        ("ThrottlingException", {"seed": 1.5}, "seed must be a whole number (or None), not 1.5"),
        ("ThrottlingException", {"message": b"slow down"}, "message must be a string"),
        (
            "ThrottlingException",
            {"retryAfterSeconds": 3},
            "ThrottlingException has no member 'retryAfterSeconds'; its members: none besides "
            "message",
        ),
        (
            "ServiceQuotaExceededException",
            {"quotaName": "Memberships per account", "quotaValue": "many"},
            "ServiceQuotaExceededException cannot carry these members: Value 'many' at "
            "'quotaValue' failed to satisfy constraint: Member must be a number",
        ),
        (
            "ServiceQuotaExceededException",
            {"quotaName": "Memberships per account", "quotaValue": 2, "quota": 2},
            "has no member 'quota'; its members: quotaName, quotaValue",
        ),
    ],
    ids=[
        "times-text",
        "times-zero",
        "rate-zero",
        "rate-text",
        "seed-fraction",
        "message-bytes",
        "unknown-member",
        "member-type",
        "member-misnamed",
    ],
)
def test_a_fault_given_wrongly_is_refused_when_given(
    cleanrooms_mock: CleanRoomsMock, error: str, options: dict[str, Any], says: str
) -> None:
    with pytest.raises(ValueError) as refused:
        cleanrooms_mock.inject(error, "create_membership", **options)

    assert says in str(refused.value)
    client = cleanrooms_mock.client(config=NO_RETRIES)
    assert client.list_memberships()["membershipSummaries"] == []  # nothing was injected


def test_injected_faults_describe_themselves_as_given(cleanrooms_mock: CleanRoomsMock) -> None:
    from cleanrooms_mock.faults import faults

    cleanrooms_mock.inject("ThrottlingException", "list_memberships", times=2)
    cleanrooms_mock.inject(
        "ServiceQuotaExceededException", quotaName="Memberships per account", quotaValue=2
    )
    with pytest.raises(ClientError):
        cleanrooms_mock.client(config=NO_RETRIES).list_memberships()

    assert faults.describe() == [
        {
            "error": "ThrottlingException",
            "operation": "ListMemberships",
            "times": 1,  # one of two spent
            "rate": None,
            "seed": None,
            "message": None,
        },
        {
            "error": "ServiceQuotaExceededException",
            "operation": None,
            "times": None,
            "rate": None,
            "seed": None,
            "message": None,
            "quotaName": "Memberships per account",
            "quotaValue": 2,
        },
    ]
