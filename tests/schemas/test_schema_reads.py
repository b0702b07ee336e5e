"""GetSchema, ListSchemas and BatchGetSchema: what the members of a collaboration see of the
tables associated to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from assoc_support import (
    ADVERTISER,
    CREATOR,
    MEASURER,
    PUBLISHER,
    STRANGER,
    Collaboration,
    four_accounts,
)
from helpers import error_of

from cleanrooms_mock import CleanRoomsMock


def test_every_active_member_sees_the_same_schema(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers", allowedColumns=["user_id", "spend", "day"])
    association = collab.associate(PUBLISHER, table_id, "Customers", description="CRM")

    seen = [collab.schema(account, "customers") for account in (CREATOR, PUBLISHER, MEASURER)]

    assert seen[0] == seen[1] == seen[2]
    schema = seen[0]
    assert schema["name"] == "customers"
    assert schema["type"] == "TABLE"
    assert schema["creatorAccountId"] == PUBLISHER
    assert schema["collaborationId"] == collab.id
    assert schema["description"] == "CRM"
    # the allowed columns only, with their Glue types; partition keys from Glue
    assert schema["columns"] == [
        {"name": "user_id", "type": "string"},
        {"name": "spend", "type": "double"},
        {"name": "day", "type": "date"},
    ]
    assert schema["partitionKeys"] == [{"name": "day", "type": "date"}]
    assert schema["analysisMethod"] == "DIRECT_QUERY"
    assert schema["analysisRuleTypes"] == []
    assert schema["resourceArn"] == (
        f"arn:aws:cleanrooms:us-east-1:{PUBLISHER}:membership/{collab.memberships[PUBLISHER]}"
        f"/configuredtableassociation/{association['id']}"
    )
    assert schema["schemaTypeProperties"] == {
        "configuredTableAssociation": {"configuredTableAssociationId": association["id"]}
    }
    assert schema["createTime"] == association["createTime"]


def test_the_schema_follows_its_configured_table(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "customers")
    collab.associate(PUBLISHER, table_id, "customers")

    collab[PUBLISHER].update_configured_table(
        configuredTableIdentifier=table_id, allowedColumns=["segment"]
    )

    assert collab.schema(ADVERTISER, "customers")["columns"] == [
        {"name": "segment", "type": "varchar(16)"}
    ]
    assert collab.schema(ADVERTISER, "customers")["partitionKeys"] == []


@pytest.mark.cleanrooms(verify_glue_tables=False)
def test_without_the_glue_check_columns_are_strings(
    cleanrooms_mock: CleanRoomsMock,
) -> None:
    collab = four_accounts(cleanrooms_mock)
    table = collab[PUBLISHER].create_configured_table(
        name="t",
        analysisMethod="DIRECT_QUERY",
        allowedColumns=["user_id", "amount"],
        tableReference={"glue": {"databaseName": "no", "tableName": "such_table"}},
    )["configuredTable"]
    collab.associate(PUBLISHER, table["id"], "t")

    schema = collab.schema(CREATOR, "t")

    assert schema["columns"] == [
        {"name": "user_id", "type": "string"},
        {"name": "amount", "type": "string"},
    ]
    assert schema["partitionKeys"] == []


def test_only_active_members_read_schemas(
    cleanrooms_mock: CleanRoomsMock, table_of: Callable[..., str]
) -> None:
    collab = four_accounts(cleanrooms_mock, join=(CREATOR, PUBLISHER))
    collab.associate(PUBLISHER, table_of(PUBLISHER, "t"), "t")
    calls = [
        lambda c: c.get_schema(collaborationIdentifier=collab.id, name="t"),
        lambda c: c.list_schemas(collaborationIdentifier=collab.id),
        lambda c: c.batch_get_schema(collaborationIdentifier=collab.id, names=["t"]),
        lambda c: c.get_schema_analysis_rule(
            collaborationIdentifier=collab.id, name="t", type="CUSTOM"
        ),
        lambda c: c.batch_get_schema_analysis_rule(
            collaborationIdentifier=collab.id,
            schemaAnalysisRuleRequests=[{"name": "t", "type": "CUSTOM"}],
        ),
    ]

    # invited but not joined, and never invited
    for account in (ADVERTISER, STRANGER):
        for call in calls:
            response = error_of(lambda c=call, a=account: c(collab[a]))
            assert response["Error"]["Code"] == "AccessDeniedException"
    [summary] = collab[CREATOR].list_schemas(collaborationIdentifier=collab.id)["schemaSummaries"]
    assert summary["name"] == "t"


def test_list_schemas_pages_and_filters_by_type(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    for account, name in ((PUBLISHER, "a"), (ADVERTISER, "b"), (PUBLISHER, "c")):
        collab.associate(account, table_of(account, name), name)

    pages = (
        collab[MEASURER]
        .get_paginator("list_schemas")
        .paginate(collaborationIdentifier=collab.id, PaginationConfig={"PageSize": 2})
    )
    tables = collab[MEASURER].list_schemas(collaborationIdentifier=collab.id, schemaType="TABLE")
    others = collab[MEASURER].list_schemas(
        collaborationIdentifier=collab.id, schemaType="ID_MAPPING_TABLE"
    )

    summaries = [s for page in pages for s in page["schemaSummaries"]]
    assert [s["name"] for s in summaries] == ["a", "b", "c"]
    assert [s["creatorAccountId"] for s in summaries] == [PUBLISHER, ADVERTISER, PUBLISHER]
    assert [s["name"] for s in tables["schemaSummaries"]] == ["a", "b", "c"]
    assert others["schemaSummaries"] == []


def test_a_missing_schema_is_not_found_and_a_batch_reports_it(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    collab.associate(PUBLISHER, table_of(PUBLISHER, "customers"), "customers")

    missing = error_of(lambda: collab.schema(CREATOR, "nothing"))
    batch = collab[CREATOR].batch_get_schema(
        collaborationIdentifier=collab.id, names=["nothing", "CUSTOMERS", "other"]
    )

    assert missing["Error"]["Code"] == "ResourceNotFoundException"
    assert missing["resourceId"] == "nothing"
    assert [s["name"] for s in batch["schemas"]] == ["customers"]
    assert [(e["name"], e["code"]) for e in batch["errors"]] == [
        ("nothing", "ResourceNotFoundException"),
        ("other", "ResourceNotFoundException"),
    ]
