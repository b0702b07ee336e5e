"""What the analysis template tests share: the four-account collaboration of
:mod:`assoc_support` with two tables associated, and a template as its creator makes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from assoc_support import ADVERTISER, PUBLISHER, Collaboration

#: A template over both tables, with a parameter of each kind of use (with and without default).
JOINED = (
    "SELECT c.segment, COUNT(DISTINCT o.user_id) AS buyers FROM customers c "
    "JOIN orders o ON c.user_id = o.user_id "
    "WHERE o.spend > :min_spend AND c.segment <> :excluded GROUP BY c.segment"
)
PARAMETERS = [
    {"name": "min_spend", "type": "DOUBLE", "defaultValue": "10"},
    {"name": "excluded", "type": "STRING"},
]


@pytest.fixture
def with_tables(collab: Collaboration, table_of: Callable[..., str]) -> Collaboration:
    """The collaboration, with the publisher's ``customers`` and the advertiser's ``orders``
    associated: the schemas templates read."""
    collab.associate(PUBLISHER, table_of(PUBLISHER, "customers"), "customers")
    collab.associate(ADVERTISER, table_of(ADVERTISER, "orders"), "orders")
    return collab


def create(collab: Collaboration, account: str, text: str, **inputs: Any) -> dict[str, Any]:
    """``account`` creates an SQL template of ``text`` through its membership."""
    inputs.setdefault("name", "segment_buyers")
    template: dict[str, Any] = collab[account].create_analysis_template(
        membershipIdentifier=collab.memberships[account],
        format="SQL",
        source={"text": text},
        **inputs,
    )["analysisTemplate"]
    return template


def own(collab: Collaboration, account: str) -> list[dict[str, Any]]:
    """The template summaries of ``account``'s membership (ListAnalysisTemplates)."""
    summaries: list[dict[str, Any]] = collab[account].list_analysis_templates(
        membershipIdentifier=collab.memberships[account]
    )["analysisTemplateSummaries"]
    return summaries
