"""UpdateConfiguredTableAssociation and DeleteConfiguredTableAssociation, and what other
families' deletions do to associations (``domain/cascades.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assoc_support import (
    ADVERTISER,
    CREATOR,
    MEASURER,
    PUBLISHER,
    Collaboration,
    custom_rule,
    receivers,
)
from helpers import error_of
from moto import mock_aws

from cleanrooms_mock import CleanRoomsMock
from cleanrooms_mock.mock import client_acting_as


def _ids(collab: Collaboration, account: str, association: dict[str, Any]) -> dict[str, str]:
    return {
        "membershipIdentifier": collab.memberships[account],
        "configuredTableAssociationIdentifier": association["id"],
    }


def test_update_changes_only_description_and_role(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "customers"), "customers")
    new_role = "arn:aws:iam::222222222222:role/another-cleanrooms-role"

    updated = collab[PUBLISHER].update_configured_table_association(
        **_ids(collab, PUBLISHER, association), description="now described", roleArn=new_role
    )["configuredTableAssociation"]

    assert updated["description"] == "now described"
    assert updated["roleArn"] == new_role
    assert updated["name"] == "customers"
    assert updated["updateTime"] >= association["updateTime"]
    assert collab.schema(CREATOR, "customers")["description"] == "now described"


def test_other_accounts_cannot_read_change_or_delete_it(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "customers"), "customers")
    advertiser = collab[ADVERTISER]
    as_advertiser = _ids(collab, ADVERTISER, association)

    calls = [
        lambda: advertiser.get_configured_table_association(**as_advertiser),
        lambda: advertiser.update_configured_table_association(**as_advertiser, description="x"),
        lambda: advertiser.delete_configured_table_association(**as_advertiser),
    ]
    for call in calls:
        response = error_of(call)
        assert response["Error"]["Code"] == "ResourceNotFoundException"
        assert response["resourceType"] == "CONFIGURED_TABLE_ASSOCIATION"
        assert response["resourceId"] == association["id"]
    assert collab.schema(ADVERTISER, "customers")["description"] == ""


def test_delete_takes_its_rule_and_schema(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers", rule=custom_rule())
    association = collab.associate(PUBLISHER, table_id, "customers")
    ids = _ids(collab, PUBLISHER, association)
    collab[PUBLISHER].create_configured_table_association_analysis_rule(
        **ids, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(CREATOR)
    )

    response = collab[PUBLISHER].delete_configured_table_association(**ids)

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    for call in (
        lambda: collab[PUBLISHER].get_configured_table_association(**ids),
        lambda: collab[PUBLISHER].get_configured_table_association_analysis_rule(
            **ids, analysisRuleType="CUSTOM"
        ),
    ):
        assert error_of(call)["resourceType"] == "CONFIGURED_TABLE_ASSOCIATION"
    assert error_of(lambda: collab.schema(CREATOR, "customers"))["Error"]["Code"] == (
        "ResourceNotFoundException"
    )
    # the name is free again, and the table can go
    collab.associate(PUBLISHER, table_of(PUBLISHER, "other"), "customers")
    collab[PUBLISHER].delete_configured_table(configuredTableIdentifier=table_id)


def test_an_associated_configured_table_cannot_be_deleted(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers", rule=custom_rule())
    association = collab.associate(PUBLISHER, table_id, "customers")

    response = error_of(
        lambda: collab[PUBLISHER].delete_configured_table(configuredTableIdentifier=table_id)
    )

    assert response["Error"]["Code"] == "ConflictException"
    assert response["reason"] == "SUBRESOURCES_EXIST"
    assert response["resourceType"] == "CONFIGURED_TABLE"
    assert response["resourceId"] == table_id
    table = collab[PUBLISHER].get_configured_table(configuredTableIdentifier=table_id)
    assert table["configuredTable"]["analysisRuleTypes"] == ["CUSTOM"]
    collab[PUBLISHER].delete_configured_table_association(**_ids(collab, PUBLISHER, association))
    collab[PUBLISHER].delete_configured_table(configuredTableIdentifier=table_id)


def test_its_tables_rule_can_go_and_the_schema_says_so(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers", rule=custom_rule())
    collab.associate(PUBLISHER, table_id, "customers")

    collab[PUBLISHER].delete_configured_table_analysis_rule(
        configuredTableIdentifier=table_id, analysisRuleType="CUSTOM"
    )

    detail = collab.schema(CREATOR, "customers")["schemaStatusDetails"][0]
    assert detail["status"] == "NOT_READY"
    assert "ANALYSIS_RULE_MISSING" in [reason["code"] for reason in detail["reasons"]]


def test_a_membership_with_associations_cannot_be_deleted(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "customers"), "customers")
    membership = collab.memberships[PUBLISHER]

    response = error_of(
        lambda: collab[PUBLISHER].delete_membership(membershipIdentifier=membership)
    )

    assert response["Error"]["Code"] == "ConflictException"
    assert response["reason"] == "SUBRESOURCES_EXIST"
    assert response["resourceType"] == "MEMBERSHIP"
    assert response["resourceId"] == membership
    got = collab[PUBLISHER].get_membership(membershipIdentifier=membership)["membership"]
    assert got["status"] == "ACTIVE"
    collab[PUBLISHER].delete_configured_table_association(**_ids(collab, PUBLISHER, association))
    collab[PUBLISHER].delete_membership(membershipIdentifier=membership)


def test_a_removed_member_loses_its_associations_and_schemas(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers")
    collab.associate(PUBLISHER, table_id, "customers")
    collab.associate(ADVERTISER, table_of(ADVERTISER, "orders"), "orders")

    collab[CREATOR].delete_member(collaborationIdentifier=collab.id, accountId=PUBLISHER)

    listed = collab[MEASURER].list_schemas(collaborationIdentifier=collab.id)["schemaSummaries"]
    assert [schema["name"] for schema in listed] == ["orders"]
    assert (
        collab[PUBLISHER].list_configured_table_associations(
            membershipIdentifier=collab.memberships[PUBLISHER]
        )["configuredTableAssociationSummaries"]
        == []
    )
    collab[PUBLISHER].delete_configured_table(configuredTableIdentifier=table_id)


def test_a_deleted_collaboration_takes_every_association(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    tables = {
        PUBLISHER: table_of(PUBLISHER, "customers"),
        ADVERTISER: table_of(ADVERTISER, "orders"),
    }
    for account, table_id in tables.items():
        collab.associate(account, table_id, f"t_{account}")

    collab[CREATOR].delete_collaboration(collaborationIdentifier=collab.id)

    for account, table_id in tables.items():
        assert (
            collab[account].list_configured_table_associations(
                membershipIdentifier=collab.memberships[account]
            )["configuredTableAssociationSummaries"]
            == []
        )
        collab[account].delete_configured_table(configuredTableIdentifier=table_id)
    assert error_of(lambda: collab.schema(ADVERTISER, f"t_{PUBLISHER}"))["Error"]["Code"] == (
        "AccessDeniedException"
    )


def test_the_owner_tags_an_association_by_its_arn_longer_than_the_models_cap(
    cleanrooms_mock: CleanRoomsMock, collab: Collaboration, table_of: Callable[..., str]
) -> None:
    association = collab.associate(
        PUBLISHER, table_of(PUBLISHER, "customers"), "customers", tags={"team": "crm"}
    )
    owner, arn = collab[PUBLISHER], association["arn"]
    # 142 characters, over the model's 100 for TagResource's resourceArn; AWS's own
    # CloudFormation handler tags associations by this ARN (README "Assumptions").
    assert len(arn) > 100

    owner.tag_resource(resourceArn=arn, tags={"stage": "test"})
    owner.untag_resource(resourceArn=arn, tagKeys=["team"])

    assert owner.list_tags_for_resource(resourceArn=arn)["tags"] == {"stage": "test"}
    [dumped] = cleanrooms_mock.dump()["regions"]["us-east-1"]["configuredTableAssociations"]
    assert dumped["tags"] == {"stage": "test"}
    # Another member cannot read or change them.
    for call in (
        lambda: collab[ADVERTISER].list_tags_for_resource(resourceArn=arn),
        lambda: collab[ADVERTISER].tag_resource(resourceArn=arn, tags={"a": "b"}),
    ):
        assert error_of(call)["Error"]["Code"] == "ResourceNotFoundException"
    # Past the corrected cap, the model's constraint still holds.
    too_long = error_of(lambda: owner.list_tags_for_resource(resourceArn=arn + "0" * 100))
    assert too_long["Error"]["Code"] == "ValidationException"
    assert too_long["fieldList"][0]["name"] == "resourceArn"


def test_the_tagging_api_lists_an_association_with_its_tags(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    with mock_aws():
        association = collab.associate(
            PUBLISHER, table_of(PUBLISHER, "customers"), "customers", tags={"team": "crm"}
        )
        tagging = client_acting_as("resourcegroupstaggingapi", PUBLISHER, "us-east-1")

        found = tagging.get_resources(ResourceTypeFilters=["cleanrooms:configuredtableassociation"])

    assert found["ResourceTagMappingList"] == [
        {"ResourceARN": association["arn"], "Tags": [{"Key": "team", "Value": "crm"}]}
    ]
