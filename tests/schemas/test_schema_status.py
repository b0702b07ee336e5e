"""``schemaStatusDetails``: READY or NOT_READY, with the model's reason codes, computed from the
rules in place each time a schema is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from assoc_support import (
    ADVERTISER,
    AGGREGATION,
    CREATOR,
    MEASURER,
    PUBLISHER,
    Collaboration,
    custom_rule,
    reasons,
    receivers,
)

TEMPLATE = "arn:aws:cleanrooms:us-east-1:111111111111:membership/{}/analysistemplate/{}"
ELSEWHERE = "aaaaaaaa-0000-0000-0000-000000000000"  # a membership of another collaboration
TEMPLATE_ID = "bbbbbbbb-0000-0000-0000-000000000000"
AUDIENCE_MODELS = "arn:aws:cleanrooms:us-east-1:*:membership/*/configuredaudiencemodelassociation/*"


def _rule(collab: Collaboration, association: dict[str, Any], policy: dict[str, Any]) -> None:
    collab[PUBLISHER].create_configured_table_association_analysis_rule(
        membershipIdentifier=collab.memberships[PUBLISHER],
        configuredTableAssociationIdentifier=association["id"],
        analysisRuleType=next(iter(policy["v1"])).upper(),
        analysisRulePolicy=policy,
    )


def test_ready_once_both_rules_are_in_place(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "t", rule=custom_rule()), "t")
    _rule(collab, association, receivers(CREATOR))

    [detail] = collab.schema(ADVERTISER, "t")["schemaStatusDetails"]

    assert detail == {
        "status": "READY",
        "analysisRuleType": "CUSTOM",
        "analysisType": "DIRECT_ANALYSIS",
    }


@pytest.mark.parametrize(
    ("table_rule", "expected"),
    [
        (
            custom_rule(allowedAnalysisProviders=["999999999999"]),
            ["ANALYSIS_PROVIDERS_NOT_CONFIGURED"],
        ),
        (
            {"v1": {"custom": {"allowedAnalyses": []}}},
            ["ANALYSIS_TEMPLATES_NOT_CONFIGURED"],
        ),
        (
            {"v1": {"custom": {"allowedAnalyses": [TEMPLATE.format(ELSEWHERE, TEMPLATE_ID)]}}},
            ["ANALYSIS_TEMPLATES_NOT_CONFIGURED"],
        ),
        (
            custom_rule(differentialPrivacy={"columns": [{"name": "user_id"}]}),
            ["DIFFERENTIAL_PRIVACY_POLICY_NOT_CONFIGURED"],
        ),
        (AGGREGATION, ["ANALYSIS_RULE_TYPES_NOT_COMPATIBLE"]),
    ],
)
def test_a_table_rule_the_collaboration_cannot_use_is_not_ready(
    collab: Collaboration,
    table_of: Callable[..., str],
    table_rule: dict[str, Any],
    expected: list[str],
) -> None:
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "t", rule=table_rule), "t")
    _rule(collab, association, receivers(CREATOR, rule_type=next(iter(table_rule["v1"]))))

    schema = collab.schema(CREATOR, "t")

    assert reasons(schema) == expected
    assert schema["schemaStatusDetails"][0]["status"] == "NOT_READY"


def test_a_template_of_this_collaboration_is_ready(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    template = TEMPLATE.format(collab.memberships[CREATOR], TEMPLATE_ID)
    rule = {"v1": {"custom": {"allowedAnalyses": [template]}}}
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "t", rule=rule), "t")
    _rule(collab, association, receivers(CREATOR))

    assert reasons(collab.schema(CREATOR, "t")) == []


def test_differential_privacy_shows_in_configurations(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    rule = custom_rule(differentialPrivacy={"columns": [{"name": "user_id"}]})
    collab.associate(PUBLISHER, table_of(PUBLISHER, "t", rule=rule), "t")

    [detail] = collab.schema(CREATOR, "t")["schemaStatusDetails"]

    assert detail["configurations"] == ["DIFFERENTIAL_PRIVACY"]


def test_result_receivers_not_configured_then_not_allowed(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "t", rule=custom_rule()), "t")
    _rule(collab, association, {"v1": {"custom": {"allowedResultReceivers": []}}})
    not_configured = reasons(collab.schema(CREATOR, "t"))
    collab[PUBLISHER].update_configured_table_association_analysis_rule(
        membershipIdentifier=collab.memberships[PUBLISHER],
        configuredTableAssociationIdentifier=association["id"],
        analysisRuleType="CUSTOM",
        analysisRulePolicy=receivers(CREATOR, MEASURER),
    )
    ready = reasons(collab.schema(CREATOR, "t"))

    collab[MEASURER].delete_membership(membershipIdentifier=collab.memberships[MEASURER])

    schema = collab.schema(CREATOR, "t")
    assert not_configured == ["RESULT_RECEIVERS_NOT_CONFIGURED"]
    assert ready == []
    assert reasons(schema) == ["RESULT_RECEIVERS_NOT_ALLOWED"]
    assert MEASURER in schema["schemaStatusDetails"][0]["reasons"][0]["message"]


def test_additional_analyses(collab: Collaboration, table_of: Callable[..., str]) -> None:
    allowed = collab.associate(
        PUBLISHER,
        table_of(PUBLISHER, "allowed", rule=custom_rule(additionalAnalyses="ALLOWED")),
        "allowed",
    )
    refused = collab.associate(
        ADVERTISER,
        table_of(ADVERTISER, "refused", rule=custom_rule(additionalAnalyses="NOT_ALLOWED")),
        "refused",
    )
    before = reasons(collab.schema(CREATOR, "allowed"), "ADDITIONAL_ANALYSIS")
    _rule(collab, allowed, receivers(CREATOR))
    without_analyses = reasons(collab.schema(CREATOR, "allowed"), "ADDITIONAL_ANALYSIS")
    collab[PUBLISHER].update_configured_table_association_analysis_rule(
        membershipIdentifier=collab.memberships[PUBLISHER],
        configuredTableAssociationIdentifier=allowed["id"],
        analysisRuleType="CUSTOM",
        analysisRulePolicy=receivers(CREATOR, allowedAdditionalAnalyses=[AUDIENCE_MODELS]),
    )
    collab[ADVERTISER].create_configured_table_association_analysis_rule(
        membershipIdentifier=collab.memberships[ADVERTISER],
        configuredTableAssociationIdentifier=refused["id"],
        analysisRuleType="CUSTOM",
        analysisRulePolicy=receivers(CREATOR, allowedAdditionalAnalyses=[AUDIENCE_MODELS]),
    )

    assert before == ["COLLABORATION_ANALYSIS_RULE_NOT_CONFIGURED"]
    assert without_analyses == ["ADDITIONAL_ANALYSES_NOT_CONFIGURED"]
    assert reasons(collab.schema(CREATOR, "allowed"), "ADDITIONAL_ANALYSIS") == []
    assert reasons(collab.schema(CREATOR, "refused"), "ADDITIONAL_ANALYSIS") == [
        "ADDITIONAL_ANALYSES_NOT_ALLOWED"
    ]
    assert reasons(collab.schema(CREATOR, "refused")) == []


def test_a_table_rule_changing_type_makes_the_rules_incompatible(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_id = table_of(PUBLISHER, "t", rule=custom_rule())
    association = collab.associate(PUBLISHER, table_id, "t")
    _rule(collab, association, receivers(CREATOR))
    publisher = collab[PUBLISHER]
    publisher.delete_configured_table_analysis_rule(
        configuredTableIdentifier=table_id, analysisRuleType="CUSTOM"
    )
    missing = reasons(collab.schema(CREATOR, "t"))

    publisher.create_configured_table_analysis_rule(
        configuredTableIdentifier=table_id,
        analysisRuleType="AGGREGATION",
        analysisRulePolicy=AGGREGATION,
    )

    assert missing == ["ANALYSIS_RULE_MISSING"]
    # one reason: an AGGREGATION rule in a SPARK collaboration, and not the CUSTOM rule's type
    assert reasons(collab.schema(CREATOR, "t")) == ["ANALYSIS_RULE_TYPES_NOT_COMPATIBLE"]
