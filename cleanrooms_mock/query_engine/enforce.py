"""The threshold rewrite: a qualified query whose output rows each count enough identities.

Aggregation thresholds (CUSTOM) and output constraints (AGGREGATION) drop every output row that
represents fewer than ``minimum`` distinct values of a column (model: ``AggregationThreshold``,
``AggregationConstraint``; user guide "Analysis rules": rows below are dropped silently). Which
source rows make one output row is :func:`.lineage.grouping`'s answer, the same one comparison
controls use:

- a SELECT that aggregates (GROUP BY, or an aggregate outside a window) gets ``HAVING
  COUNT(DISTINCT alias.column) >= minimum``;
- a SELECT DISTINCT that does not aggregate is grouped by its projections around it: the
  SELECT, DISTINCT removed, becomes a derived table that also carries the identity columns,
  and the outer SELECT groups its projections and applies the HAVING. Window functions and
  QUALIFY stay inside, where they were computed, so the SQL is valid for any such query;
- any other SELECT returns one source row per output row, one identity: no row meets a
  minimum of 2 or more (``WHERE FALSE``).

Imported by :mod:`.engine` on first use (it imports sqlglot).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from .lineage import aggregates
from .refusal import Refusal, Threshold
from .spark_names import spark_name

__all__ = ["enforce"]

#: Names of the rewrite's own derived table and columns (not names a query can clash with:
#: the engine's own prefix, as its temporary ``__result`` table).
_ROWS = "__cleanrooms_rows"
_VALUE = "__cleanrooms_value_{}"
_IDENTITY = "__cleanrooms_identity_{}"


def enforce(tree: exp.Query, thresholds: Sequence[Threshold]) -> exp.Query:
    """``tree`` (qualified) with each output row required to meet every threshold.

    Raises Refusal for an ORDER BY of a SELECT DISTINCT that is not one of its output columns
    (the rows it would order by are merged away).
    """
    _qualify_without_windows(tree)
    if not thresholds or not isinstance(tree, exp.Select):
        return tree
    if aggregates(tree):
        return _having(
            tree, [exp.column(t.column, table=t.alias, quoted=True) for t in thresholds], thresholds
        )
    if tree.args.get("distinct"):
        return _grouped_distinct(tree, thresholds)
    return tree.where(exp.false(), copy=False)


def _qualify_without_windows(tree: exp.Query) -> None:
    """Moves, in place, a QUALIFY that filters no window function (``GROUP BY tier QUALIFY
    n > 0``) to HAVING, or WHERE for a SELECT that does not aggregate: the rows it keeps are
    the same, and DuckDB binds a QUALIFY only beside a window function."""
    for select in list(tree.find_all(exp.Select)):
        condition = select.args.get("qualify")
        if condition is None or any(
            part.find(exp.Window) for part in [condition, *select.expressions]
        ):
            continue
        select.set("qualify", None)
        clause = select.having if aggregates(select) else select.where
        clause(condition.this, copy=False)


def _having(
    select: exp.Select, identities: Sequence[exp.Expr], thresholds: Sequence[Threshold]
) -> exp.Select:
    for identity, threshold in zip(identities, thresholds, strict=True):
        count = exp.Count(this=exp.Distinct(expressions=[identity]))
        minimum = exp.Literal.number(threshold.minimum)
        select = select.having(exp.GTE(this=count, expression=minimum), copy=False)
    return select


def _grouped_distinct(select: exp.Select, thresholds: Sequence[Threshold]) -> exp.Select:
    inner = select.copy()
    inner.set("distinct", None)
    for key in ("order", "limit", "offset"):
        inner.set(key, None)
    names = [p.alias_or_name for p in select.selects]
    values = [_quoted(_VALUE.format(i)) for i in range(len(names))]
    identities = [
        exp.to_identifier(_IDENTITY.format(i), quoted=True) for i in range(len(thresholds))
    ]
    inner.set(
        "expressions",
        [exp.alias_(p.unalias(), v) for p, v in zip(inner.selects, values, strict=True)]
        + [
            exp.alias_(exp.column(t.column, table=t.alias, quoted=True), i)
            for t, i in zip(thresholds, identities, strict=True)
        ],
    )
    outer = (
        exp.select(
            *(
                exp.alias_(exp.column(v), exp.to_identifier(n, quoted=True))
                for v, n in zip(values, names, strict=True)
            )
        )
        .from_(
            exp.Subquery(
                this=inner, alias=exp.TableAlias(this=exp.to_identifier(_ROWS, quoted=True))
            )
        )
        .group_by(*(exp.column(v) for v in values))
    )
    outer = _having(outer, [exp.column(i) for i in identities], thresholds)
    order = select.args.get("order")
    if order is not None:
        outer.set("order", _reordered(order, select, values))
    for key in ("limit", "offset"):
        if select.args.get(key) is not None:
            outer.set(key, select.args[key].copy())
    return outer


def _reordered(order: exp.Order, select: exp.Select, values: Sequence[exp.Identifier]) -> exp.Order:
    """``order`` over the outer SELECT's grouped values; Refusal for a key that is not one."""
    by_name = {p.alias_or_name: v for p, v in zip(select.selects, values, strict=True)}
    by_value = {p.unalias().sql(): v for p, v in zip(select.selects, values, strict=True)}
    reordered = order.copy()
    for ordered in reordered.expressions:
        key = ordered.this
        value = (
            by_name.get(key.name) if isinstance(key, exp.Column) and not key.table else None
        ) or by_value.get(key.sql())
        if value is None:
            raise Refusal(
                f"ORDER BY {spark_name(key)} must be one of the output columns of a SELECT DISTINCT"
            )
        ordered.set("this", exp.column(value.copy()))
    return reordered


def _quoted(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)
