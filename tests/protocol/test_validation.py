"""Input that breaks the model's constraints is refused field by field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from helpers import CREATOR, MEMBER_A, MEMBER_B, client, create_collaboration, error_of, raw_request

from cleanrooms_mock.protocol.model import service_model
from cleanrooms_mock.protocol.shapes import FieldError, compile_validator

pytestmark = pytest.mark.usefixtures("mock")

#: botocore checks parameters itself by default; switch that off so requests reach the service.
UNCHECKED = Config(parameter_validation=False)
UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
S3_RESULTS = {"s3": {"resultFormat": "CSV", "bucket": "results-bucket"}}


@pytest.fixture
def creator(mock: None) -> Any:
    return client(CREATOR, config=UNCHECKED)


@pytest.fixture
def collaboration(creator: Any) -> dict[str, Any]:
    return create_collaboration(creator)


def only_field(error: dict[str, Any]) -> dict[str, str]:
    """Check the envelope of a one-field ValidationException; return its fieldList entry."""
    assert error["Error"]["Code"] == "ValidationException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["reason"] == "FIELD_VALIDATION_FAILED"
    assert error["Error"]["Message"].startswith("1 validation error detected: ")
    [entry] = error["fieldList"]
    return entry


def assert_not_joined(creator: Any, collaboration: dict[str, Any]) -> None:
    """The refused create_membership stored nothing: no membership, the member still INVITED."""
    assert creator.list_memberships()["membershipSummaries"] == []
    seen = creator.get_collaboration(collaborationIdentifier=collaboration["id"])["collaboration"]
    assert seen["memberStatus"] == "INVITED"


def assert_no_collaboration_stored() -> None:
    """The refused create_collaboration stored nothing: CREATOR has no collaboration."""
    assert client(CREATOR).list_collaborations()["collaborationList"] == []


# ---- required members and enums ---------------------------------------------------------


def test_missing_required_member_must_not_be_null(creator: Any, collaboration: dict) -> None:
    error = error_of(lambda: creator.create_membership(collaborationIdentifier=collaboration["id"]))

    assert only_field(error) == {"name": "queryLogStatus", "message": "Member must not be null"}
    assert error["Error"]["Message"] == (
        "1 validation error detected: Value null at 'queryLogStatus' failed to satisfy "
        "constraint: Member must not be null"
    )
    assert_not_joined(creator, collaboration)


def test_value_outside_the_enum_is_refused(creator: Any, collaboration: dict) -> None:
    error = error_of(
        lambda: creator.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="MAYBE"
        )
    )

    assert only_field(error) == {
        "name": "queryLogStatus",
        "message": "Member must satisfy enum value set: [ENABLED, DISABLED]",
    }
    assert (
        "Value 'MAYBE' at 'queryLogStatus' failed to satisfy constraint"
        in (error["Error"]["Message"])
    )
    assert_not_joined(creator, collaboration)


# ---- string lengths ---------------------------------------------------------------------


def test_string_longer_than_its_maximum_is_refused(creator: Any) -> None:
    error = error_of(lambda: create_collaboration(creator, name="n" * 101))

    assert only_field(error) == {
        "name": "name",
        "message": "Member must have length less than or equal to 100",
    }
    assert "at 'name' failed to satisfy constraint" in error["Error"]["Message"]
    assert_no_collaboration_stored()


def test_empty_string_below_its_minimum_is_refused(creator: Any) -> None:
    error = error_of(lambda: create_collaboration(creator, creatorDisplayName=""))

    assert only_field(error) == {
        "name": "creatorDisplayName",
        "message": "Member must have length greater than or equal to 1",
    }
    assert "Value '' at 'creatorDisplayName'" in error["Error"]["Message"]
    assert_no_collaboration_stored()


def test_values_on_the_edges_of_their_constraints_are_accepted(creator: Any) -> None:
    collaboration = create_collaboration(
        creator,
        name="n" * 100,
        description="",  # CollaborationDescription has length 0..255: empty is fine
        creatorDisplayName="Café 🎉",  # any printable text, astral characters included
        tags={f"key-{i}": "v" * 256 for i in range(199)} | {"k" * 128: ""},
    )

    assert collaboration["name"] == "n" * 100
    assert collaboration["description"] == ""
    assert collaboration["creatorDisplayName"] == "Café 🎉"
    tags = creator.list_tags_for_resource(resourceArn=collaboration["arn"])["tags"]
    assert len(tags) == 200


def test_huge_value_is_not_echoed_whole_in_the_message(creator: Any) -> None:
    error = error_of(lambda: create_collaboration(creator, name="x" * 100_000))

    assert only_field(error) == {
        "name": "name",
        "message": "Member must have length less than or equal to 100",
    }
    message = error["Error"]["Message"]
    assert f"Value '{'x' * 100}...' at 'name'" in message
    assert len(message) < 300
    assert_no_collaboration_stored()


# ---- patterns, at any depth -------------------------------------------------------------


def test_pattern_is_checked_deep_inside_a_structure(creator: Any, collaboration: dict) -> None:
    error = error_of(
        lambda: creator.create_membership(
            collaborationIdentifier=collaboration["id"],
            queryLogStatus="ENABLED",
            defaultResultConfiguration={
                "outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": "Not_A_Bucket!"}}
            },
        )
    )

    entry = only_field(error)
    assert entry["name"] == "defaultResultConfiguration.outputConfiguration.s3.bucket"
    assert entry["message"].startswith("Member must satisfy regular expression pattern: ")
    assert (
        "Value 'Not_A_Bucket!' at 'defaultResultConfiguration.outputConfiguration.s3.bucket'"
        in error["Error"]["Message"]
    )
    assert_not_joined(creator, collaboration)


def test_role_arn_must_name_an_iam_role(creator: Any, collaboration: dict) -> None:
    user_arn = "arn:aws:iam::222222222222:user/cleanrooms-results"
    error = error_of(
        lambda: creator.create_membership(
            collaborationIdentifier=collaboration["id"],
            queryLogStatus="ENABLED",
            defaultResultConfiguration={"outputConfiguration": S3_RESULTS, "roleArn": user_arn},
        )
    )

    assert only_field(error) == {
        "name": "defaultResultConfiguration.roleArn",
        "message": "Member must satisfy regular expression pattern: "
        "arn:aws:iam::[\\w]+:role/[\\w+=./@-]+",
    }
    assert (
        f"Value '{user_arn}' at 'defaultResultConfiguration.roleArn'" in (error["Error"]["Message"])
    )
    assert_not_joined(creator, collaboration)


def test_pattern_classes_are_ascii_as_on_aws(creator: Any, collaboration: dict) -> None:
    # \w in the model's patterns is Java's: ASCII letters, digits and "_" only.
    s3 = {"resultFormat": "CSV", "bucket": "results-bucket", "keyPrefix": "résultats/"}
    error = error_of(
        lambda: creator.create_membership(
            collaborationIdentifier=collaboration["id"],
            queryLogStatus="ENABLED",
            defaultResultConfiguration={"outputConfiguration": {"s3": s3}},
        )
    )

    entry = only_field(error)
    assert entry["name"] == "defaultResultConfiguration.outputConfiguration.s3.keyPrefix"
    assert entry["message"] == "Member must satisfy regular expression pattern: [\\w!.=*/-]*"
    assert_not_joined(creator, collaboration)


def test_error_in_a_list_item_names_its_index(creator: Any) -> None:
    members = [
        {"accountId": MEMBER_A, "displayName": "Advertiser", "memberAbilities": []},
        {"accountId": "12345678901a", "displayName": "Measurer", "memberAbilities": []},
    ]
    error = error_of(lambda: create_collaboration(creator, members=members))

    assert only_field(error) == {
        "name": "members[1].accountId",
        "message": "Member must satisfy regular expression pattern: \\d+",
    }
    assert "Value '12345678901a' at 'members[1].accountId'" in error["Error"]["Message"]
    assert_no_collaboration_stored()


def test_uri_label_is_validated_like_any_member(creator: Any) -> None:
    not_a_uuid = "11111111-2222-4333-8444-55555555555Z"  # 36 characters, as a UUID
    error = error_of(lambda: creator.get_membership(membershipIdentifier=not_a_uuid))

    assert only_field(error) == {
        "name": "membershipIdentifier",
        "message": f"Member must satisfy regular expression pattern: {UUID_PATTERN}",
    }
    assert f"Value '{not_a_uuid}' at 'membershipIdentifier'" in error["Error"]["Message"]


# ---- tagged unions ----------------------------------------------------------------------


def test_union_with_no_member_set_is_refused(creator: Any, collaboration: dict) -> None:
    error = error_of(
        lambda: creator.create_membership(
            collaborationIdentifier=collaboration["id"],
            queryLogStatus="ENABLED",
            defaultResultConfiguration={"outputConfiguration": {}},
        )
    )

    assert only_field(error) == {
        "name": "defaultResultConfiguration.outputConfiguration",
        "message": "Member must have exactly one of the following members set: s3",
    }
    assert (
        "Value null at 'defaultResultConfiguration.outputConfiguration'"
        in (error["Error"]["Message"])
    )
    assert_not_joined(creator, collaboration)


def test_union_with_two_members_set_is_refused() -> None:
    # No implemented operation takes a union of two or more members yet: check the validator
    # on one of the model's, where StartProtectedQuery will use it.
    shape = service_model().shape_for("ProtectedQueryOutputConfiguration")
    assert shape.metadata.get("union") and len(shape.members) >= 2
    both = {
        "s3": {"resultFormat": "CSV", "bucket": "results-bucket"},
        "member": {"accountId": MEMBER_B},
    }
    errors: list[FieldError] = []

    compile_validator(shape)(both, "resultConfiguration.outputConfiguration", errors)

    members = ", ".join(shape.members)
    assert errors == [
        FieldError(
            "resultConfiguration.outputConfiguration",
            f"Member must have exactly one of the following members set: {members}",
            "member, s3",
        )
    ]
    errors.clear()
    compile_validator(shape)({"member": {"accountId": MEMBER_B}}, "", errors)
    assert errors == []


# ---- maps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "path", "constraint"),
    [
        ({f"key-{i}": "v" for i in range(201)}, "tags", "length less than or equal to 200"),
        ({"k" * 129: "v"}, "tags", "length less than or equal to 128"),
        ({"team": "v" * 257}, "tags.team", "length less than or equal to 256"),
        ({"": "v"}, "tags", "length greater than or equal to 1"),
    ],
    ids=["201 tags", "key of 129", "value of 257", "empty key"],
)
def test_tag_map_limits_are_enforced(
    creator: Any, collaboration: dict, tags: dict[str, str], path: str, constraint: str
) -> None:
    error = error_of(
        lambda: creator.create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED", tags=tags
        )
    )

    assert only_field(error) == {"name": path, "message": f"Member must have {constraint}"}
    assert f"' at '{path}' failed to satisfy constraint" in error["Error"]["Message"]
    assert_not_joined(creator, collaboration)


# ---- JSON types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "value", "expected"),
    [
        ("queryLogStatus", 5, "Member must be a string"),
        ("isMetricsEnabled", "yes", "Member must be a boolean"),
    ],
)
def test_wrong_json_type_is_refused(
    creator: Any, collaboration: dict, member: str, value: Any, expected: str
) -> None:
    params = {"collaborationIdentifier": collaboration["id"], "queryLogStatus": "ENABLED"}
    error = error_of(lambda: creator.create_membership(**{**params, member: value}))

    assert only_field(error) == {"name": member, "message": expected}
    assert f"at '{member}' failed to satisfy constraint: {expected}" in error["Error"]["Message"]
    assert_not_joined(creator, collaboration)


@pytest.mark.parametrize(
    ("member", "value", "expected"),
    [
        ("members", "not a list", "Member must be a list"),
        ("tags", ["team", "ads"], "Member must be a map"),
        ("dataEncryptionMetadata", True, "Member must be a structure"),
    ],
)
def test_wrong_container_type_is_refused(member: str, value: Any, expected: str) -> None:
    # botocore cannot even serialise these (it iterates the value), so send the JSON directly.
    document = {
        "name": "ads",
        "creatorDisplayName": "Publisher",
        "creatorMemberAbilities": ["CAN_QUERY"],
        "members": [],
        "queryLogStatus": "ENABLED",
        member: value,
    }

    status, headers, body = raw_request("POST", "/collaborations", document)

    assert status == 400
    assert headers["x-amzn-ErrorType"] == "ValidationException"
    assert body["reason"] == "FIELD_VALIDATION_FAILED"
    assert body["fieldList"] == [{"name": member, "message": expected}]
    assert f"at '{member}' failed to satisfy constraint: {expected}" in body["message"]
    assert_no_collaboration_stored()


# ---- several errors at once -------------------------------------------------------------


def test_every_broken_constraint_is_reported_at_once(creator: Any) -> None:
    error = error_of(
        lambda: create_collaboration(
            creator,
            name=None,  # botocore leaves it out
            queryLogStatus="MAYBE",
            members=[{"accountId": "123", "displayName": "A", "memberAbilities": []}],
        )
    )

    assert error["Error"]["Code"] == "ValidationException"
    assert error["reason"] == "FIELD_VALIDATION_FAILED"
    assert sorted(f["name"] for f in error["fieldList"]) == [
        "members[0].accountId",
        "name",
        "queryLogStatus",
    ]
    message = error["Error"]["Message"]
    assert message.startswith("3 validation errors detected: ")
    assert message.count("failed to satisfy constraint") == 3
    assert_no_collaboration_stored()


# ---- query strings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_results", "constraint"),
    [(0, "greater than or equal to 1"), (101, "less than or equal to 100")],
)
def test_max_results_must_be_within_its_range(
    creator: Any, max_results: int, constraint: str
) -> None:
    error = error_of(lambda: creator.list_memberships(maxResults=max_results))

    assert only_field(error) == {"name": "maxResults", "message": f"Member must be {constraint}"}
    assert f"Value '{max_results}' at 'maxResults'" in error["Error"]["Message"]


@pytest.mark.parametrize("text", ["ten", "1_0", "%207", "%D9%A3", "7.0"])
def test_max_results_must_be_an_integer(text: str) -> None:
    status, headers, body = raw_request("GET", f"/memberships?maxResults={text}")

    assert status == 400
    assert headers["x-amzn-ErrorType"] == "ValidationException"
    assert body["fieldList"] == [{"name": "maxResults", "message": "Member must be an integer"}]
    assert "at 'maxResults'" in body["message"]
