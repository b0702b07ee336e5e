"""The names an engine gives the output columns a query leaves unaliased.

A result's header (CSV) and schema (Parquet) carry each column's name, so a test reading the
result by name needs the engine's name, not DuckDB's (``_col_1``, ``count_star()``):

- SPARK names an unaliased expression by its SQL text (Spark's ``toPrettySQL``): a column by
  its name, a literal by its value (``1``, ``x`` for ``'x'``), a function lower case with its
  arguments (``upper(tier)``, ``count(DISTINCT tier)``; ``COUNT(*)`` is ``count(1)``), an
  operator in parentheses (``(age + 1)``, ``(tier = gold)``), ``CAST(age AS STRING)``, a
  window function with its frame (``count(1) OVER (PARTITION BY tier ROWS BETWEEN UNBOUNDED
  PRECEDING AND UNBOUNDED FOLLOWING)``).
- CLEAN_ROOMS_SQL (Redshift, as PostgreSQL's ``FigureColname``): a column by its name, a
  function call by the function's name (``count``, ``upper``; a window function too), a CAST
  by its argument's name, CASE ``case``, anything else ``?column?``.

README, Assumptions. Imported by :mod:`.engine` on first use (it imports sqlglot).
"""

from __future__ import annotations

import re

from sqlglot import exp

__all__ = ["name_outputs", "spark_name"]

#: Redshift's name of an expression that is neither a column nor a function (PostgreSQL's).
UNNAMED = "?column?"
#: Spark's default window frames: with an ORDER BY, from the start to the current row (ROWS
#: for the ranking functions, RANGE for the others); without one, the whole partition.
_WHOLE = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
_RANKING = (exp.RowNumber, exp.Rank, exp.DenseRank, exp.PercentRank, exp.CumeDist, exp.Ntile)
_UNPARENTHESIZED = (exp.Like, exp.ILike, exp.RegexpLike, exp.Dot)


def name_outputs(tree: exp.Expr, dialect: str) -> None:
    """Aliases, in place, every unaliased computed projection of every SELECT in ``tree``.

    ``dialect`` is ``spark`` or ``redshift``: Spark's or Redshift's name (module docstring).
    Columns and stars keep the names they have.
    """
    namer = spark_name if dialect == "spark" else _redshift_name
    for select in list(tree.find_all(exp.Select)):
        for projection in list(select.expressions):
            if isinstance(projection, (exp.Alias, exp.Column, exp.Star)):
                continue
            alias = exp.to_identifier(namer(projection), quoted=True)
            alias.meta["case_sensitive"] = True  # sqlglot lower-cases Spark's names otherwise
            projection.replace(exp.alias_(projection.copy(), alias))


def _redshift_name(value: exp.Expr) -> str:
    while isinstance(value, (exp.Paren, exp.Cast, exp.Window)):
        if isinstance(value, exp.Cast) and not isinstance(value.this, (exp.Column, exp.Func)):
            return UNNAMED
        value = value.this
    if isinstance(value, exp.Column):
        return value.name
    if isinstance(value, exp.Case):
        return "case"
    if isinstance(value, exp.Func):
        if isinstance(value, exp.Anonymous):
            return value.name.lower()
        written = re.match(r"[A-Za-z_][A-Za-z0-9_]*", value.sql(dialect="redshift"))
        return (written.group() if written else value.sql_name()).lower()
    return UNNAMED


def spark_name(value: exp.Expr) -> str:
    """``value`` as Spark names an unaliased projection of it (``upper(tier)``, ``count(1)``)."""
    root = value.copy()
    # children before parents, without recursion (an expression can nest deeply)
    for node in reversed(list(root.walk(bfs=False))):
        parent, key, index = node.parent, node.arg_key, node.index
        pretty = _pretty(node)
        if pretty is node:
            continue
        if node is root:
            root = pretty
        elif parent is not None and key:
            parent.set(key, pretty, index)
    return root.sql(dialect="spark", normalize_functions="lower")


def _pretty(node: exp.Expr) -> exp.Expr:
    """One node as Spark's ``usePrettyExpression`` prints it (children come first)."""
    if isinstance(node, exp.Column) and not isinstance(node.this, exp.Star):
        return exp.var(node.name)
    if isinstance(node, exp.Literal) and node.is_string:
        return exp.var(node.this)
    if isinstance(node, exp.Boolean):
        return exp.var("true" if node.this else "false")
    if isinstance(node, exp.Count) and isinstance(node.this, exp.Star):
        return exp.Count(this=exp.Literal.number(1))
    if isinstance(node, exp.Paren):
        inner: exp.Expr = node.this
        return inner
    if isinstance(node, exp.Neg):
        return exp.var(f"(- {node.this.sql(dialect='spark')})")
    if isinstance(node, exp.Ordered):
        direction = "DESC NULLS LAST" if node.args.get("desc") else "ASC NULLS FIRST"
        return exp.var(f"{node.this.sql(dialect='spark')} {direction}")
    if isinstance(node, exp.Window) and node.args.get("spec") is None:
        frame = _WHOLE
        if node.args.get("order"):
            kind = "ROWS" if isinstance(node.this, _RANKING) else "RANGE"
            frame = f"{kind} BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
        node.set("spec", exp.var(frame))
        return node
    if isinstance(node, (exp.Binary, exp.Not, exp.In, exp.Is)) and not isinstance(
        node, _UNPARENTHESIZED
    ):
        return exp.Paren(this=node)
    return node
