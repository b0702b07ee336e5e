"""Where the values of a qualified query come from, and what groups its rows.

:class:`Lineage` answers, for any expression of the query, the base-table columns whose values
flow into it: through expressions, aggregates and window specifications, CTEs, subqueries, set
operations, LATERAL VIEW / UNNEST sources and (UN)PIVOT, and for star-like constructs (a ``*``
inside a function, ``t.*``, DuckDB's ``COLUMNS(...)``) every column they could expand to. The
CUSTOM rule's ``disallowedOutputColumns`` refuses an output column whose lineage holds a
disallowed column (user guide, "Configured table disallowed columns": "any reference to such
column through transformation, aliasing, or other means may not be present in the final
SELECT").

:func:`grouping` is the one notion of "the expressions whose equal values make one output row"
that comparison controls and aggregation thresholds share: GROUP BY, and a SELECT DISTINCT's
projections.

Imported by :mod:`.rules` (it imports sqlglot).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlglot import exp
from sqlglot.optimizer.scope import Scope

from .tables import TableSource

__all__ = ["Lineage", "branches", "grouping", "is_aggregate", "resolve_using", "selects"]

Origin = tuple[str, str]


def branches(scope: Scope) -> list[Scope]:
    """The SELECT scopes of a set operation's branches (nested ones flattened); else ``scope``."""
    found: list[Scope] = []
    pending = [scope]
    while pending:  # a loop, not recursion: a long UNION chain nests deeply
        current = pending.pop()
        parts: list[Scope] = (
            getattr(current, "set_operation_scopes", None)
            or getattr(current, "union_scopes", None)
            or []
        )
        if parts:
            pending.extend(reversed(parts))
        else:
            found.append(current)
    return found


def selects(scope: Scope) -> list[exp.Expr]:
    """The projections of a SELECT scope (none for other scopes)."""
    return list(scope.expression.selects) if isinstance(scope.expression, exp.Query) else []


def is_aggregate(node: exp.Expr) -> bool:
    """Whether ``node`` is an aggregate function call, not the function of a window."""
    if not isinstance(node, exp.AggFunc):
        return False
    parent = node.parent
    while isinstance(parent, (exp.Filter, exp.IgnoreNulls, exp.RespectNulls, exp.WithinGroup)):
        parent = parent.parent
    return not isinstance(parent, exp.Window)


def aggregates(select: exp.Select) -> bool:
    """Whether ``select`` groups: a GROUP BY, or an aggregate outside any window in its clauses."""
    if select.args.get("group") is not None:
        return True
    for key in ("expressions", "having", "order", "qualify"):
        value = select.args.get(key)
        for part in value if isinstance(value, list) else [value]:
            if part is not None and any(
                is_aggregate(a) and a.find_ancestor(exp.Select) is select
                for a in part.find_all(exp.AggFunc)
            ):
                return True
    return False


def grouping(select: exp.Select) -> list[exp.Expr]:
    """The expressions whose equal values make one output row of ``select``.

    GROUP BY's expressions and, for SELECT DISTINCT, its projections (unaliased): DISTINCT
    compares and merges rows on their values as GROUP BY does.
    """
    group = select.args.get("group")
    found: list[exp.Expr] = list(group.expressions) if group is not None else []
    if select.args.get("distinct"):
        found += [p.unalias() for p in select.selects]
    return found


class Lineage:
    """The base-table columns that flow into the expressions of one qualified query.

    ``root`` is the query's root scope (``build_scope``), ``tables`` the tables it reads by
    lower-case name (their columns expand the star-like constructs).
    """

    def __init__(self, root: Scope, tables: Mapping[str, TableSource]) -> None:
        self.root = root
        self.tables = tables
        self._scopes = {id(scope.expression): scope for scope in root.traverse()}
        self._cache: dict[tuple[int, str], set[Origin]] = {}

    def scope_of(self, node: exp.Expr) -> Scope:
        """The scope ``node`` belongs to: that of its nearest enclosing query."""
        parent = node.parent
        while parent is not None:
            scope = self._scopes.get(id(parent))
            if scope is not None:
                return scope
            parent = parent.parent
        return self.root

    def origins(self, expression: exp.Expr) -> set[Origin]:
        """The ``(table, column)`` pairs, lower case, whose values ``expression`` carries."""
        found: set[Origin] = set()
        for node in expression.walk():
            if isinstance(node, exp.Column):
                if isinstance(node.this, exp.Star):  # t.*
                    found |= self._everything(self.scope_of(node), node.table)
                elif node.table:
                    found |= self._column(node, self.scope_of(node))
            elif isinstance(node, exp.Columns) or (
                isinstance(node, exp.Star) and not isinstance(node.parent, (exp.Count, exp.Column))
            ):
                found |= self._everything(self.scope_of(node), None)
        return found

    def _column(self, column: exp.Column, scope: Scope) -> set[Origin]:
        current: Scope | None = scope
        while current is not None:  # a correlated column belongs to an enclosing scope
            source = current.sources.get(column.table)
            if source is not None:
                return self._from_source(source, column.name.lower())
            current = current.parent
        # a name no scope knows (sqlglot could not follow it): everything the query reads
        return self._everything(scope, None)

    def _from_source(self, source: exp.Expr | Scope, name: str) -> set[Origin]:
        if isinstance(source, exp.Table):
            table = source.name.lower()
            pivots = source.args.get("pivots") or []
            own = {c.lower() for c in self._table_columns(table)}
            if pivots and name not in own:  # a column (UN)PIVOT makes from the ones it names
                return {(table, c.name.lower()) for p in pivots for c in p.find_all(exp.Column)}
            return {(table, name)}
        if isinstance(source, Scope):
            key = (id(source), name)
            cached = self._cache.get(key)
            if cached is not None:  # a CTE read many times, or read by itself (RECURSIVE)
                return cached
            found: set[Origin] = set()
            self._cache[key] = found
            for branch in branches(source):
                projections = selects(branch)
                if not projections:  # LATERAL VIEW, UNNEST, a table function: all it reads
                    found |= self.origins(branch.expression)
                for projection in projections:
                    if projection.alias_or_name.lower() == name or _star_like(projection):
                        found |= self.origins(projection)
            return found
        return self.origins(source)

    def _everything(self, scope: Scope, only: str | None) -> set[Origin]:
        """Every column the sources of ``scope`` (or its source ``only``) can show."""
        found: set[Origin] = set()
        for alias, source in scope.sources.items():
            if only and alias != only:
                continue
            if isinstance(source, exp.Table):
                table = source.name.lower()
                found |= {(table, c.lower()) for c in self._table_columns(table)}
                pivots = source.args.get("pivots") or []
                found |= {(table, c.name.lower()) for p in pivots for c in p.find_all(exp.Column)}
            elif isinstance(source, Scope):
                for branch in branches(source):
                    for projection in selects(branch) or [branch.expression]:
                        found |= self.origins(projection)
        return found

    def _table_columns(self, table: str) -> Iterable[str]:
        source = self.tables.get(table)
        return source.visible_columns().keys() if source is not None else ()


def _star_like(projection: exp.Expr) -> bool:
    value = projection.unalias()
    return isinstance(value, (exp.Star, exp.Columns)) or (
        isinstance(value, exp.Column) and isinstance(value.this, exp.Star)
    )


def resolve_using(tree: exp.Expr) -> None:
    """Names, in place, the key of each ``JOIN ... USING (key)`` by the column Spark gives it.

    sqlglot's qualification writes a USING key as ``COALESCE(left.key, right.key)`` (a call
    with no place in the query's text). Spark's key is the left table's column for an inner or
    left join, the right table's for a right join, the coalesce of both for a full join
    (``Analyzer``'s ``commonNaturalJoinProcessing``): a lineage through both tables would
    refuse a key only the other table disallows. The rows are the same either way.
    """
    for coalesce in list(tree.find_all(exp.Coalesce)):
        keys = [coalesce.this, *coalesce.expressions]
        if coalesce.meta.get("start") is not None or not all(
            isinstance(k, exp.Column) and k.table for k in keys
        ):
            continue
        if len({k.name for k in keys}) != 1:
            continue
        select = coalesce.find_ancestor(exp.Select)
        joins = {
            j.this.alias_or_name: j
            for j in (select.args.get("joins") or [] if select else [])
            if j.args.get("using") is None
        }
        join = joins.get(keys[-1].table)
        if join is None or (join.side or "").upper() == "FULL":
            continue
        key = keys[-1] if (join.side or "").upper() == "RIGHT" else keys[0]
        coalesce.replace(key.copy())
