"""UpdateAnalysisTemplate and DeleteAnalysisTemplate, and what templates do to other families'
deletions (``domain/cascades.py``): leaving is refused while they exist, a removed member's and
a deleted collaboration's go."""

from __future__ import annotations

import re

from assoc_support import ADVERTISER, CREATOR, PUBLISHER, STRANGER, Collaboration
from helpers import raises_aws
from template_support import JOINED, PARAMETERS, create, own


def _ids(collab: Collaboration, account: str, template_id: str) -> dict[str, str]:
    return {
        "membershipIdentifier": collab.memberships[account],
        "analysisTemplateIdentifier": template_id,
    }


def test_update_changes_the_description_only(with_tables: Collaboration) -> None:
    template = create(with_tables, CREATOR, JOINED, analysisParameters=PARAMETERS)

    updated = with_tables[CREATOR].update_analysis_template(
        **_ids(with_tables, CREATOR, template["id"]), description="now described"
    )["analysisTemplate"]

    assert updated["description"] == "now described"
    assert updated["source"] == template["source"]
    assert updated["analysisParameters"] == PARAMETERS
    assert updated["schema"] == template["schema"]
    assert updated["updateTime"] >= template["updateTime"]
    assert updated["createTime"] == template["createTime"]
    seen = with_tables[PUBLISHER].get_collaboration_analysis_template(
        collaborationIdentifier=with_tables.id, analysisTemplateArn=template["arn"]
    )["collaborationAnalysisTemplate"]
    assert seen["description"] == "now described"


def test_other_accounts_cannot_change_or_delete_it(with_tables: Collaboration) -> None:
    template = create(with_tables, CREATOR, "SELECT COUNT(*) FROM orders")

    for account in (PUBLISHER, ADVERTISER):
        ids = _ids(with_tables, account, template["id"])
        with raises_aws("ResourceNotFoundException", status=404):
            with_tables[account].update_analysis_template(**ids, description="mine now")
        with raises_aws("ResourceNotFoundException", status=404):
            with_tables[account].delete_analysis_template(**ids)
    with raises_aws("ResourceNotFoundException", status=404):
        with_tables[STRANGER].delete_analysis_template(**_ids(with_tables, CREATOR, template["id"]))
    assert [t["id"] for t in own(with_tables, CREATOR)] == [template["id"]]


def test_delete_removes_it_for_everyone(with_tables: Collaboration) -> None:
    template = create(with_tables, PUBLISHER, "SELECT COUNT(*) FROM customers")
    ids = _ids(with_tables, PUBLISHER, template["id"])

    answer = with_tables[PUBLISHER].delete_analysis_template(**ids)

    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert own(with_tables, PUBLISHER) == []
    with raises_aws("ResourceNotFoundException"):
        with_tables[PUBLISHER].get_analysis_template(**ids)
    with raises_aws("ResourceNotFoundException"):
        with_tables[PUBLISHER].delete_analysis_template(**ids)
    with raises_aws("ResourceNotFoundException"):
        with_tables[CREATOR].get_collaboration_analysis_template(
            collaborationIdentifier=with_tables.id, analysisTemplateArn=template["arn"]
        )


def test_leaving_is_refused_while_the_membership_holds_templates(
    with_tables: Collaboration,
) -> None:
    # The measurer holds no table association: only its template keeps it in.
    from assoc_support import MEASURER

    template = create(with_tables, MEASURER, "SELECT COUNT(*) FROM orders", name="measure")
    membership = with_tables.memberships[MEASURER]

    with raises_aws(
        "ConflictException",
        status=409,
        reason="SUBRESOURCES_EXIST",
        message=re.compile(r"still has 1 analysis template\(s\) \(measure\)"),
    ) as caught:
        with_tables[MEASURER].delete_membership(membershipIdentifier=membership)
    assert (caught.response["resourceType"], caught.response["resourceId"]) == (
        "MEMBERSHIP",
        membership,
    )
    assert (
        with_tables[MEASURER].get_membership(membershipIdentifier=membership)["membership"][
            "status"
        ]
        == "ACTIVE"
    )

    with_tables[MEASURER].delete_analysis_template(**_ids(with_tables, MEASURER, template["id"]))
    with_tables[MEASURER].delete_membership(membershipIdentifier=membership)
    with raises_aws("AccessDeniedException"):
        with_tables[MEASURER].list_collaboration_analysis_templates(
            collaborationIdentifier=with_tables.id
        )


def test_a_left_member_cannot_create_or_change_templates(with_tables: Collaboration) -> None:
    from assoc_support import MEASURER

    with_tables[MEASURER].delete_membership(membershipIdentifier=with_tables.memberships[MEASURER])

    with raises_aws("ResourceNotFoundException", status=404):
        create(with_tables, MEASURER, "SELECT COUNT(*) FROM orders")


def test_a_removed_members_templates_go(with_tables: Collaboration) -> None:
    template = create(with_tables, ADVERTISER, "SELECT COUNT(*) FROM orders")
    create(with_tables, CREATOR, "SELECT COUNT(*) FROM customers", name="creators")

    with_tables[CREATOR].delete_member(collaborationIdentifier=with_tables.id, accountId=ADVERTISER)

    listed = with_tables[PUBLISHER].list_collaboration_analysis_templates(
        collaborationIdentifier=with_tables.id
    )["collaborationAnalysisTemplateSummaries"]
    assert [t["name"] for t in listed] == ["creators"]
    with raises_aws("ResourceNotFoundException"):
        with_tables[PUBLISHER].get_collaboration_analysis_template(
            collaborationIdentifier=with_tables.id, analysisTemplateArn=template["arn"]
        )
    with raises_aws("ResourceNotFoundException", status=404):
        with_tables[ADVERTISER].update_analysis_template(
            **_ids(with_tables, ADVERTISER, template["id"]), description="x"
        )


def test_a_deleted_collaborations_templates_go(with_tables: Collaboration) -> None:
    template = create(with_tables, PUBLISHER, "SELECT COUNT(*) FROM customers")

    with_tables[CREATOR].delete_collaboration(collaborationIdentifier=with_tables.id)

    assert own(with_tables, PUBLISHER) == []
    with raises_aws("ResourceNotFoundException"):
        with_tables[PUBLISHER].get_analysis_template(**_ids(with_tables, PUBLISHER, template["id"]))
