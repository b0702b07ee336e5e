"""GetConfiguredTableAnalysisRule: the table's rule, asked for by its type."""

from __future__ import annotations

from typing import Any

import pytest
from ct_support import (
    OTHER,
    configure,
    configure_with_rule,
    get_rule,
    not_found,
)
from helpers import client


def test_the_owner_reads_its_rule(owner: Any) -> None:
    table, created = configure_with_rule(owner)

    assert get_rule(owner, table, "AGGREGATION") == created


@pytest.mark.parametrize("asked", ["LIST", "CUSTOM"])
def test_a_rule_of_another_type_does_not_exist(owner: Any, asked: str) -> None:
    table, _ = configure_with_rule(owner)

    error = not_found(lambda: get_rule(owner, table, asked), table["id"], "CONFIGURED_TABLE")

    assert asked in error["message"] and "AGGREGATION" in error["message"]


@pytest.mark.parametrize("rule_type", ["AGGREGATION", "LIST", "CUSTOM"])
def test_a_table_without_a_rule_has_none_to_read(owner: Any, rule_type: str) -> None:
    table = configure(owner)

    not_found(lambda: get_rule(owner, table, rule_type), table["id"], "CONFIGURED_TABLE")


def test_another_account_cannot_read_it(owner: Any) -> None:
    table, _ = configure_with_rule(owner)

    not_found(
        lambda: get_rule(client(OTHER), table, "AGGREGATION"), table["id"], "CONFIGURED_TABLE"
    )
