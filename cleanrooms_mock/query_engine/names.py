"""The names an engine gives the output columns a query leaves unaliased.

A result's header (CSV) and schema (Parquet) carry each column's name, so a test reading the
result by name needs the engine's name, not DuckDB's (``_col_1``, ``count_star()``):

- SPARK names an unaliased expression as Spark 3.5 does (its ``toPrettySQL``; checked against
  pyspark 3.5.9): a column by its name, a literal by its value (``1``, ``x`` for ``'x'``,
  ``1000.0`` for ``1e3``), a function by the name it is written with and its arguments, Spark's
  defaults filled in (``nvl(age, 0)``, ``substr(tier, 1, 2147483647)``; ``COUNT(*)`` is
  ``count(1)``), an operator in parentheses (``(age + 1)``, ``(age IS NOT NULL)``), a cast of a
  column at the top by the column's name, a window function with its frame (``count(1) OVER
  (PARTITION BY tier ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)``). sqlglot's
  tree forgets some of how the query was written (``nvl`` is ``COALESCE``); that is read from
  the query's text, by the positions sqlglot keeps.
- CLEAN_ROOMS_SQL (Redshift, as PostgreSQL's ``FigureColname``): a column by its name, a
  function call by the function's name (``count``, ``upper``; a window function too), a CAST
  by its argument's name, CASE ``case``, anything else ``?column?``.

README, Assumptions. Imported by :mod:`.engine` on first use (it imports sqlglot).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlglot import exp

from .refusal import Refusal
from .spark_names import spark_name, unary_plus

__all__ = ["duplicate_name", "name_outputs", "redshift_function_name", "refuse_duplicate_names"]

#: The name at the start of a function call's SQL.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: Redshift's name of an expression that is neither a column nor a function (PostgreSQL's).
UNNAMED = "?column?"


def name_outputs(tree: exp.Expr, dialect: str, sql: str | None = None) -> None:
    """Aliases, in place, every unaliased computed projection of every SELECT in ``tree``.

    ``dialect`` is ``spark`` or ``redshift``: Spark's or Redshift's name (module docstring).
    ``sql`` is the text ``tree`` was parsed from: Spark names a function by the name it is
    written with (``nvl``, ``substr``), which sqlglot's tree keeps only as a position in it.
    Columns and stars keep the names they have.
    """
    for select in list(tree.find_all(exp.Select)):
        for projection in list(select.expressions):
            plus = dialect == "spark" and sql is not None and unary_plus(projection, sql)
            if isinstance(projection, (exp.Alias, exp.Column, exp.Star)) and not plus:
                continue
            name = spark_name(projection, sql) if dialect == "spark" else _redshift_name(projection)
            alias = exp.to_identifier(name, quoted=True)
            # sqlglot lower-cases Spark's names otherwise; a subquery's stay case-insensitive,
            # as Spark resolves `(AGE is not null)` to the column named (age IS NOT NULL)
            alias.meta["case_sensitive"] = select.find_ancestor(exp.Subquery, exp.CTE) is None
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
        return redshift_function_name(value).lower()
    return UNNAMED


def redshift_function_name(function: exp.Func) -> str:
    """``function``'s name as Clean Rooms SQL (Redshift) spells it (``DATEADD``, ``upper`` for
    an unknown ``upper(...)`` as written): the name sqlglot writes it with in the ``redshift``
    dialect, or the written name of a function sqlglot does not know; callers choose the case."""
    if isinstance(function, exp.Anonymous):
        return function.name
    written = _NAME.match(function.sql(dialect="redshift"))
    return written.group() if written else function.sql_name()


def duplicate_name(names: Sequence[str]) -> str | None:
    """The name Spark 3.5 reports when it cannot write a result whose columns are ``names``
    (``[COLUMN_ALREADY_EXISTS] The column `tier` already exists``), or None when no two
    names are equal, case aside.

    Spark's ``SchemaUtils.checkColumnNameDuplication`` lower-cases the names (the analysis is
    case-insensitive), groups them, sorts the groups by name and reports the first group of
    several names.
    """
    lowered = [name.lower() for name in names]
    repeated = {name for name in lowered if lowered.count(name) > 1}
    return min(repeated) if repeated else None


def refuse_duplicate_names(tree: exp.Query, dialect: str) -> None:
    """Raises Refusal when the qualified ``tree``, a SPARK query, outputs two columns of one
    name (case aside): Spark cannot write such a result to S3 and the query fails with its
    words. A CLEAN_ROOMS_SQL query keeps DuckDB's renaming (``tier_1``; README, Assumptions).
    """
    taken = duplicate_name(tree.named_selects) if dialect == "spark" else None
    if taken is not None:
        raise Refusal(
            f"[COLUMN_ALREADY_EXISTS] The column `{taken}` already exists. "
            "Consider to choose another name or rename the existing column."
        )
