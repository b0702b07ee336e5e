"""Tagging collaborations and memberships: who may tag what, and the limits AWS sets on tags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.config import Config
from helpers import (
    CREATOR,
    MEMBER_A,
    MEMBER_B,
    REGION,
    client,
    create_collaboration,
    error_of,
    join,
    tags_of,
)

pytestmark = pytest.mark.usefixtures("mock")

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
UNKNOWN_ARNS = {
    "COLLABORATION": f"arn:aws:cleanrooms:{REGION}:{CREATOR}:collaboration/{UNKNOWN_ID}",
    "MEMBERSHIP": f"arn:aws:cleanrooms:{REGION}:{CREATOR}:membership/{UNKNOWN_ID}",
}


def assert_not_found(error: dict[str, Any], resource_type: str, arn: str) -> None:
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["resourceType"] == resource_type
    assert error["resourceId"] == arn


def field_names(error: dict[str, Any]) -> list[str]:
    assert error["Error"]["Code"] == "ValidationException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["reason"] == "FIELD_VALIDATION_FAILED"
    return [field["name"] for field in error["fieldList"]]


# ---- tagging, listing, untagging ------------------------------------------------------------


def test_creator_tags_lists_and_untags_its_collaboration() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"team": "ads", "env": "test"})
    arn = collaboration["arn"]
    assert tags_of(creator, arn) == {"team": "ads", "env": "test"}

    response = creator.tag_resource(resourceArn=arn, tags={"env": "prod", "owner": "publisher"})
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(creator, arn) == {"team": "ads", "env": "prod", "owner": "publisher"}

    creator.untag_resource(resourceArn=arn, tagKeys=["team", "not-a-tag"])
    assert tags_of(creator, arn) == {"env": "prod", "owner": "publisher"}

    creator.untag_resource(resourceArn=arn, tagKeys=["never-there"])  # nothing to remove: fine
    assert tags_of(creator, arn) == {"env": "prod", "owner": "publisher"}


def test_resource_created_without_tags_has_none() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator)
    membership = join(creator, collaboration)

    assert tags_of(creator, collaboration["arn"]) == {}
    assert tags_of(creator, membership["arn"]) == {}


def test_member_tags_lists_and_untags_its_membership() -> None:
    collaboration = create_collaboration(client(CREATOR))
    member = client(MEMBER_A)
    membership = join(member, collaboration, tags={"team": "measurement"})
    arn = membership["arn"]
    assert tags_of(member, arn) == {"team": "measurement"}

    member.tag_resource(resourceArn=arn, tags={"team": "ads", "cost-center": "42"})
    assert tags_of(member, arn) == {"team": "ads", "cost-center": "42"}

    member.untag_resource(resourceArn=arn, tagKeys=["cost-center", "absent"])
    assert tags_of(member, arn) == {"team": "ads"}

    member.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert tags_of(member, arn) == {}


def test_collaboration_and_membership_tags_are_separate() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"on": "collaboration"})
    membership = join(creator, collaboration, tags={"on": "membership"})

    creator.tag_resource(resourceArn=membership["arn"], tags={"extra": "1"})

    assert tags_of(creator, collaboration["arn"]) == {"on": "collaboration"}
    assert tags_of(creator, membership["arn"]) == {"on": "membership", "extra": "1"}


# ---- reserved keys and the 200-tag limit ------------------------------------------------------


@pytest.mark.parametrize("key", ["aws:team", "AWS:team", "Aws:createdBy"])
def test_reserved_key_prefix_is_refused_by_tag_resource(key: str) -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"team": "ads"})
    membership = join(creator, collaboration, tags={"team": "ads"})

    for arn in (collaboration["arn"], membership["arn"]):
        error = error_of(
            lambda arn=arn: creator.tag_resource(resourceArn=arn, tags={"env": "x", key: "x"})
        )
        assert field_names(error) == ["tags"]
        assert tags_of(creator, arn) == {"team": "ads"}  # not even "env" was added


def test_reserved_key_prefix_is_refused_at_creation() -> None:
    creator = client(CREATOR)
    error = error_of(lambda: create_collaboration(creator, tags={"aws:team": "ads"}))
    assert field_names(error) == ["tags"]
    assert creator.list_collaborations()["collaborationList"] == []

    collaboration = create_collaboration(creator)
    member = client(MEMBER_A)
    error = error_of(lambda: join(member, collaboration, tags={"team": "a", "aws:env": "b"}))
    assert field_names(error) == ["tags"]
    assert member.list_memberships()["membershipSummaries"] == []
    # Still invited, free to join without the reserved key.
    assert join(member, collaboration, tags={"team": "a"})["status"] == "ACTIVE"


def test_reserved_prefix_is_only_a_prefix() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator)

    creator.tag_resource(
        resourceArn=collaboration["arn"], tags={"team:aws": "x", "my-aws:key": "aws:value"}
    )

    assert tags_of(creator, collaboration["arn"]) == {"team:aws": "x", "my-aws:key": "aws:value"}


def test_more_than_200_tags_in_all_are_refused_and_nothing_is_added() -> None:
    creator = client(CREATOR)
    existing = {f"old-{i}": "v" for i in range(150)}
    collaboration = create_collaboration(creator, tags=existing)
    arn = collaboration["arn"]

    error = error_of(
        lambda: creator.tag_resource(resourceArn=arn, tags={f"new-{i}": "v" for i in range(60)})
    )

    assert field_names(error) == ["tags"]
    assert tags_of(creator, arn) == existing


def test_overwritten_keys_do_not_count_twice_toward_200() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={f"old-{i}": "v" for i in range(150)})
    arn = collaboration["arn"]
    # 10 keys it has already (new values) and 50 new ones: 200 tags in all.
    update = {f"old-{i}": "changed" for i in range(10)} | {f"new-{i}": "v" for i in range(50)}

    creator.tag_resource(resourceArn=arn, tags=update)

    tags = tags_of(creator, arn)
    assert len(tags) == 200
    assert tags["old-0"] == "changed"
    assert tags["old-149"] == "v"
    error = error_of(lambda: creator.tag_resource(resourceArn=arn, tags={"one-more": "v"}))
    assert field_names(error) == ["tags"]


@pytest.mark.parametrize(
    ("tags", "path"),
    [({"k" * 129: "v"}, "tags"), ({"team": "v" * 257}, "tags.team")],
    ids=["key of 129", "value of 257"],
)
def test_tag_lengths_are_checked_by_the_service(tags: dict[str, str], path: str) -> None:
    # botocore checks lengths itself; turn that off to see what the service says.
    creator = client(CREATOR, config=Config(parameter_validation=False))
    collaboration = create_collaboration(creator)

    error = error_of(lambda: creator.tag_resource(resourceArn=collaboration["arn"], tags=tags))

    assert field_names(error) == [path]
    assert tags_of(creator, collaboration["arn"]) == {}


# ---- which resources an account may tag ----------------------------------------------------

TAG_OPERATIONS: dict[str, Callable[[Any, str], Any]] = {
    "list": lambda c, arn: c.list_tags_for_resource(resourceArn=arn),
    "tag": lambda c, arn: c.tag_resource(resourceArn=arn, tags={"k": "v"}),
    "untag": lambda c, arn: c.untag_resource(resourceArn=arn, tagKeys=["k"]),
}


@pytest.mark.parametrize("operation", sorted(TAG_OPERATIONS))
@pytest.mark.parametrize("resource_type", sorted(UNKNOWN_ARNS))
def test_unknown_resource_is_not_found(resource_type: str, operation: str) -> None:
    arn = UNKNOWN_ARNS[resource_type]
    error = error_of(lambda: TAG_OPERATIONS[operation](client(CREATOR), arn))
    assert_not_found(error, resource_type, arn)


@pytest.mark.parametrize("operation", sorted(TAG_OPERATIONS))
def test_member_cannot_tag_nor_read_the_creators_collaboration_tags(operation: str) -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"owner": "publisher"})
    member = client(MEMBER_A)
    join(member, collaboration)  # an active member, not only invited

    error = error_of(lambda: TAG_OPERATIONS[operation](member, collaboration["arn"]))

    assert_not_found(error, "COLLABORATION", collaboration["arn"])
    assert tags_of(creator, collaboration["arn"]) == {"owner": "publisher"}


@pytest.mark.parametrize("account", [CREATOR, MEMBER_B], ids=["collaboration creator", "member"])
def test_other_accounts_cannot_see_a_memberships_tags(account: str) -> None:
    collaboration = create_collaboration(client(CREATOR))
    member = client(MEMBER_A)
    membership = join(member, collaboration, tags={"team": "ads"})
    other = client(account)

    for operation in TAG_OPERATIONS.values():
        error = error_of(lambda operation=operation: operation(other, membership["arn"]))
        assert_not_found(error, "MEMBERSHIP", membership["arn"])
    assert tags_of(member, membership["arn"]) == {"team": "ads"}


def test_deleted_collaboration_has_no_tags_to_read() -> None:
    creator = client(CREATOR)
    collaboration = create_collaboration(creator, tags={"owner": "publisher"})
    creator.delete_collaboration(collaborationIdentifier=collaboration["id"])

    error = error_of(lambda: tags_of(creator, collaboration["arn"]))

    assert_not_found(error, "COLLABORATION", collaboration["arn"])


@pytest.mark.parametrize("operation", sorted(TAG_OPERATIONS))
def test_arn_of_an_untaggable_resource_type_is_invalid(operation: str) -> None:
    arn = f"arn:aws:cleanrooms:{REGION}:{CREATOR}:notaresource/{UNKNOWN_ID}"

    error = error_of(lambda: TAG_OPERATIONS[operation](client(CREATOR), arn))

    assert field_names(error) == ["resourceArn"]
