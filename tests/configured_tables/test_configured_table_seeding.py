"""Configured tables in a state document: dumped with their analysis rules and tags, loaded back
without the Glue Data Catalog (which a document does not carry), checked as the API checks
them; a document with a problem loads nothing. ``serve --state`` keeps them across restarts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ct_support import (
    EMPTY_CUSTOM,
    OTHER,
    OWNER,
    REGION,
    aggregation_policy,
    configure,
    create_glue_table,
    glue_client,
)
from helpers import client
from moto import mock_aws

from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.seeding import SeedError, dump_state, load_state
from tests.test_server import Server

TABLE_ID = "11111111-2222-4333-8444-000000000001"
OTHER_ID = "11111111-2222-4333-8444-000000000002"


def document(*tables: dict[str, Any], region: str = REGION) -> dict[str, Any]:
    return {"version": 1, "regions": {region: {"configuredTables": list(tables)}}}


def entry(**overrides: Any) -> dict[str, Any]:
    """A configured table entry: the owner's sales.orders Glue table, with a CUSTOM rule."""
    return {
        "id": TABLE_ID,
        "accountId": OWNER,
        "name": "orders",
        "tableReference": {"glue": {"databaseName": "sales", "tableName": "orders"}},
        "allowedColumns": ["user_id", "email", "amount"],
        "analysisMethod": "DIRECT_QUERY",
        "analysisRule": {"analysisRuleType": "CUSTOM", "analysisRulePolicy": EMPTY_CUSTOM},
        **overrides,
    }


def every_answer(account: str, region: str = REGION) -> list[Any]:
    """What ``account`` reads of its configured tables and their rules, through the API."""
    cleanrooms = client(account, region)
    answers: list[Any] = []
    for summary in cleanrooms.list_configured_tables()["configuredTableSummaries"]:
        table = cleanrooms.get_configured_table(configuredTableIdentifier=summary["id"])
        answers += [summary, table["configuredTable"]]
        answers.append(cleanrooms.list_tags_for_resource(resourceArn=summary["arn"])["tags"])
        for rule_type in summary["analysisRuleTypes"]:
            answers.append(
                cleanrooms.get_configured_table_analysis_rule(
                    configuredTableIdentifier=summary["id"], analysisRuleType=rule_type
                )["analysisRule"]
            )
    return answers


def test_a_dump_loads_back_into_a_mock_without_glue_tables() -> None:
    with mock_aws():
        create_glue_table(glue_client())
        create_glue_table(glue_client(OTHER, "eu-west-1"))
        owner = client(OWNER)
        first = configure(owner, name="first", tags={"team": "data"}, description="d")
        owner.create_configured_table_analysis_rule(
            configuredTableIdentifier=first["id"],
            analysisRuleType="AGGREGATION",
            analysisRulePolicy=aggregation_policy(),
        )
        configure(
            owner,
            name="second",
            analysisMethod="MULTIPLE",
            selectedAnalysisMethods=["DIRECT_QUERY", "DIRECT_JOB"],
        )
        configure(client(OTHER, "eu-west-1"), name="theirs")
        doomed = configure(owner, name="doomed")
        owner.delete_configured_table(configuredTableIdentifier=doomed["id"])
        saved = dump_state()
        seen = [every_answer(OWNER), every_answer(OTHER), every_answer(OTHER, "eu-west-1")]

    with mock_cleanrooms():  # no mock_aws: the Glue Data Catalog is empty
        load_state(saved)

        assert dump_state() == saved
        assert [every_answer(OWNER), every_answer(OTHER), every_answer(OTHER, "eu-west-1")] == seen
    tables = saved["regions"][REGION]["configuredTables"]
    assert [t["name"] for t in tables] == ["first", "second"]  # deleted tables are not kept
    assert tables[0]["analysisRule"]["analysisRuleType"] == "AGGREGATION"
    assert tables[0]["tags"] == {"team": "data"}


def test_a_hand_written_entry_gets_the_timestamps_of_its_table() -> None:
    with mock_cleanrooms():
        load_state(
            document(
                entry(createTime="2025-03-01T10:00:00Z"),
                entry(id=OTHER_ID, name="later", analysisRule=None),
            )
        )
        owner = client(OWNER)

        names = [t["name"] for t in owner.list_configured_tables()["configuredTableSummaries"]]
        assert names == ["orders", "later"]  # document order
        table = owner.get_configured_table(configuredTableIdentifier=TABLE_ID)["configuredTable"]
        rule = owner.get_configured_table_analysis_rule(
            configuredTableIdentifier=TABLE_ID, analysisRuleType="CUSTOM"
        )["analysisRule"]
        assert table["createTime"].isoformat() == "2025-03-01T10:00:00+00:00"
        assert (
            table["updateTime"] == rule["createTime"] == rule["updateTime"] == table["createTime"]
        )
        assert table["analysisRuleTypes"] == ["CUSTOM"]


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"colour": "blue"}, "configuredTables[0].colour: unknown key 'colour'"),
        ({"accountId": None}, "configuredTables[0].accountId: is required"),
        ({"accountId": "12345"}, "configuredTables[0].accountId"),
        ({"id": "not-a-uuid"}, "configuredTables[0].id"),
        ({"allowedColumns": ["Email"]}, "configuredTables[0].allowedColumns[0]"),
        (
            {"updateTime": "2020-01-01T00:00:00Z", "createTime": "2021-01-01T00:00:00Z"},
            "updateTime: is before createTime",
        ),
        (
            {"analysisRule": {"analysisRuleType": "BEST", "analysisRulePolicy": EMPTY_CUSTOM}},
            "configuredTables[0].analysisRule.analysisRuleType",
        ),
        (
            {"analysisRule": {"analysisRuleType": "CUSTOM", "policy": EMPTY_CUSTOM}},
            "analysisRule.policy: unknown key",
        ),
        (
            {
                "analysisRule": {
                    "analysisRuleType": "LIST",
                    "analysisRulePolicy": {
                        "v1": {"list": {"joinColumns": ["user_id"], "listColumns": ["phone"]}}
                    },
                }
            },
            "analysisRule.analysisRulePolicy.v1.list.listColumns[0]: Column phone",
        ),
        ({"allowedColumns": ["user_id", "user_id"]}, "configuredTables[0].allowedColumns[1]"),
    ],
    ids=[
        "unknown-key",
        "no-account",
        "bad-account",
        "bad-id",
        "column-pattern",
        "time-order",
        "rule-type",
        "rule-key",
        "rule-column",
        "repeated-column",
    ],
)
def test_a_bad_entry_is_named_and_nothing_loads(overrides: dict[str, Any], problem: str) -> None:
    with mock_cleanrooms():
        load_state(document(entry(id=OTHER_ID, name="kept")))
        before = dump_state()

        with pytest.raises(SeedError) as caught:
            load_state(document(entry(**overrides)))

        assert problem in str(caught.value)
        assert dump_state() == before


def test_ids_are_unique_and_quotas_apply() -> None:
    with mock_cleanrooms(quotas={"configured_tables_per_account": 1}):
        with pytest.raises(SeedError, match="already used"):
            load_state(document(entry(), entry(name="twice")))
        with pytest.raises(SeedError, match="Configured tables per account"):
            load_state(document(entry(), entry(id=OTHER_ID, name="second")))

        assert dump_state()["regions"] == {}


def test_serve_keeps_configured_tables_in_its_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = Server("--state", str(state), "--no-verify-glue-tables")
    try:
        table = configure(first.client(OWNER), tags={"team": "data"})
    finally:
        first.stop()
    assert (
        json.loads(state.read_text())["regions"][REGION]["configuredTables"][0]["id"] == table["id"]
    )

    second = Server("--state", str(state))  # the Glue check is on: the load reads no catalog
    try:
        again = second.client(OWNER).get_configured_table(configuredTableIdentifier=table["id"])
        assert again["configuredTable"] == table
    finally:
        second.stop()
