"""The configured-table entities describe themselves in their output shapes' words (the house
rule of tests/test_house.py): a misspelt key would vanish silently in the serialiser."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import GLUE_ORDERS, OWNER, REGION, aggregation_policy

from cleanrooms_mock.domain.backend import StoreView
from cleanrooms_mock.domain.store import RegionStore
from cleanrooms_mock.protocol.model import service_model


def entities() -> dict[str, Any]:
    owner = StoreView(OWNER, REGION, RegionStore(REGION), verify_glue_tables=False)
    table = owner.create_configured_table(
        table_reference=GLUE_ORDERS,
        allowed_columns=["user_id", "email", "amount"],
        analysis_method="MULTIPLE",
        selected_analysis_methods=["DIRECT_QUERY", "DIRECT_JOB"],
        name="orders",
        description="d",
    )
    rule = owner.create_configured_table_analysis_rule(
        configured_table_identifier=table.id,
        analysis_rule_type="AGGREGATION",
        analysis_rule_policy=aggregation_policy(),
    )
    return {
        "ConfiguredTable": table,
        "ConfiguredTableSummary": table,
        "ConfiguredTableAnalysisRule": rule,
    }


@pytest.mark.parametrize(
    "shape", ["ConfiguredTable", "ConfiguredTableSummary", "ConfiguredTableAnalysisRule"]
)
def test_an_entity_describes_itself_in_its_output_shape_words(shape: str) -> None:
    model = service_model().shape_for(shape)
    described = entities()[shape].describe(OWNER)

    assert set(model.required_members) <= set(described)
    if shape != "ConfiguredTableSummary":  # the summary is the table, which its shape trims
        assert set(described) - set(model.members) == set()


def test_the_full_table_has_every_member_of_its_shape() -> None:
    table = entities()["ConfiguredTable"].describe(OWNER)

    assert set(table) == set(service_model().shape_for("ConfiguredTable").members)
