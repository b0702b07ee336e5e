"""ListConfiguredTables: the caller's own configured tables, oldest first, page by page."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import OTHER, aws_error, configure, create_glue_table, glue_client
from helpers import client


def names(pages: Any) -> list[str]:
    return [t["name"] for page in pages for t in page["configuredTableSummaries"]]


def test_each_account_lists_only_its_own_tables(glue: Any) -> None:
    create_glue_table(glue)
    create_glue_table(glue_client(OTHER))
    owner, other = client(), client(OTHER)
    configure(owner, name="first")
    configure(other, name="theirs")
    configure(owner, name="second")

    assert names([owner.list_configured_tables()]) == ["first", "second"]
    assert names([other.list_configured_tables()]) == ["theirs"]


def test_a_summary_is_the_table_without_its_reference_and_columns(owner: Any) -> None:
    table = configure(
        owner,
        description="d",
        analysisMethod="MULTIPLE",
        selectedAnalysisMethods=["DIRECT_QUERY", "DIRECT_JOB"],
    )

    [summary] = owner.list_configured_tables()["configuredTableSummaries"]

    assert summary == {
        key: table[key]
        for key in (
            "id",
            "arn",
            "name",
            "tableType",
            "createTime",
            "updateTime",
            "analysisRuleTypes",
            "analysisMethod",
            "selectedAnalysisMethods",
        )
    }


@pytest.mark.parametrize("page_size", [1, 2, 5])
def test_the_paginator_walks_every_table_once(owner: Any, page_size: int) -> None:
    for index in range(5):
        configure(owner, name=f"t{index}")
    doomed = configure(owner, name="doomed")
    owner.delete_configured_table(configuredTableIdentifier=doomed["id"])

    pages = list(
        owner.get_paginator("list_configured_tables").paginate(
            PaginationConfig={"PageSize": page_size}
        )
    )

    assert names(pages) == [f"t{index}" for index in range(5)]
    assert all(len(page["configuredTableSummaries"]) <= page_size for page in pages)
    assert "nextToken" not in pages[-1]


def test_a_token_serves_only_the_account_and_operation_that_got_it(glue: Any) -> None:
    create_glue_table(glue)
    owner = client()
    configure(owner, name="a")
    configure(owner, name="b")
    token = owner.list_configured_tables(maxResults=1)["nextToken"]

    assert names([owner.list_configured_tables(nextToken=token)]) == ["b"]
    for call in (
        lambda: client(OTHER).list_configured_tables(nextToken=token),
        lambda: owner.list_memberships(nextToken=token),
        lambda: owner.list_configured_tables(nextToken=token[:-1] + "x"),
    ):
        error = aws_error(call, "ValidationException", 400)
        assert [f["name"] for f in error["fieldList"]] == ["nextToken"]
