"""Associations and their collaboration analysis rules in state documents: dumped, reloaded,
refused when wrong (``domain/associations/seed.py``)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from assoc_support import CREATOR, MEASURER, PUBLISHER, Collaboration, custom_rule, receivers

from cleanrooms_mock import CleanRoomsMock, SeedError


def _state(
    cleanrooms_mock: CleanRoomsMock, collab: Collaboration, table_of: Callable[..., str]
) -> dict[str, Any]:
    association = collab.associate(
        PUBLISHER,
        table_of(PUBLISHER, "customers", rule=custom_rule()),
        "Customers",
        description="CRM",
        tags={"team": "crm"},
    )
    collab[PUBLISHER].create_configured_table_association_analysis_rule(
        membershipIdentifier=collab.memberships[PUBLISHER],
        configuredTableAssociationIdentifier=association["id"],
        analysisRuleType="CUSTOM",
        analysisRulePolicy=receivers(CREATOR, MEASURER),
    )
    return cleanrooms_mock.dump()


def _restart(mock: CleanRoomsMock) -> None:
    """A new activation of the same mock: empty, as a new test or server would start."""
    mock.stop()
    mock.start()


def test_a_dump_reloads_to_the_same_answers(
    cleanrooms_mock: CleanRoomsMock, collab: Collaboration, table_of: Callable[..., str]
) -> None:
    state = _state(cleanrooms_mock, collab, table_of)
    before = collab.schema(MEASURER, "customers")
    [entry] = state["regions"]["us-east-1"]["configuredTableAssociations"]
    assert entry["name"] == "customers"
    assert entry["analysisRule"]["analysisRulePolicy"] == receivers(CREATOR, MEASURER)

    _restart(cleanrooms_mock)
    cleanrooms_mock.load(state)
    reloaded = collab.schema(MEASURER, "customers")
    again = cleanrooms_mock.dump()

    assert again == state
    # Reloaded without the Glue catalog: the same schema, but column types it cannot read.
    assert {k: v for k, v in reloaded.items() if k not in ("columns", "partitionKeys")} == {
        k: v for k, v in before.items() if k not in ("columns", "partitionKeys")
    }
    assert [c["name"] for c in reloaded["columns"]] == [c["name"] for c in before["columns"]]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda e: e.update(membershipIdentifier="11111111-2222-3333-4444-555555555555"),
            "Membership",
        ),
        (lambda e: e.update(accountId=MEASURER), "Membership"),
        (lambda e: e.update(name="-bad"), "name"),
        (lambda e: e.update(unknown=1), "unknown"),
        (lambda e: e.pop("roleArn"), "roleArn"),
        (
            lambda e: e["analysisRule"].update(analysisRulePolicy=receivers(PUBLISHER)),
            "cannot receive results",
        ),
    ],
)
def test_a_wrong_entry_is_refused_and_nothing_loads(
    cleanrooms_mock: CleanRoomsMock,
    collab: Collaboration,
    table_of: Callable[..., str],
    change: Callable[[dict[str, Any]], Any],
    problem: str,
) -> None:
    state = _state(cleanrooms_mock, collab, table_of)
    broken = copy.deepcopy(state)
    change(broken["regions"]["us-east-1"]["configuredTableAssociations"][0])

    _restart(cleanrooms_mock)

    with pytest.raises(SeedError, match=r"configuredTableAssociations\[0\]") as caught:
        cleanrooms_mock.load(broken)
    assert problem in str(caught.value)
    assert cleanrooms_mock.dump() == {"version": 1, "regions": {}}
