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

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, build_scope, traverse_scope

from .lineage import Lineage, branches, grouping, selects
from .outcome import Runner
from .tables import TableSource

__all__ = ["Refusal", "Threshold", "check_rules"]

#: ``error.code`` of a query an analysis rule refuses ("syntax, semantics, columns, or an
#: unsupported operation": the model's ProtectedQueryError.code).
MALFORMED_QUERY = "MALFORMED_QUERY"

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
#: AGGREGATION's functions (AggregateFunction in the model) by sqlglot node and DISTINCT.
_AGGREGATES = {
    (exp.Sum, False): "SUM",
    (exp.Sum, True): "SUM_DISTINCT",
    (exp.Count, False): "COUNT",
    (exp.Count, True): "COUNT_DISTINCT",
    (exp.Avg, False): "AVG",
}


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


def _listed(names: Iterable[str]) -> str:
    return "[" + ", ".join(sorted(dict.fromkeys(names))) + "]"


def _refuse_columns(names: Iterable[str], where: str) -> None:
    found = list(names)
    if found:
        raise Refusal(f"Column(s) {_listed(found)} is not allowed in {where}")


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
        _refuse_columns((c for c in shown if c in disallowed), "select")
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
                        f"{sorted(touched)[0]}: {node.sql()}"
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
                _refuse_columns((c for t, c in origins if t == name and c not in allowed), where)

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
            f"Aggregation threshold of table {table.name} cannot be enforced on a set "
            "operation: aggregate in the outermost SELECT"
        )
    for alias, source in root.sources.items():
        if isinstance(source, exp.Table) and source.name.lower() == table.name:
            return Threshold(alias, column, minimum)
    raise Refusal(
        f"Aggregation threshold of table {table.name} needs the table in the FROM clause of the "
        "outermost SELECT"
    )


# ---- AGGREGATION and LIST (the Clean Rooms SQL engine) ---------------------------------------


def _flat_select(tree: exp.Expr) -> exp.Select:
    """The one SELECT the AGGREGATION and LIST query structures allow (no CTE, subquery or set
    operation: "Query structure and syntax" of each rule's page)."""
    if not isinstance(tree, exp.Select) or tree.args.get("with_") or tree.args.get("with"):
        raise Refusal("Only a single SELECT statement is allowed by the analysis rule")
    if any(isinstance(s, exp.Subquery) for s in tree.find_all(exp.Subquery)):
        raise Refusal("Subqueries are not allowed by the analysis rule")
    for kind, name in ((exp.Pivot, "PIVOT"), (exp.Lateral, "LATERAL"), (exp.Unnest, "UNNEST")):
        if tree.find(kind):
            raise Refusal(f"{name} is not allowed by the analysis rule")
    return tree


def _sources(select: exp.Select, tables: Mapping[str, TableSource]) -> dict[str, TableSource]:
    return {
        t.alias_or_name: tables[t.name.lower()]
        for t in select.find_all(exp.Table)
        if not t.find_ancestor(exp.Hint)
    }


def _names(
    expression: exp.Expr | None, sources: Mapping[str, TableSource]
) -> list[tuple[TableSource, str]]:
    if expression is None:
        return []
    return [(sources[c.table], c.name.lower()) for c in expression.find_all(exp.Column)]


def _policy_columns(table: TableSource, *keys: str) -> set[str]:
    return {str(c).lower() for k in keys for c in table.policy.get(k) or ()}


def _check_joins(
    select: exp.Select,
    sources: Mapping[str, TableSource],
    runner: Runner,
    every_table_needs_join: bool,
) -> None:
    """Join columns, operators and the join to a table of the member who can query."""
    joins: list[exp.Join] = list(select.args.get("joins") or ())
    inner = all(
        j.side == "" and j.kind in ("", "INNER") and j.args.get("on") is not None for j in joins
    )
    own = any(t.owner_account_id == runner.account_id for t in sources.values())
    for table in sources.values():
        required = every_table_needs_join or table.policy.get("joinRequired") == "QUERY_RUNNER"
        if table.owner_account_id != runner.account_id and required and not (own and inner):
            raise Refusal(f"Inner join to query runner table required for table {table.name}")
    for join in joins:
        condition = join.args.get("on")
        if condition is None or join.side or join.kind not in ("", "INNER"):
            shape = "Only INNER JOIN with an ON condition is allowed by the analysis rule"
            raise Refusal(f"{shape}: {join.sql()}")
        operators = {"AND"} if condition.find(exp.And) else set()
        operators |= {"OR"} if condition.find(exp.Or) else set()
        for table in sources.values():
            allowed = set(table.policy.get("allowedJoinOperators") or ["AND"])
            if operators - allowed:
                raise Refusal(
                    f"Join operator(s) {_listed(operators - allowed)} not allowed for table "
                    f"{table.name}"
                )
        for node in condition.walk():
            if isinstance(node, (exp.And, exp.Or, exp.Paren, exp.Column, exp.Identifier)):
                continue
            if not isinstance(node, exp.EQ):
                raise Refusal(f"Only = comparisons are allowed in join conditions: {node.sql()}")
        _refuse_columns(
            (
                c
                for t, c in _names(condition, sources)
                if c not in _policy_columns(t, "joinColumns")
            ),
            "join",
        )


def _function_name(function: exp.Func) -> str:
    """A function's name as Clean Rooms SQL (Redshift) spells it: ``DATEADD``, ``GETDATE``."""
    if isinstance(function, exp.Anonymous):
        return function.name.upper()
    written = re.match(r"[A-Za-z_][A-Za-z0-9_]*", function.sql(dialect="redshift"))
    return written.group().upper() if written else function.sql_name().upper()


def _check_functions(nodes: Iterable[exp.Expr], allowed: set[str], what: str) -> None:
    """Every function in ``nodes`` is one of ``allowed`` (by SQL name); aggregates included."""
    for node in nodes:
        for function in node.find_all(exp.Func):
            name = _function_name(function)
            if name not in allowed:
                raise Refusal(f"Function {name} is not allowed in {what}")


def _check_aggregation(
    tree: exp.Expr, tables: Mapping[str, TableSource], runner: Runner
) -> list[Threshold]:
    select = _flat_select(tree)
    sources = _sources(select, tables)
    _check_joins(select, sources, runner, every_table_needs_join=False)
    group = select.args.get("group")
    grouped = {e.sql() for e in group.expressions} if group else set()
    aggregated = False
    for projection in select.selects:
        value = projection.unalias()
        if isinstance(value, exp.AggFunc):
            aggregated = True
            _check_aggregate(value, sources)
            continue
        names = _names(value, sources)
        _refuse_columns(
            (c for t, c in names if c not in _policy_columns(t, "dimensionColumns")), "select"
        )
        missing = [
            f"{sources[c.table].name}.{c.name.lower()}"
            for c in value.find_all(exp.Column)
            if c.sql() not in grouped
        ]
        if missing and value.sql() not in grouped:
            raise Refusal(f"Column(s) {_listed(missing)} must appear in group by clause")
    if not aggregated:
        raise Refusal("An aggregation function is required by the AGGREGATION analysis rule")
    for key, where in (("where", "where"), ("group", "group by")):
        _refuse_columns(
            (
                c
                for t, c in _names(select.args.get(key), sources)
                if c not in _policy_columns(t, "dimensionColumns")
            ),
            where,
        )
    scalars = {
        str(f).upper() for t in sources.values() for f in t.policy.get("scalarFunctions") or ()
    }
    parts = [p.unalias() for p in select.selects if not isinstance(p.unalias(), exp.AggFunc)]
    for key in ("where", "group"):
        if select.args.get(key) is not None:
            parts.append(select.args[key])
    _check_functions(parts, scalars, "the query")
    return _output_constraints(select, sources)


def _check_aggregate(value: exp.AggFunc, sources: Mapping[str, TableSource]) -> None:
    argument = value.this
    distinct = isinstance(argument, exp.Distinct)
    columns = argument.expressions if distinct else [argument]
    function = _AGGREGATES.get((type(value), distinct))
    if function is None or len(columns) != 1 or not isinstance(columns[0], exp.Column):
        raise Refusal(
            f"Only aggregation functions on a column are allowed in select: {value.sql()}"
        )
    table, column = sources[columns[0].table], columns[0].name.lower()
    allowed = {
        str(c).lower()
        for entry in table.policy.get("aggregateColumns") or ()
        if entry.get("function") == function
        for c in entry.get("columnNames") or ()
    }
    if column not in allowed:
        raise Refusal(f"Column(s) [{column}] is not allowed in {function} aggregation")


def _output_constraints(select: exp.Select, sources: Mapping[str, TableSource]) -> list[Threshold]:
    thresholds: dict[tuple[str, str], int] = {}
    for alias, table in sources.items():
        for constraint in table.policy.get("outputConstraints") or ():
            key = (alias, str(constraint["columnName"]).lower())
            thresholds[key] = max(thresholds.get(key, 0), int(constraint["minimum"]))
    return [Threshold(a, c, m) for (a, c), m in thresholds.items()]


def _check_list(
    tree: exp.Expr, tables: Mapping[str, TableSource], runner: Runner
) -> list[Threshold]:
    select = _flat_select(tree)
    sources = _sources(select, tables)
    if not select.args.get("distinct"):
        raise Refusal("SELECT DISTINCT is required by the LIST analysis rule")
    _check_joins(select, sources, runner, every_table_needs_join=True)
    for projection in select.selects:
        if not isinstance(projection.unalias(), exp.Column):
            raise Refusal(f"Only columns are allowed in select: {projection.sql()}")
    for key, where in (("expressions", "select"), ("where", "where")):
        part: Any = select.args.get(key)
        names = [
            n for e in (part if isinstance(part, list) else [part]) for n in _names(e, sources)
        ]
        _refuse_columns((c for t, c in names if c not in _policy_columns(t, "listColumns")), where)
    _check_functions([select], set(), "a list query")
    return []


def check_rules(
    tree: exp.Expr, tables: Mapping[str, TableSource], runner: Runner
) -> list[Threshold]:
    """Checks the qualified ``tree`` against the rules of ``tables`` (the ones it reads).

    Returns the thresholds the output must meet; raises Refusal for a query a rule refuses.
    Every table must have the same rule type ("Queries can only reference configured tables
    with the same analysis rule type": user guide, "Analysis rules").
    """
    kinds = {t.rule_type for t in tables.values()}
    if len(kinds) > 1:
        raise Refusal(
            "Queries can only reference configured tables with the same analysis rule type; "
            f"these have {sorted(kinds)}"
        )
    kind = next(iter(kinds), "CUSTOM")
    if kind == "AGGREGATION":
        return _check_aggregation(tree, tables, runner)
    if kind == "LIST":
        return _check_list(tree, tables, runner)
    if kind != "CUSTOM":
        raise Refusal(f"The analysis rule type {kind} cannot be queried", "INVALID_RESOURCE")
    return _check_custom(tree, tables)
