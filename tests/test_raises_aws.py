"""``raises_aws``, the tests' way to expect an AWS error: it says what it expected and what it
received (code, HTTP status, reason, fieldList, message), as botocore's Stubber does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import CREATOR, client, collaboration_params, error_of, raises_aws

pytestmark = pytest.mark.usefixtures("mock")

UNKNOWN = "00000000-0000-4000-8000-000000000000"
NOT_AN_ID = "x" * 36  # the right length, not the pattern: refused by the service, not botocore


def unknown_collaboration() -> None:
    client(CREATOR).get_collaboration(collaborationIdentifier=UNKNOWN)


def malformed_id() -> None:
    client(CREATOR).get_collaboration(collaborationIdentifier=NOT_AN_ID)


def two_bad_fields() -> None:
    client(CREATOR).create_collaboration(**collaboration_params(name="\x00", description="\x00"))


def failure(expecting: Any, call: Any) -> str:
    """The message ``raises_aws`` fails the test with, expecting ``expecting`` of ``call``."""
    with pytest.raises(pytest.fail.Exception) as failed, expecting:
        call()
    return str(failed.value)


def test_a_matching_error_passes_and_is_handed_over() -> None:
    with raises_aws("AccessDeniedException", status=403, message=re.compile(UNKNOWN)) as caught:
        unknown_collaboration()

    assert caught.response["Error"]["Code"] == "AccessDeniedException"
    assert caught.response["reason"] == "INSUFFICIENT_PERMISSIONS"


def test_every_detail_of_a_validation_error_can_be_expected() -> None:
    message = error_of(malformed_id)["Error"]["Message"]

    with raises_aws(
        "ValidationException",
        status=400,
        reason="FIELD_VALIDATION_FAILED",
        field="collaborationIdentifier",
        message=message,
    ):
        malformed_id()
    with raises_aws("ValidationException", field=["name", "description"]):
        two_bad_fields()


@pytest.mark.parametrize(
    ("expecting", "call", "shown"),
    [
        (raises_aws("ConflictException"), unknown_collaboration, "code 'AccessDeniedException'"),
        (raises_aws("AccessDeniedException", status=404), unknown_collaboration, "status 403"),
        (
            raises_aws("ValidationException", reason="UNKNOWN_OPERATION"),
            malformed_id,
            "reason 'FIELD_VALIDATION_FAILED'",
        ),
        (
            raises_aws("ValidationException", field="name"),
            malformed_id,
            "fieldList ['collaborationIdentifier']",
        ),
        (
            raises_aws("ValidationException", field="name"),  # one field of two is not enough
            two_bad_fields,
            "fieldList ['name', 'description']",
        ),
        (
            raises_aws("AccessDeniedException", message="Access denied."),
            unknown_collaboration,
            "message ",
        ),
        (
            raises_aws("AccessDeniedException", message=re.compile("no such thing")),
            unknown_collaboration,
            "message ",
        ),
    ],
    ids=["code", "status", "reason", "field", "fields", "message", "message-pattern"],
)
def test_a_mismatch_fails_showing_expected_and_received(
    expecting: Any, call: Any, shown: str
) -> None:
    actual = error_of(call)["Error"]["Message"]

    message = failure(expecting, call)

    expected, received = message.split(", received ", 1)
    assert expected.startswith("expected code ")
    assert shown in received
    for detail in ("code ", "status ", "reason ", "fieldList "):
        assert detail in received
    assert received.endswith(f"message {actual!r}")


def test_no_error_fails_the_test() -> None:
    message = failure(
        raises_aws("ResourceNotFoundException", status=404),
        lambda: client(CREATOR).list_collaborations(memberStatus="INVITED"),
    )

    assert message == "expected code 'ResourceNotFoundException', status 404, received no error"


def test_an_exception_other_than_an_aws_error_goes_through() -> None:
    with pytest.raises(KeyError), raises_aws("ValidationException"):
        {}["missing"]
