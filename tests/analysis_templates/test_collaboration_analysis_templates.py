"""GetCollaborationAnalysisTemplate, ListCollaborationAnalysisTemplates and
BatchGetCollaborationAnalysisTemplate: every member's templates, for the collaboration's ACTIVE
members, with ``creatorAccountId``."""

from __future__ import annotations

import re
from typing import Any

from assoc_support import (
    ADVERTISER,
    CREATOR,
    MEASURER,
    PUBLISHER,
    STRANGER,
    Collaboration,
    four_accounts,
)
from helpers import raises_aws
from template_support import JOINED, PARAMETERS, create

from cleanrooms_mock import CleanRoomsMock


def _listed(collab: Collaboration, account: str, **paging: Any) -> dict[str, Any]:
    page: dict[str, Any] = collab[account].list_collaboration_analysis_templates(
        collaborationIdentifier=collab.id, **paging
    )
    return page


def test_every_active_member_reads_a_template_by_its_arn(with_tables: Collaboration) -> None:
    template = create(
        with_tables,
        CREATOR,
        JOINED,
        analysisParameters=PARAMETERS,
        description="buyers per segment",
    )

    for account in (PUBLISHER, ADVERTISER, MEASURER, CREATOR):
        seen = with_tables[account].get_collaboration_analysis_template(
            collaborationIdentifier=with_tables.id, analysisTemplateArn=template["arn"]
        )["collaborationAnalysisTemplate"]
        assert seen["creatorAccountId"] == CREATOR
        assert seen["source"] == {"text": JOINED}
        assert seen["analysisParameters"] == PARAMETERS
        assert seen["schema"] == {"referencedTables": ["customers", "orders"]}
        assert seen["description"] == "buyers per segment"
        assert (seen["id"], seen["arn"], seen["collaborationArn"]) == (
            template["id"],
            template["arn"],
            template["collaborationArn"],
        )
        assert "membershipId" not in seen  # the collaboration shape names the creator instead


def test_the_list_shows_every_members_templates_oldest_first_and_pages(
    with_tables: Collaboration,
) -> None:
    made = [
        create(with_tables, account, "SELECT COUNT(*) FROM customers", name=f"by_{account}")
        for account in (PUBLISHER, CREATOR, MEASURER)
    ]

    first = _listed(with_tables, ADVERTISER, maxResults=2)
    rest = _listed(with_tables, ADVERTISER, maxResults=2, nextToken=first["nextToken"])
    summaries = (
        first["collaborationAnalysisTemplateSummaries"]
        + rest["collaborationAnalysisTemplateSummaries"]
    )

    assert [(s["arn"], s["creatorAccountId"]) for s in summaries] == [
        (t["arn"], account) for t, account in zip(made, (PUBLISHER, CREATOR, MEASURER), strict=True)
    ]
    assert "nextToken" not in rest
    pages = with_tables[PUBLISHER].get_paginator("list_collaboration_analysis_templates")
    names = [
        s["name"]
        for page in pages.paginate(
            collaborationIdentifier=with_tables.id, PaginationConfig={"PageSize": 1}
        )
        for s in page["collaborationAnalysisTemplateSummaries"]
    ]
    assert names == [f"by_{a}" for a in (PUBLISHER, CREATOR, MEASURER)]


def test_batch_get_answers_found_ones_and_an_error_per_missing_arn(
    with_tables: Collaboration,
) -> None:
    kept = create(with_tables, PUBLISHER, "SELECT COUNT(*) FROM customers", name="kept")
    gone = create(with_tables, PUBLISHER, "SELECT COUNT(*) FROM orders", name="gone")
    with_tables[PUBLISHER].delete_analysis_template(
        membershipIdentifier=with_tables.memberships[PUBLISHER],
        analysisTemplateIdentifier=gone["id"],
    )
    never = kept["arn"].rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"

    answer = with_tables[ADVERTISER].batch_get_collaboration_analysis_template(
        collaborationIdentifier=with_tables.id,
        analysisTemplateArns=[kept["arn"], gone["arn"], never],
    )

    assert [t["name"] for t in answer["collaborationAnalysisTemplates"]] == ["kept"]
    assert answer["collaborationAnalysisTemplates"][0]["creatorAccountId"] == PUBLISHER
    assert [(e["arn"], e["code"]) for e in answer["errors"]] == [
        (gone["arn"], "ResourceNotFoundException"),
        (never, "ResourceNotFoundException"),
    ]
    assert all("not found in collaboration" in e["message"] for e in answer["errors"])


def test_a_deleted_or_foreign_template_is_not_found(
    cleanrooms_mock: CleanRoomsMock, with_tables: Collaboration
) -> None:
    elsewhere = four_accounts(cleanrooms_mock)  # another collaboration of the same accounts
    foreign = create(elsewhere, CREATOR, "SELECT 1", name="foreign")
    gone = create(with_tables, CREATOR, "SELECT COUNT(*) FROM orders")
    with_tables[CREATOR].delete_analysis_template(
        membershipIdentifier=with_tables.memberships[CREATOR], analysisTemplateIdentifier=gone["id"]
    )

    for arn in (foreign["arn"], gone["arn"]):
        with raises_aws(
            "ResourceNotFoundException",
            status=404,
            message=re.compile("not found in collaboration"),
        ) as caught:
            with_tables[PUBLISHER].get_collaboration_analysis_template(
                collaborationIdentifier=with_tables.id, analysisTemplateArn=arn
            )
        assert caught.response["resourceId"] == arn
    assert _listed(with_tables, PUBLISHER)["collaborationAnalysisTemplateSummaries"] == []


def test_strangers_invited_members_and_left_members_cannot_read_them(
    cleanrooms_mock: CleanRoomsMock,
) -> None:
    collab = four_accounts(cleanrooms_mock, join=(CREATOR, PUBLISHER, ADVERTISER))
    template = create(collab, CREATOR, "SELECT 1", name="shared")
    collab[ADVERTISER].delete_membership(membershipIdentifier=collab.memberships[ADVERTISER])

    for account in (STRANGER, MEASURER, ADVERTISER):  # never invited, invited only, left
        reader = collab[account]
        calls = [
            lambda r=reader: r.get_collaboration_analysis_template(
                collaborationIdentifier=collab.id, analysisTemplateArn=template["arn"]
            ),
            lambda r=reader: r.list_collaboration_analysis_templates(
                collaborationIdentifier=collab.id
            ),
            lambda r=reader: r.batch_get_collaboration_analysis_template(
                collaborationIdentifier=collab.id, analysisTemplateArns=[template["arn"]]
            ),
        ]
        for call in calls:
            with raises_aws("AccessDeniedException", status=403):
                call()
    # The member who joined still reads it.
    assert [
        s["name"] for s in _listed(collab, PUBLISHER)["collaborationAnalysisTemplateSummaries"]
    ] == ["shared"]
