"""The Clean Rooms SQL engine's analysis rules, AGGREGATION and LIST, on a qualified query.

Each rule allows one query structure (user guide, "analysis-rules-aggregation" and
"analysis-rules-list", "Query structure and syntax"): one SELECT, INNER JOINs on join columns,
and per clause the columns and functions the rule's controls allow. Every clause the syntax
lists is checked (SELECT, JOIN, WHERE, GROUP BY, HAVING, ORDER BY); a clause it does not list
is refused. Messages as :mod:`.rules` words them.

Imported by :mod:`.rules` (it imports sqlglot).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlglot import exp

from .names import redshift_function_name
from .outcome import Runner
from .refusal import Refusal, Threshold, listed, refuse_columns, written
from .tables import TableSource

__all__ = ["check_aggregation", "check_list"]

#: AGGREGATION's functions (AggregateFunction in the model) by sqlglot node and DISTINCT.
_AGGREGATES = {
    (exp.Sum, False): "SUM",
    (exp.Sum, True): "SUM_DISTINCT",
    (exp.Count, False): "COUNT",
    (exp.Count, True): "COUNT_DISTINCT",
    (exp.Avg, False): "AVG",
}


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


def _refuse_clauses(select: exp.Select, clauses: Mapping[str, str], rule: str) -> None:
    """Refuses the clauses of ``select`` its rule's query syntax does not list."""
    for key, name in {**clauses, "qualify": "QUALIFY", "windows": "WINDOW"}.items():
        if select.args.get(key):
            raise Refusal(f"{name} is not allowed by the {rule} analysis rule")


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
    # a column without a table is an output column's name (ORDER BY n): its projection is checked
    return [(sources[c.table], c.name.lower()) for c in expression.find_all(exp.Column) if c.table]


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
            raise Refusal(f"{shape}: {written(join)}")
        operators = {"AND"} if condition.find(exp.And) else set()
        operators |= {"OR"} if condition.find(exp.Or) else set()
        for table in sources.values():
            allowed = set(table.policy.get("allowedJoinOperators") or ["AND"])
            if operators - allowed:
                raise Refusal(
                    f"Join operator(s) {listed(operators - allowed)} not allowed for table "
                    f"{table.name}"
                )
        for node in condition.walk():
            if isinstance(node, (exp.And, exp.Or, exp.Paren, exp.Column, exp.Identifier)):
                continue
            if not isinstance(node, exp.EQ):
                raise Refusal(f"Only = comparisons are allowed in join conditions: {written(node)}")
        refuse_columns(
            (
                c
                for t, c in _names(condition, sources)
                if c not in _policy_columns(t, "joinColumns")
            ),
            "join",
        )


def _function_name(function: exp.Func) -> str:
    """A function's name as Clean Rooms SQL (Redshift) spells it, upper case: ``DATEADD``."""
    return redshift_function_name(function).upper()


def _check_functions(nodes: Iterable[exp.Expr], allowed: set[str], what: str) -> None:
    """Every function in ``nodes`` is one of ``allowed`` (by SQL name); aggregates included."""
    for node in nodes:
        for function in node.find_all(exp.Func):
            if isinstance(function, exp.Connector):  # AND, OR: operators sqlglot types as Func
                continue
            name = _function_name(function)
            if name not in allowed:
                raise Refusal(f"Function {name} is not allowed in {what}")


def check_aggregation(
    tree: exp.Expr, tables: Mapping[str, TableSource], runner: Runner
) -> list[Threshold]:
    """An AGGREGATION query's refusal, else its output constraints (as thresholds)."""
    select = _flat_select(tree)
    sources = _sources(select, tables)
    _refuse_clauses(select, {}, "AGGREGATION")
    _check_joins(select, sources, runner, every_table_needs_join=False)
    group = select.args.get("group")
    grouped = {e.sql() for e in group.expressions} if group else set()
    aggregated = False
    for projection in select.selects:
        value = projection.unalias()
        if isinstance(value, exp.AggFunc):
            aggregated = True
            _check_aggregate(value, sources, "select")
            continue
        names = _names(value, sources)
        refuse_columns(
            (c for t, c in names if c not in _policy_columns(t, "dimensionColumns")), "select"
        )
        missing = [
            f"{sources[c.table].name}.{c.name.lower()}"
            for c in value.find_all(exp.Column)
            if c.sql() not in grouped
        ]
        if missing and value.sql() not in grouped:
            raise Refusal(f"Column(s) {listed(missing)} must appear in group by clause")
    if not aggregated:
        raise Refusal("An aggregation function is required by the AGGREGATION analysis rule")
    for key, where in (("where", "where"), ("group", "group by")):
        refuse_columns(
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
    for key, where in (("having", "having"), ("order", "order by")):
        if select.args.get(key) is not None:
            _check_clause(select.args[key], select, sources, where, scalars)
    return _output_constraints(select, sources)


def _outside_aggregates(clause: exp.Expr) -> Iterator[exp.Expr]:
    """The nodes of ``clause`` that are not inside an aggregate call (the calls included)."""
    pending = [clause]
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, exp.AggFunc):
            pending.extend(node.iter_expressions())


def _check_clause(
    clause: exp.Expr,
    select: exp.Select,
    sources: Mapping[str, TableSource],
    where: str,
    scalars: set[str],
) -> None:
    """HAVING or ORDER BY under the AGGREGATION rule's controls, as the SELECT list is.

    The rule's syntax (user guide, analysis-rules-aggregation): ``HAVING having_condition``,
    ``ORDER BY {column_name|scalar_function(arguments)}``: aggregates are ``aggregateColumns``'
    functions on their columns, other columns dimension columns in the GROUP BY (or an output
    column's name), other functions ``scalarFunctions``; join columns are not usable there.
    """
    outputs = {p.alias_or_name for p in select.selects}
    group = select.args.get("group")
    grouped = {e.sql() for e in group.expressions} if group else set()
    refused: list[str] = []
    for node in _outside_aggregates(clause):
        if isinstance(node, exp.AggFunc):
            _check_aggregate(node, sources, where)
        elif isinstance(node, exp.Window):
            raise Refusal(f"Window functions are not allowed by the analysis rule: {written(node)}")
        elif (
            isinstance(node, exp.Func)
            and not isinstance(node, exp.Connector)
            and _function_name(node) not in scalars
        ):
            raise Refusal(f"Function {_function_name(node)} is not allowed in the query")
        elif isinstance(node, exp.Column) and node.table:
            table, column = sources[node.table], node.name.lower()
            if column not in _policy_columns(table, "dimensionColumns"):
                refused.append(column)
            elif node.sql() not in grouped:
                raise Refusal(f"Column(s) [{table.name}.{column}] must appear in group by clause")
        elif isinstance(node, exp.Column) and node.name not in outputs:
            raise Refusal(f"Column(s) [{node.name}] is not allowed in {where}")
    refuse_columns(refused, where)


def _check_aggregate(value: exp.AggFunc, sources: Mapping[str, TableSource], where: str) -> None:
    argument = value.this
    distinct = isinstance(argument, exp.Distinct)
    columns = argument.expressions if distinct else [argument]
    function = _AGGREGATES.get((type(value), distinct))
    if len(columns) != 1 or not isinstance(columns[0], exp.Column):
        raise Refusal(
            f"Only aggregation functions on a column are allowed in {where}: {written(value)}"
        )
    table, column = sources[columns[0].table], columns[0].name.lower()
    if function is None:  # MIN, MAX...: not an AggregateFunction the rule can allow
        function = _function_name(value) + ("_DISTINCT" if distinct else "")
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


def check_list(
    tree: exp.Expr, tables: Mapping[str, TableSource], runner: Runner
) -> list[Threshold]:
    """A LIST query's refusal, else no thresholds (LIST has none)."""
    select = _flat_select(tree)
    sources = _sources(select, tables)
    if not select.args.get("distinct"):
        raise Refusal("SELECT DISTINCT is required by the LIST analysis rule")
    # syntax (analysis-rules-list): SELECT DISTINCT ... FROM ... [JOIN ... ON ...] [WHERE ...]
    # [LIMIT number]: no ORDER BY
    _refuse_clauses(select, {"group": "GROUP BY", "having": "HAVING", "order": "ORDER BY"}, "LIST")
    _check_joins(select, sources, runner, every_table_needs_join=True)
    for projection in select.selects:
        if not isinstance(projection.unalias(), exp.Column):
            raise Refusal(f"Only columns are allowed in select: {written(projection)}")
    for key, where in (("expressions", "select"), ("where", "where")):
        part: Any = select.args.get(key)
        names = [
            n for e in (part if isinstance(part, list) else [part]) for n in _names(e, sources)
        ]
        refuse_columns((c for t, c in names if c not in _policy_columns(t, "listColumns")), where)
    _check_functions([select], set(), "a list query")
    return []
