"""Tags on analysis templates: given at creation or by TagResource (the ARN is longer than the
model's 100-character cap, which the mock corrects: README "Assumptions"), listed by the
Resource Groups Tagging API as ``cleanrooms:analysistemplate``."""

from __future__ import annotations

from assoc_support import CREATOR, PUBLISHER, Collaboration
from helpers import raises_aws
from moto import mock_aws
from template_support import create

from cleanrooms_mock.mock import client_acting_as


def test_tags_given_at_creation_are_listed_for_the_owner(with_tables: Collaboration) -> None:
    template = create(
        with_tables,
        CREATOR,
        "SELECT COUNT(*) FROM orders",
        tags={"team": "insights", "cost-centre": "42"},
    )
    create(with_tables, PUBLISHER, "SELECT COUNT(*) FROM customers", tags={"team": "crm"})

    with mock_aws():  # the Tagging API is moto's; Clean Rooms stays with the mock
        tagging = client_acting_as("resourcegroupstaggingapi", CREATOR, "us-east-1")
        mappings = tagging.get_resources(TagFilters=[{"Key": "team"}])["ResourceTagMappingList"]
    listed = {m["ResourceARN"]: {t["Key"]: t["Value"] for t in m["Tags"]} for m in mappings}

    assert listed == {template["arn"]: {"team": "insights", "cost-centre": "42"}}


def test_reserved_tag_keys_are_refused_at_creation(with_tables: Collaboration) -> None:
    with raises_aws("ValidationException", field="tags"):
        create(with_tables, CREATOR, "SELECT COUNT(*) FROM orders", tags={"aws:owner": "me"})


def test_the_owner_tags_a_template_by_its_long_arn(with_tables: Collaboration) -> None:
    template = create(with_tables, CREATOR, "SELECT COUNT(*) FROM orders", tags={"team": "x"})
    owner, arn = with_tables[CREATOR], template["arn"]
    assert len(arn) > 100

    owner.tag_resource(resourceArn=arn, tags={"stage": "test"})
    owner.untag_resource(resourceArn=arn, tagKeys=["team"])

    assert owner.list_tags_for_resource(resourceArn=arn)["tags"] == {"stage": "test"}
    with raises_aws("ResourceNotFoundException"):
        with_tables[PUBLISHER].list_tags_for_resource(resourceArn=arn)


def test_the_tagging_api_filters_templates_by_their_resource_type(
    with_tables: Collaboration,
) -> None:
    template = create(with_tables, CREATOR, "SELECT COUNT(*) FROM orders", tags={"team": "x"})

    with mock_aws():
        tagging = client_acting_as("resourcegroupstaggingapi", CREATOR, "us-east-1")
        found = tagging.get_resources(ResourceTypeFilters=["cleanrooms:analysistemplate"])
        memberships = tagging.get_resources(ResourceTypeFilters=["cleanrooms:membership"])

    assert [m["ResourceARN"] for m in found["ResourceTagMappingList"]] == [template["arn"]]
    assert template["arn"] not in [m["ResourceARN"] for m in memberships["ResourceTagMappingList"]]
