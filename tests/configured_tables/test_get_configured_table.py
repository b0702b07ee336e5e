"""GetConfiguredTable: a configured table exists for its owner only."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import OTHER, PROVIDER, configure, not_found
from helpers import client

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def test_the_owner_reads_its_configured_table(owner: Any) -> None:
    created = configure(owner, description="for the ads collaboration")

    table = owner.get_configured_table(configuredTableIdentifier=created["id"])["configuredTable"]

    assert table == created
    assert table["description"] == "for the ads collaboration"


@pytest.mark.parametrize("account", [OTHER, PROVIDER])
def test_another_account_is_told_it_does_not_exist(owner: Any, account: str) -> None:
    created = configure(owner)

    not_found(
        lambda: client(account).get_configured_table(configuredTableIdentifier=created["id"]),
        created["id"],
        "CONFIGURED_TABLE",
    )


@pytest.mark.parametrize("deleted", [False, True], ids=["unknown", "deleted"])
def test_an_unknown_or_deleted_table_does_not_exist(owner: Any, deleted: bool) -> None:
    table_id = UNKNOWN_ID
    if deleted:
        table_id = configure(owner)["id"]
        owner.delete_configured_table(configuredTableIdentifier=table_id)

    error = not_found(
        lambda: owner.get_configured_table(configuredTableIdentifier=table_id),
        table_id,
        "CONFIGURED_TABLE",
    )

    assert table_id in error["message"]


def test_a_table_belongs_to_its_region(owner: Any) -> None:
    created = configure(owner)

    not_found(
        lambda: client(region="eu-west-1").get_configured_table(
            configuredTableIdentifier=created["id"]
        ),
        created["id"],
        "CONFIGURED_TABLE",
    )
