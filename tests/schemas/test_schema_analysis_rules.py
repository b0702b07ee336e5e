"""GetSchemaAnalysisRule and BatchGetSchemaAnalysisRule: the table's rule, the collaboration
rule, and the ``consolidatedPolicy`` members read."""

from __future__ import annotations

from collections.abc import Callable

from assoc_support import (
    ADVERTISER,
    CREATOR,
    MEASURER,
    PUBLISHER,
    Collaboration,
    custom_rule,
    receivers,
)
from helpers import error_of


def test_the_consolidated_policy_merges_both_rules(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    table_rule = custom_rule(disallowedOutputColumns=["segment"])
    association = collab.associate(PUBLISHER, table_of(PUBLISHER, "t", rule=table_rule), "t")
    before = collab[ADVERTISER].get_schema_analysis_rule(
        collaborationIdentifier=collab.id, name="t", type="CUSTOM"
    )["analysisRule"]
    collab[PUBLISHER].create_configured_table_association_analysis_rule(
        membershipIdentifier=collab.memberships[PUBLISHER],
        configuredTableAssociationIdentifier=association["id"],
        analysisRuleType="CUSTOM",
        analysisRulePolicy=receivers(CREATOR, MEASURER),
    )

    rule = collab[ADVERTISER].get_schema_analysis_rule(
        collaborationIdentifier=collab.id, name="T", type="CUSTOM"
    )["analysisRule"]

    assert "collaborationPolicy" not in before
    assert before["consolidatedPolicy"] == table_rule
    assert rule["name"] == "t"
    assert rule["type"] == "CUSTOM"
    assert rule["collaborationId"] == collab.id
    assert rule["policy"] == table_rule
    assert rule["collaborationPolicy"] == receivers(CREATOR, MEASURER)
    assert rule["consolidatedPolicy"] == {
        "v1": {
            "custom": {
                **table_rule["v1"]["custom"],
                "allowedResultReceivers": [CREATOR, MEASURER],
            }
        }
    }


def test_a_rule_of_another_type_or_schema_is_not_found(
    collab: Collaboration, table_of: Callable[..., str]
) -> None:
    collab.associate(PUBLISHER, table_of(PUBLISHER, "t", rule=custom_rule()), "t")
    collab.associate(ADVERTISER, table_of(ADVERTISER, "bare"), "bare")
    get = collab[CREATOR].get_schema_analysis_rule

    for name, kind in (("t", "LIST"), ("bare", "CUSTOM"), ("nothing", "CUSTOM")):
        response = error_of(
            lambda n=name, k=kind: get(collaborationIdentifier=collab.id, name=n, type=k)
        )
        assert response["Error"]["Code"] == "ResourceNotFoundException"
        assert response["resourceId"] == name


def test_a_batch_answers_each_request(collab: Collaboration, table_of: Callable[..., str]) -> None:
    collab.associate(PUBLISHER, table_of(PUBLISHER, "t", rule=custom_rule()), "t")

    batch = collab[MEASURER].batch_get_schema_analysis_rule(
        collaborationIdentifier=collab.id,
        schemaAnalysisRuleRequests=[
            {"name": "t", "type": "CUSTOM"},
            {"name": "t", "type": "AGGREGATION"},
            {"name": "gone", "type": "CUSTOM"},
        ],
    )

    assert [(r["name"], r["type"]) for r in batch["analysisRules"]] == [("t", "CUSTOM")]
    assert [(e["name"], e["type"], e["code"]) for e in batch["errors"]] == [
        ("t", "AGGREGATION", "ResourceNotFoundException"),
        ("gone", "CUSTOM", "ResourceNotFoundException"),
    ]
