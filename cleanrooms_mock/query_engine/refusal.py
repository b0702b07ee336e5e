"""What an analysis rule check answers: a :class:`Refusal`, or the thresholds to enforce.

Shared by :mod:`.rules` (CUSTOM), :mod:`.legacy_rules` (AGGREGATION, LIST) and :mod:`.enforce`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlglot import exp

__all__ = ["MALFORMED_QUERY", "Refusal", "Threshold", "listed", "refuse_columns", "written"]

#: ``error.code`` of a query an analysis rule refuses ("syntax, semantics, columns, or an
#: unsupported operation": the model's ProtectedQueryError.code).
MALFORMED_QUERY = "MALFORMED_QUERY"


class Refusal(Exception):
    """A query an analysis rule does not allow: ``code`` and ``message`` of the query's error."""

    def __init__(self, message: str, code: str = MALFORMED_QUERY) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Threshold:
    """Each output row must count at least ``minimum`` distinct ``column`` of ``alias``."""

    alias: str
    column: str
    minimum: int


def listed(names: Iterable[str]) -> str:
    """``names`` as a message lists them: ``[a, b]``, sorted, each once."""
    return "[" + ", ".join(sorted(dict.fromkeys(names))) + "]"


def refuse_columns(names: Iterable[str], where: str) -> None:
    """Raises ``Column(s) [a, b] is not allowed in <where>`` when ``names`` has any."""
    found = list(names)
    if found:
        raise Refusal(f"Column(s) {listed(found)} is not allowed in {where}")


def written(node: exp.Expr) -> str:
    """``node`` (of a qualified query) as a message shows it: Spark's and Clean Rooms SQL's
    spelling, names without the quotes sqlglot's qualification adds (``MIN(c.email)``)."""
    from sqlglot import exp as nodes

    shown = node.copy()
    for identifier in shown.find_all(nodes.Identifier):
        if identifier.this.isidentifier() and identifier.this.lower() == identifier.this:
            identifier.set("quoted", False)
    return shown.sql(dialect="spark")
