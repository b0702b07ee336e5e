"""Tags on analysis templates: given at creation, listed by the Resource Groups Tagging API;
Clean Rooms' own tag operations refuse the ARN, longer than their 100-character cap."""

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


def test_the_clean_rooms_tag_operations_refuse_the_long_arn(with_tables: Collaboration) -> None:
    template = create(with_tables, CREATOR, "SELECT COUNT(*) FROM orders", tags={"team": "x"})

    assert len(template["arn"]) > 100
    with raises_aws("ValidationException", field="resourceArn"):
        with_tables[CREATOR].list_tags_for_resource(resourceArn=template["arn"])
