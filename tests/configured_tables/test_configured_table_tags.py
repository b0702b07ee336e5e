"""Tags on configured tables: set at creation, changed by their owner through Clean Rooms or the
Resource Groups Tagging API, invisible to other accounts."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import OTHER, configure, not_found, refused_fields
from helpers import client, tags_of


def tagging_api(account: str = "123456789012") -> Any:
    return client(account, service="resourcegroupstaggingapi")


def test_tags_given_at_creation_are_the_tables(owner: Any) -> None:
    table = configure(owner, tags={"team": "data"})

    assert tags_of(owner, table["arn"]) == {"team": "data"}


def test_the_owner_tags_and_untags_its_table(owner: Any) -> None:
    table = configure(owner, tags={"team": "data"})

    owner.tag_resource(resourceArn=table["arn"], tags={"env": "test", "team": "ads"})
    assert tags_of(owner, table["arn"]) == {"team": "ads", "env": "test"}
    owner.untag_resource(resourceArn=table["arn"], tagKeys=["team", "absent"])
    assert tags_of(owner, table["arn"]) == {"env": "test"}


@pytest.mark.parametrize("tags", [{"aws:team": "data"}, {"AWS:x": "y", "fine": "z"}])
def test_reserved_keys_are_refused_at_creation(owner: Any, tags: dict[str, str]) -> None:
    assert refused_fields(lambda: configure(owner, tags=tags)) == ["tags"]
    assert owner.list_configured_tables()["configuredTableSummaries"] == []


def test_another_account_can_neither_read_nor_change_its_tags(owner: Any) -> None:
    table = configure(owner, tags={"team": "data"})
    other = client(OTHER)

    for call in (
        lambda: other.list_tags_for_resource(resourceArn=table["arn"]),
        lambda: other.tag_resource(resourceArn=table["arn"], tags={"team": "mine"}),
        lambda: other.untag_resource(resourceArn=table["arn"], tagKeys=["team"]),
    ):
        not_found(call, table["arn"], "CONFIGURED_TABLE")
    assert tags_of(owner, table["arn"]) == {"team": "data"}


def test_a_deleted_tables_arn_has_no_tags(owner: Any) -> None:
    table = configure(owner, tags={"team": "data"})
    owner.delete_configured_table(configuredTableIdentifier=table["id"])

    not_found(
        lambda: owner.list_tags_for_resource(resourceArn=table["arn"]),
        table["arn"],
        "CONFIGURED_TABLE",
    )


def test_the_tagging_api_sees_and_tags_the_owners_tables(owner: Any) -> None:
    tagged = configure(owner, name="tagged", tags={"team": "data"})
    configure(owner, name="untagged")

    found = tagging_api().get_resources(ResourceTypeFilters=["cleanrooms:configuredtable"])

    assert [(m["ResourceARN"], m["Tags"]) for m in found["ResourceTagMappingList"]] == [
        (tagged["arn"], [{"Key": "team", "Value": "data"}])
    ]
    failed = tagging_api(OTHER).tag_resources(ResourceARNList=[tagged["arn"]], Tags={"x": "y"})
    assert failed["FailedResourcesMap"][tagged["arn"]]["ErrorCode"] == "ResourceNotFoundException"
    assert (
        tagging_api().tag_resources(ResourceARNList=[tagged["arn"]], Tags={"x": "y"})[
            "FailedResourcesMap"
        ]
        == {}
    )
    assert tags_of(owner, tagged["arn"]) == {"team": "data", "x": "y"}
