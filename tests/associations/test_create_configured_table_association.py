"""CreateConfiguredTableAssociation, Get and List: a data owner brings its table into a
collaboration through its own membership."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from assoc_support import ADVERTISER, CREATOR, PUBLISHER, STRANGER, Collaboration, role
from botocore.config import Config
from helpers import error_of

from cleanrooms_mock import CleanRoomsMock


def test_the_publisher_associates_its_table_under_a_lower_case_name(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers")

    association = collab.associate(PUBLISHER, table_id, "Publisher Customers", description="CRM")

    membership = collab.memberships[PUBLISHER]
    assert association["name"] == "publisher customers"
    assert association["configuredTableId"] == table_id
    assert association["configuredTableArn"].endswith(f":{PUBLISHER}:configuredtable/{table_id}")
    assert association["membershipId"] == membership
    assert association["roleArn"] == role(PUBLISHER)
    assert association["description"] == "CRM"
    assert association["analysisRuleTypes"] == []
    assert association["arn"] == (
        f"arn:aws:cleanrooms:us-east-1:{PUBLISHER}:configuredtableassociation/"
        f"{membership}/{association['id']}"
    )
    got = collab[PUBLISHER].get_configured_table_association(
        membershipIdentifier=membership, configuredTableAssociationIdentifier=association["id"]
    )["configuredTableAssociation"]
    assert got == association
    [summary] = collab[PUBLISHER].list_configured_table_associations(
        membershipIdentifier=membership
    )["configuredTableAssociationSummaries"]
    assert summary["id"] == association["id"]
    assert summary["name"] == "publisher customers"


def test_associations_list_per_membership_oldest_first_and_page(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    names = ["first", "second", "third"]
    for name in names:
        collab.associate(PUBLISHER, table_of(PUBLISHER, name), name)
    collab.associate(ADVERTISER, table_of(ADVERTISER, "theirs"), "theirs")

    pages = (
        collab[PUBLISHER]
        .get_paginator("list_configured_table_associations")
        .paginate(
            membershipIdentifier=collab.memberships[PUBLISHER], PaginationConfig={"PageSize": 2}
        )
    )

    listed = [a["name"] for page in pages for a in page["configuredTableAssociationSummaries"]]
    assert listed == names


def test_another_accounts_table_is_not_found(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    advertisers = table_of(ADVERTISER, "orders")

    for table_id in (advertisers, "11111111-2222-3333-4444-555555555555"):
        response = error_of(lambda t=table_id: collab.associate(PUBLISHER, t, "orders"))
        assert response["Error"]["Code"] == "ResourceNotFoundException"
        assert response["resourceType"] == "CONFIGURED_TABLE"
        assert response["resourceId"] == table_id
    assert (
        collab[PUBLISHER].list_configured_table_associations(
            membershipIdentifier=collab.memberships[PUBLISHER]
        )["configuredTableAssociationSummaries"]
        == []
    )


def test_only_through_ones_own_membership(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers")

    for membership in (collab.memberships[ADVERTISER], "11111111-2222-3333-4444-555555555555"):
        response = error_of(
            lambda m=membership: collab[PUBLISHER].create_configured_table_association(
                membershipIdentifier=m,
                configuredTableIdentifier=table_id,
                name="customers",
                roleArn=role(PUBLISHER),
            )
        )
        assert response["Error"]["Code"] == "ResourceNotFoundException"
        assert response["resourceType"] == "MEMBERSHIP"
    response = error_of(
        lambda: collab[STRANGER].list_configured_table_associations(
            membershipIdentifier=collab.memberships[PUBLISHER]
        )
    )
    assert response["resourceType"] == "MEMBERSHIP"


@pytest.mark.parametrize("taken", ["customers", "CUSTOMERS", "Customers"])
def test_a_name_is_unique_in_the_collaboration_whatever_its_case(
    collab: Collaboration, table_of: Callable[..., str], taken: str
) -> None:
    first = collab.associate(PUBLISHER, table_of(PUBLISHER, "customers"), "customers")
    advertisers = table_of(ADVERTISER, "orders")

    response = error_of(lambda: collab.associate(ADVERTISER, advertisers, taken))

    assert response["Error"]["Code"] == "ConflictException"
    assert response["reason"] == "ALREADY_EXISTS"
    assert response["resourceType"] == "CONFIGURED_TABLE_ASSOCIATION"
    assert response["resourceId"] == first["id"]
    assert (
        collab[ADVERTISER].list_configured_table_associations(
            membershipIdentifier=collab.memberships[ADVERTISER]
        )["configuredTableAssociationSummaries"]
        == []
    )


def test_a_table_is_associated_to_a_collaboration_once(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers")
    first = collab.associate(PUBLISHER, table_id, "customers")

    response = error_of(lambda: collab.associate(PUBLISHER, table_id, "customers_again"))

    assert response["Error"]["Code"] == "ConflictException"
    assert response["reason"] == "ALREADY_EXISTS"
    assert response["resourceId"] == first["id"]


def test_a_removed_member_cannot_associate(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(ADVERTISER, "orders")
    collab[CREATOR].delete_member(collaborationIdentifier=collab.id, accountId=ADVERTISER)

    response = error_of(lambda: collab.associate(ADVERTISER, table_id, "orders"))

    assert response["Error"]["Code"] == "ConflictException"
    assert response["reason"] == "INVALID_STATE"
    assert response["resourceType"] == "MEMBERSHIP"


def test_names_and_roles_are_checked_against_the_model(
    cleanrooms_mock: CleanRoomsMock, collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers")
    raw = cleanrooms_mock.client(PUBLISHER, config=Config(parameter_validation=False))
    bad = {
        "name": "-starts-with-a-hyphen",
        "roleArn": "arn:aws:iam::222222222222:user/not-a-role",
    }
    for member, value in bad.items():
        params = {
            "membershipIdentifier": collab.memberships[PUBLISHER],
            "configuredTableIdentifier": table_id,
            "name": "customers",
            "roleArn": role(PUBLISHER),
            member: value,
        }
        response = error_of(lambda p=params: raw.create_configured_table_association(**p))
        assert response["Error"]["Code"] == "ValidationException"
        assert response["fieldList"][0]["name"] == member
