"""The collaboration analysis rule (Create/Get/Update/DeleteConfiguredTableAssociationAnalysisRule):
who may receive results of queries on an associated table, and which additional analyses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from assoc_support import (
    ADVERTISER,
    CREATOR,
    MEASURER,
    PUBLISHER,
    STRANGER,
    Collaboration,
    custom_rule,
    receivers,
)
from helpers import error_of

AUDIENCE_MODELS = "arn:aws:cleanrooms:us-east-1:*:membership/*/configuredaudiencemodelassociation/*"


@pytest.fixture
def associated(collab: Collaboration, table_of: Callable[..., str]) -> dict[str, str]:
    """The publisher's table, with its CUSTOM rule, associated: the rule calls' identifiers."""
    table_id = table_of(PUBLISHER, "customers", rule=custom_rule())
    association = collab.associate(PUBLISHER, table_id, "customers")
    return {
        "membershipIdentifier": collab.memberships[PUBLISHER],
        "configuredTableAssociationIdentifier": association["id"],
    }


def test_the_owner_names_who_may_receive_results(
    collab: Collaboration, associated: dict[str, str]
) -> None:
    publisher = collab[PUBLISHER]
    policy = receivers(CREATOR, MEASURER, allowedAdditionalAnalyses=[AUDIENCE_MODELS])

    rule = publisher.create_configured_table_association_analysis_rule(
        **associated, analysisRuleType="CUSTOM", analysisRulePolicy=policy
    )["analysisRule"]

    assert rule["policy"] == policy
    assert rule["type"] == "CUSTOM"
    assert rule["membershipIdentifier"] == associated["membershipIdentifier"]
    assert (
        rule["configuredTableAssociationId"] == associated["configuredTableAssociationIdentifier"]
    )
    got = publisher.get_configured_table_association_analysis_rule(
        **associated, analysisRuleType="CUSTOM"
    )["analysisRule"]
    assert got == rule
    association = publisher.get_configured_table_association(**associated)
    assert association["configuredTableAssociation"]["analysisRuleTypes"] == ["CUSTOM"]


def test_one_rule_per_association(collab: Collaboration, associated: dict[str, str]) -> None:
    create = collab[PUBLISHER].create_configured_table_association_analysis_rule
    create(**associated, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(CREATOR))

    response = error_of(
        lambda: create(
            **associated, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(MEASURER)
        )
    )

    assert response["Error"]["Code"] == "ConflictException"
    assert response["reason"] == "ALREADY_EXISTS"
    assert response["resourceType"] == "CONFIGURED_TABLE_ASSOCIATION"


@pytest.mark.parametrize(
    ("rule_type", "policy", "field"),
    [
        ("LIST", receivers(CREATOR, rule_type="list"), "analysisRuleType"),
        ("AGGREGATION", receivers(CREATOR, rule_type="aggregation"), "analysisRuleType"),
        ("CUSTOM", receivers(CREATOR, rule_type="list"), "analysisRulePolicy.v1"),
        ("CUSTOM", receivers(STRANGER), "analysisRulePolicy.v1.custom.allowedResultReceivers[0]"),
        (
            "CUSTOM",
            receivers(CREATOR, ADVERTISER),
            "analysisRulePolicy.v1.custom.allowedResultReceivers[1]",
        ),
        (
            "CUSTOM",
            receivers(MEASURER, MEASURER),
            "analysisRulePolicy.v1.custom.allowedResultReceivers[1]",
        ),
    ],
)
def test_a_rule_that_does_not_fit_is_refused(
    collab: Collaboration,
    associated: dict[str, str],
    rule_type: str,
    policy: dict[str, Any],
    field: str,
) -> None:
    publisher = collab[PUBLISHER]

    response = error_of(
        lambda: publisher.create_configured_table_association_analysis_rule(
            **associated, analysisRuleType=rule_type, analysisRulePolicy=policy
        )
    )

    assert response["Error"]["Code"] == "ValidationException"
    assert response["reason"] == "FIELD_VALIDATION_FAILED"
    assert field in [entry["name"] for entry in response["fieldList"]]
    association = publisher.get_configured_table_association(**associated)
    assert association["configuredTableAssociation"]["analysisRuleTypes"] == []


def test_a_table_without_its_analysis_rule_gets_none(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "bare"), "bare")

    response = error_of(
        lambda: collab[PUBLISHER].create_configured_table_association_analysis_rule(
            membershipIdentifier=collab.memberships[PUBLISHER],
            configuredTableAssociationIdentifier=association["id"],
            analysisRuleType="CUSTOM",
            analysisRulePolicy=receivers(CREATOR),
        )
    )

    assert response["Error"]["Code"] == "ValidationException"
    assert response["fieldList"][0]["name"] == "analysisRuleType"
    assert "has no analysis rule" in response["fieldList"][0]["message"]


def test_update_replaces_the_policy_under_the_same_checks(
    collab: Collaboration, associated: dict[str, str]
) -> None:
    publisher = collab[PUBLISHER]
    publisher.create_configured_table_association_analysis_rule(
        **associated, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(CREATOR)
    )

    updated = publisher.update_configured_table_association_analysis_rule(
        **associated, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(MEASURER)
    )["analysisRule"]
    refused = error_of(
        lambda: publisher.update_configured_table_association_analysis_rule(
            **associated, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(PUBLISHER)
        )
    )

    assert updated["policy"] == receivers(MEASURER)
    assert refused["Error"]["Code"] == "ValidationException"
    got = publisher.get_configured_table_association_analysis_rule(
        **associated, analysisRuleType="CUSTOM"
    )
    assert got["analysisRule"]["policy"] == receivers(MEASURER)


def test_a_rule_is_read_changed_and_deleted_by_its_type_and_owner(
    collab: Collaboration, associated: dict[str, str]
) -> None:
    publisher = collab[PUBLISHER]
    publisher.create_configured_table_association_analysis_rule(
        **associated, analysisRuleType="CUSTOM", analysisRulePolicy=receivers(CREATOR)
    )
    as_advertiser = {**associated, "membershipIdentifier": collab.memberships[ADVERTISER]}

    wrong_type = error_of(
        lambda: publisher.get_configured_table_association_analysis_rule(
            **associated, analysisRuleType="LIST"
        )
    )
    not_theirs = error_of(
        lambda: collab[ADVERTISER].delete_configured_table_association_analysis_rule(
            **as_advertiser, analysisRuleType="CUSTOM"
        )
    )
    deleted = publisher.delete_configured_table_association_analysis_rule(
        **associated, analysisRuleType="CUSTOM"
    )
    gone = error_of(
        lambda: publisher.get_configured_table_association_analysis_rule(
            **associated, analysisRuleType="CUSTOM"
        )
    )

    assert wrong_type["Error"]["Code"] == "ResourceNotFoundException"
    assert wrong_type["resourceType"] == "CONFIGURED_TABLE_ASSOCIATION"
    assert not_theirs["resourceType"] == "CONFIGURED_TABLE_ASSOCIATION"
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert gone["Error"]["Code"] == "ResourceNotFoundException"
    assert collab.schema(CREATOR, "customers")["schemaStatusDetails"][0]["status"] == "NOT_READY"
