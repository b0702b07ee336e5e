"""Update paths make the checks their Create makes, against other resources as they are now
(the fresh-user review of issues 12/13, finding 1): a collaboration analysis rule must keep the
type of the configured table's analysis rule, also when it is updated."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from assoc_support import (
    ADVERTISER,
    AGGREGATION,
    CREATOR,
    MEASURER,
    PUBLISHER,
    STRANGER,
    Collaboration,
    custom_rule,
    receivers,
)
from helpers import raises_aws

LIST = {"v1": {"list": {"joinColumns": ["user_id"], "listColumns": ["segment"]}}}


def _ids(collab: Collaboration, association_id: str) -> dict[str, str]:
    return {
        "membershipIdentifier": collab.memberships[PUBLISHER],
        "configuredTableAssociationIdentifier": association_id,
    }


@pytest.fixture
def custom_everywhere(collab: Collaboration, table_of: Callable[..., str]) -> dict[str, str]:
    """The publisher's table with a CUSTOM rule, associated, with a CUSTOM collaboration rule:
    the rule calls' identifiers and the configured table's id."""
    table_id = table_of(PUBLISHER, "customers", rule=custom_rule())
    association = collab.associate(PUBLISHER, table_id, "customers")
    ids = _ids(collab, association["id"])
    collab[PUBLISHER].create_configured_table_association_analysis_rule(
        **ids, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(CREATOR)
    )
    return {**ids, "configuredTableIdentifier": table_id}


@pytest.mark.parametrize(
    ("new_table_rule", "message"),
    [
        (None, r"has no analysis rule: add it \(CreateConfiguredTableAnalysisRule\)"),
        (LIST, "has a LIST analysis rule, so its collaboration analysis rule must be LIST"),
        (
            AGGREGATION,
            "has an AGGREGATION analysis rule, so its collaboration analysis rule must be "
            "AGGREGATION",
        ),
    ],
    ids=["no-table-rule", "list", "aggregation"],
)
def test_update_refuses_a_type_the_table_rule_no_longer_has(
    collab: Collaboration,
    custom_everywhere: dict[str, str],
    new_table_rule: dict[str, Any] | None,
    message: str,
) -> None:
    publisher = collab[PUBLISHER]
    table_id = custom_everywhere.pop("configuredTableIdentifier")
    publisher.delete_configured_table_analysis_rule(
        configuredTableIdentifier=table_id, analysisRuleType="CUSTOM"
    )
    if new_table_rule is not None:
        publisher.create_configured_table_analysis_rule(
            configuredTableIdentifier=table_id,
            analysisRuleType=next(iter(new_table_rule["v1"])).upper(),
            analysisRulePolicy=new_table_rule,
        )

    with raises_aws(
        "ValidationException",
        status=400,
        reason="FIELD_VALIDATION_FAILED",
        field="analysisRuleType",
        message=re.compile(message),
    ):
        publisher.update_configured_table_association_analysis_rule(
            **custom_everywhere,
            analysisRuleType="CUSTOM",
            analysisRulePolicy=receivers(CREATOR, MEASURER),
        )
    # Create refuses the same rule on the same association, with the same error.
    publisher.delete_configured_table_association_analysis_rule(
        **custom_everywhere, analysisRuleType="CUSTOM"
    )
    with raises_aws("ValidationException", field="analysisRuleType", message=re.compile(message)):
        publisher.create_configured_table_association_analysis_rule(
            **custom_everywhere, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(CREATOR)
        )


def test_a_refused_update_leaves_the_rule_as_it_was(
    collab: Collaboration, custom_everywhere: dict[str, str]
) -> None:
    publisher = collab[PUBLISHER]
    table_id = custom_everywhere.pop("configuredTableIdentifier")
    before = publisher.get_configured_table_association_analysis_rule(
        **custom_everywhere, analysisRuleType="CUSTOM"
    )["analysisRule"]
    publisher.delete_configured_table_analysis_rule(
        configuredTableIdentifier=table_id, analysisRuleType="CUSTOM"
    )
    publisher.create_configured_table_analysis_rule(
        configuredTableIdentifier=table_id, analysisRuleType="LIST", analysisRulePolicy=LIST
    )

    with raises_aws("ValidationException", field="analysisRuleType"):
        publisher.update_configured_table_association_analysis_rule(
            **custom_everywhere,
            analysisRuleType="CUSTOM",
            analysisRulePolicy=receivers(MEASURER),
        )

    after = publisher.get_configured_table_association_analysis_rule(
        **custom_everywhere, analysisRuleType="CUSTOM"
    )["analysisRule"]
    assert after == before


@pytest.mark.parametrize(
    ("policy", "fields"),
    [
        (receivers(STRANGER), ["analysisRulePolicy.v1.custom.allowedResultReceivers[0]"]),
        (receivers(PUBLISHER), ["analysisRulePolicy.v1.custom.allowedResultReceivers[0]"]),
        (
            receivers(CREATOR, CREATOR),
            ["analysisRulePolicy.v1.custom.allowedResultReceivers[1]"],
        ),
        (receivers(ADVERTISER, rule_type="list"), ["analysisRulePolicy.v1"]),
    ],
    ids=["stranger", "cannot-receive", "twice", "other-member"],
)
def test_create_and_update_refuse_the_same_policies_alike(
    collab: Collaboration,
    table_of: Callable[..., str],
    custom_everywhere: dict[str, str],
    policy: dict[str, Any],
    fields: list[str],
) -> None:
    publisher = collab[PUBLISHER]
    custom_everywhere.pop("configuredTableIdentifier")
    fresh_table = table_of(PUBLISHER, "visits", rule=custom_rule())
    fresh = _ids(collab, collab.associate(PUBLISHER, fresh_table, "visits")["id"])

    with raises_aws("ValidationException", field=fields) as created:
        publisher.create_configured_table_association_analysis_rule(
            **fresh, analysisRuleType="CUSTOM", analysisRulePolicy=policy
        )
    with raises_aws("ValidationException", field=fields) as updated:
        publisher.update_configured_table_association_analysis_rule(
            **custom_everywhere, analysisRuleType="CUSTOM", analysisRulePolicy=policy
        )
    assert updated.response["Error"]["Message"] == created.response["Error"]["Message"]


# ---- finding 5: huge collaboration rules -----------------------------------------------------


def _accounts(count: int) -> list[str]:
    return [f"{900000000000 + n}" for n in range(count)]


@pytest.mark.parametrize("count", [7_000, 50_000])
@pytest.mark.parametrize("call", ["create", "update"])
def test_a_collaboration_rule_over_100_kb_is_refused_by_the_analysis_rule_size_quota(
    collab: Collaboration, custom_everywhere: dict[str, str], count: int, call: str
) -> None:
    custom_everywhere.pop("configuredTableIdentifier")
    publisher = collab[PUBLISHER]
    if call == "create":
        publisher.delete_configured_table_association_analysis_rule(
            **custom_everywhere, analysisRuleType="CUSTOM"
        )

    with raises_aws(
        "ValidationException",
        status=400,
        field="analysisRulePolicy",
        message=(
            "1 validation error detected: Value null at 'analysisRulePolicy' failed to satisfy "
            "constraint: The policy is larger than 100 KB as JSON, the quota Analysis rule "
            "size; name fewer result receivers or additional analyses."
        ),
    ):
        getattr(publisher, f"{call}_configured_table_association_analysis_rule")(
            **custom_everywhere,
            analysisRuleType="CUSTOM",
            analysisRulePolicy=receivers(*_accounts(count)),
        )


@pytest.mark.parametrize("count", [101, 2_000, 6_000])
def test_a_validation_error_lists_at_most_100_fields(
    collab: Collaboration, custom_everywhere: dict[str, str], count: int
) -> None:
    custom_everywhere.pop("configuredTableIdentifier")

    with raises_aws(
        "ValidationException",
        reason="FIELD_VALIDATION_FAILED",
        message=re.compile(rf"^{count} validation errors detected: .*; and {count - 100} more$"),
    ) as caught:
        collab[PUBLISHER].update_configured_table_association_analysis_rule(
            **custom_everywhere,
            analysisRuleType="CUSTOM",
            analysisRulePolicy=receivers(*_accounts(count)),
        )
    fields = caught.response["fieldList"]
    assert [f["name"] for f in fields] == [
        f"analysisRulePolicy.v1.custom.allowedResultReceivers[{n}]" for n in range(100)
    ]
    assert len(caught.response["message"]) < 40_000


@pytest.mark.parametrize("count", [1, 2, 100])
def test_up_to_100_faults_are_all_listed(
    collab: Collaboration, custom_everywhere: dict[str, str], count: int
) -> None:
    custom_everywhere.pop("configuredTableIdentifier")

    with raises_aws("ValidationException") as caught:
        collab[PUBLISHER].update_configured_table_association_analysis_rule(
            **custom_everywhere,
            analysisRuleType="CUSTOM",
            analysisRulePolicy=receivers(*_accounts(count)),
        )
    assert len(caught.response["fieldList"]) == count
    assert "more" not in caught.response["message"]
