"""The association entities describe themselves in their output shapes' words (the house rule
of tests/test_house.py): a misspelt key would vanish silently in the serialiser."""

from __future__ import annotations

from typing import Any

import pytest

from cleanrooms_mock.domain.backend import StoreView
from cleanrooms_mock.domain.store import RegionStore
from cleanrooms_mock.protocol.model import service_model

OWNER, QUERIER, REGION = "222222222222", "111111111111", "us-east-1"


def entities() -> dict[str, Any]:
    store = RegionStore(REGION)
    querier = StoreView(QUERIER, REGION, store, verify_glue_tables=False)
    owner = StoreView(OWNER, REGION, store, verify_glue_tables=False)
    collaboration = querier.create_collaboration(
        members=[{"accountId": OWNER, "displayName": "O", "memberAbilities": []}],
        creator_member_abilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        creator_display_name="Q",
        name="ads",
        queryLogStatus="ENABLED",
    )
    querier.create_membership(collaboration_identifier=collaboration.id, queryLogStatus="ENABLED")
    membership = owner.create_membership(
        collaboration_identifier=collaboration.id, queryLogStatus="ENABLED"
    )
    table = owner.create_configured_table(
        table_reference={"glue": {"databaseName": "d", "tableName": "t"}},
        allowed_columns=["user_id"],
        analysis_method="DIRECT_QUERY",
        name="t",
    )
    owner.create_configured_table_analysis_rule(
        configured_table_identifier=table.id,
        analysis_rule_type="CUSTOM",
        analysis_rule_policy={"v1": {"custom": {"allowedAnalyses": []}}},
    )
    association = owner.create_configured_table_association(
        membership_identifier=membership.id,
        configured_table_identifier=table.id,
        name="t",
        role_arn=f"arn:aws:iam::{OWNER}:role/cleanrooms",
        description="d",
    )
    rule = owner.create_configured_table_association_analysis_rule(
        membership_identifier=membership.id,
        configured_table_association_identifier=association.id,
        analysis_rule_type="CUSTOM",
        analysis_rule_policy={"v1": {"custom": {"allowedResultReceivers": [QUERIER]}}},
    )
    return {
        "ConfiguredTableAssociation": association,
        "ConfiguredTableAssociationSummary": association,
        "ConfiguredTableAssociationAnalysisRule": rule,
        "SchemaSummary": association.schema,
        "Schema": querier.get_schema(collaboration_identifier=collaboration.id, name="t"),
        "AnalysisRule": querier.get_schema_analysis_rule(
            collaboration_identifier=collaboration.id, name="t", type="CUSTOM"
        ),
    }


@pytest.mark.parametrize(
    "shape",
    [
        "ConfiguredTableAssociation",
        "ConfiguredTableAssociationAnalysisRule",
        "SchemaSummary",
        "Schema",
        "AnalysisRule",
    ],
)
def test_an_entity_describes_itself_in_its_output_shape_words(shape: str) -> None:
    model = service_model().shape_for(shape)
    found = entities()[shape]
    described = found if isinstance(found, dict) else found.describe(QUERIER)

    assert set(model.required_members) <= set(described)
    assert set(described) - set(model.members) == set()


def test_the_summary_is_the_association_trimmed() -> None:
    summary = service_model().shape_for("ConfiguredTableAssociationSummary")
    described = entities()["ConfiguredTableAssociationSummary"].describe(OWNER)

    assert set(summary.required_members) <= set(described)
