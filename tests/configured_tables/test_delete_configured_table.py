"""DeleteConfiguredTable: gone for good, its analysis rule with it; the quota frees up."""

from __future__ import annotations

from typing import Any

from ct_support import EMPTY_CUSTOM, OTHER, configure, not_found
from helpers import client


def test_the_owner_deletes_its_table_and_its_rule(owner: Any) -> None:
    table = configure(owner)
    kept = configure(owner, name="kept")
    owner.create_configured_table_analysis_rule(
        configuredTableIdentifier=table["id"],
        analysisRuleType="CUSTOM",
        analysisRulePolicy=EMPTY_CUSTOM,
    )

    response = owner.delete_configured_table(configuredTableIdentifier=table["id"])

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert [t["id"] for t in owner.list_configured_tables()["configuredTableSummaries"]] == [
        kept["id"]
    ]
    for call in (
        lambda: owner.get_configured_table(configuredTableIdentifier=table["id"]),
        lambda: owner.get_configured_table_analysis_rule(
            configuredTableIdentifier=table["id"], analysisRuleType="CUSTOM"
        ),
        lambda: owner.delete_configured_table(configuredTableIdentifier=table["id"]),
    ):
        not_found(call, table["id"], "CONFIGURED_TABLE")


def test_another_account_cannot_delete_it(owner: Any) -> None:
    table = configure(owner)

    not_found(
        lambda: client(OTHER).delete_configured_table(configuredTableIdentifier=table["id"]),
        table["id"],
        "CONFIGURED_TABLE",
    )
    assert owner.get_configured_table(configuredTableIdentifier=table["id"])["configuredTable"]
