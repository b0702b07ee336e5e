"""Analysis rules checked against a parsed, qualified query: CUSTOM, AGGREGATION and LIST.

Each check raises :class:`Refusal` with the message the console shows where one was observed
(user guide pages "analysis-rules-custom", "analysis-rules-aggregation", "analysis-rules-list";
console texts from richardfan1126/aws-clean-rooms-lab): ``Column(s) [a, b] is not allowed in
select``, ``Column(s) [t.a] must appear in group by clause``, ``Inner join to query runner table
required for table <name>``. Messages for rules no observed text exists for follow the same
pattern (README, Assumptions). A passing check returns the output thresholds to enforce:
aggregation thresholds (CUSTOM) and output constraints (AGGREGATION), each a minimum number of
distinct values of one column per output row.

Imported by :mod:`.engine` on first use: it imports sqlglot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, build_scope, traverse_scope

from .legacy_rules import check_aggregation, check_list
from .lineage import Lineage, branches, grouping, resolve_using, selects
from .outcome import Runner
from .refusal import Refusal, Threshold, refuse_columns, written
from .tables import TableSource

__all__ = ["Refusal", "Threshold", "check_rules"]

_COMPARISONS = (
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.NullSafeEQ,
    exp.NullSafeNEQ,
    exp.Like,
    exp.ILike,
    exp.In,
    exp.Between,
)
# ---- where columns come from (lineage.py) ----------------------------------------------------


def _of(origins: Iterable[tuple[str, str]], table: TableSource) -> list[str]:
    return [column for name, column in origins if name == table.name]


def _nodes(tree: exp.Expr) -> Iterator[exp.Expr]:
    """Every node of every SELECT of ``tree``, each SELECT itself included."""
    for scope in traverse_scope(tree):
        select = scope.expression
        if not isinstance(select, exp.Select):
            continue
        for node in select.walk():
            if node is select or node.find_ancestor(exp.Select) is select:
                yield node


# ---- CUSTOM ----------------------------------------------------------------------------------


def _check_custom(tree: exp.Expr, tables: Mapping[str, TableSource]) -> list[Threshold]:
    root = build_scope(tree)
    assert root is not None
    lineage = Lineage(root, tables)
    outputs = [projection for branch in branches(root) for projection in selects(branch)]
    for table in tables.values():
        disallowed = {c.lower() for c in table.policy.get("disallowedOutputColumns") or ()}
        shown = [c for p in outputs for c in _of(lineage.origins(p), table)]
        refuse_columns((c for c in shown if c in disallowed), "select")
    _check_aggregate_arguments(tree, tables, lineage)
    _check_comparisons(tree, tables, lineage)
    return _aggregation_thresholds(root, outputs, tables, lineage)


def _check_aggregate_arguments(
    tree: exp.Expr, tables: Mapping[str, TableSource], lineage: Lineage
) -> None:
    """``allowedAggregateExpressionType`` COLUMNS_ONLY: aggregates take a column or a constant."""
    strict = {
        name
        for name, table in tables.items()
        for threshold in table.policy.get("aggregationThresholds") or ()
        if threshold.get("allowedAggregateExpressionType") == "COLUMNS_ONLY"
    }
    if not strict:
        return
    for node in _nodes(tree):
        if not isinstance(node, (exp.AggFunc, exp.Window)):
            continue
        arguments = node.this if isinstance(node, exp.Window) else node
        for argument in [arguments.this, *arguments.expressions]:
            inner = argument.expressions if isinstance(argument, exp.Distinct) else [argument]
            for value in inner:
                if value is None or isinstance(value, (exp.Column, exp.Literal, exp.Star)):
                    continue
                touched = {t for t, _ in lineage.origins(value)} & strict
                if touched:
                    raise Refusal(
                        f"Aggregation of a transformed column is not allowed for table "
                        f"{sorted(touched)[0]}: {written(node)}"
                    )


def _check_comparisons(tree: exp.Expr, tables: Mapping[str, TableSource], lineage: Lineage) -> None:
    """``comparisonControls``: which columns may be compared to a literal or to a column."""
    controls: dict[str, Mapping[str, Any]] = {
        n: t.policy["comparisonControls"]
        for n, t in tables.items()
        if t.policy.get("comparisonControls")
    }
    if not controls:
        return

    def refuse(origins: set[tuple[str, str]], key: str, where: str) -> None:
        for name, control in controls.items():
            if key in control:
                allowed = {c.lower() for c in control[key]}
                refuse_columns((c for t, c in origins if t == name and c not in allowed), where)

    for node in _nodes(tree):
        if isinstance(node, _COMPARISONS):
            sides = [node.this, *(node.args.get(k) for k in ("expression", "low", "high"))]
            sides += node.expressions if isinstance(node, exp.In) else []
            columns = [s for s in sides if s is not None and s.find(exp.Column)]
            origins = set().union(*(lineage.origins(s) for s in columns)) if columns else set()
            if len(columns) > 1:
                refuse(origins, "allowedColumnComparisonColumns", "column comparison")
            elif columns:
                refuse(origins, "allowedLiteralComparisonColumns", "literal comparison")
            continue
        # rows merged on equal values (GROUP BY, SELECT DISTINCT) or a window's partitions
        # and order compare columns with columns
        parts: list[exp.Expr] = []
        if isinstance(node, exp.Select):
            parts = grouping(node)
        elif isinstance(node, exp.Window):
            parts = [*(node.args.get("partition_by") or ())]
            parts += [node.args["order"]] if node.args.get("order") else []
        origins = set().union(*(lineage.origins(p) for p in parts)) if parts else set()
        refuse(origins, "allowedColumnComparisonColumns", "column comparison")


def _aggregation_thresholds(
    root: Scope,
    outputs: Sequence[exp.Expr],
    tables: Mapping[str, TableSource],
    lineage: Lineage,
) -> list[Threshold]:
    """The minimum distinct identities per output row, one per table with a threshold.

    A table's ``minimumIdentityCount`` applies unless every output column taken from it has an
    ``outputColumnThresholds`` override; then the largest override applies (0: none).
    """
    thresholds = []
    for table in tables.values():
        for threshold in table.policy.get("aggregationThresholds") or ():
            overrides = {
                str(o["outputColumnName"]).lower(): int(o["minimumIdentityCount"])
                for o in threshold.get("outputColumnThresholds") or ()
            }
            shown = {c for p in outputs for c in _of(lineage.origins(p), table)}
            minimum = int(threshold["minimumIdentityCount"])
            if shown and shown <= overrides.keys():
                minimum = max(overrides[c] for c in shown)
            if minimum > 1:
                identity = str(threshold["identityColumns"][0]).lower()
                thresholds.append(_threshold_on(root, table, identity, minimum))
    return thresholds


def _threshold_on(root: Scope, table: TableSource, column: str, minimum: int) -> Threshold:
    """The threshold on ``table.column`` as the outermost SELECT can count it."""
    if not isinstance(root.expression, exp.Select):
        raise Refusal(
            f"Aggregation threshold of table {table.name} cannot be enforced on the rows of a "
            "UNION, INTERSECT or EXCEPT; query the table in a single SELECT"
        )
    for alias, source in root.sources.items():
        if isinstance(source, exp.Table) and source.name.lower() == table.name:
            return Threshold(alias, column, minimum)
    raise Refusal(
        f"Aggregation threshold of table {table.name} needs the table in the FROM clause of the "
        "outermost SELECT"
    )


def check_rules(
    tree: exp.Expr, tables: Mapping[str, TableSource], runner: Runner
) -> list[Threshold]:
    """Checks the qualified ``tree`` against the rules of ``tables`` (the ones it reads).

    Returns the thresholds the output must meet; raises Refusal for a query a rule refuses.
    Every table must have the same rule type ("Queries can only reference configured tables
    with the same analysis rule type": user guide, "Analysis rules").
    """
    resolve_using(tree)
    kinds = {t.rule_type for t in tables.values()}
    if len(kinds) > 1:
        raise Refusal(
            "Queries can only reference configured tables with the same analysis rule type; "
            f"these have {sorted(kinds)}"
        )
    kind = next(iter(kinds), "CUSTOM")
    if kind == "AGGREGATION":
        return check_aggregation(tree, tables, runner)
    if kind == "LIST":
        return check_list(tree, tables, runner)
    if kind != "CUSTOM":
        raise Refusal(f"The analysis rule type {kind} cannot be queried", "INVALID_RESOURCE")
    return _check_custom(tree, tables)
