"""What SQL a collaboration's engine accepts, before any rule: functions, syntax, FROM.

sqlglot parses more than Spark SQL (it reads DuckDB's and other dialects' constructs in any
dialect, and an unknown function as ``exp.Anonymous``), and DuckDB runs what sqlglot passes
on; AWS Clean Rooms runs only its engine's SQL. :func:`check_surface` refuses, on the parsed
(not yet qualified) tree, what the engine would not run, with Spark's error wording:

- FROM names only tables, subqueries and inline tables (``VALUES``); a table function or a
  file path there is no table of the collaboration (both engines).
- SPARK: only the functions of AWS's Clean Rooms Spark SQL reference
  (:mod:`.spark_functions`), matched by the sqlglot class each listed name parses to and, for
  names sqlglot does not know (``exp.Anonymous``), by name; ``[`` list literals ``]``,
  ``* EXCLUDE``/``EXCEPT``/``REPLACE``/``RENAME``, ``COLUMNS(...)``, ``ASOF`` joins: DuckDB's
  syntax, not Spark's.

Raises :class:`.rules.Refusal` (``MALFORMED_QUERY``). Imports sqlglot: imported on first use.
"""

from __future__ import annotations

import functools
import re

import sqlglot
from sqlglot import exp

from .rules import Refusal
from .spark_functions import SPARK_FUNCTIONS

__all__ = ["check_surface", "spark_function_classes"]

#: Spark's search path in its UNRESOLVED_ROUTINE message (Spark 3.4+ error class).
_SEARCH_PATH = "[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]"
#: Function nodes sqlglot builds from syntax rather than from a name: CASE, CAST, EXISTS...
_SYNTAX_NODES: tuple[type[exp.Func], ...] = (
    exp.Case,
    exp.Cast,
    exp.TryCast,
    exp.Collate,
    exp.Exists,
    exp.If,
    exp.RegexpLike,  # a RLIKE b
)
_STAR_MODIFIERS = {"except_": "EXCEPT", "replace": "REPLACE", "rename": "RENAME"}
_SPARK_JOIN_METHODS = {"", "NATURAL"}


@functools.cache
def spark_function_classes() -> tuple[frozenset[type[exp.Func]], frozenset[str]]:
    """The sqlglot function classes and the unknown (``Anonymous``) names the listed Spark
    functions parse to: each name called with no to three arguments, every function node of
    the result (a name sqlglot rewrites, ``nvl2`` into ``If``, brings the nodes it makes)."""
    classes: set[type[exp.Func]] = set()
    names: set[str] = set()
    for name in SPARK_FUNCTIONS:
        for arguments in ("", "a", "a, b", "a, b, c"):
            try:
                tree = sqlglot.parse_one(f"SELECT {name}({arguments})", read="spark")
            except Exception:  # an arity the function does not take (sqlglot raises any kind)
                continue
            for node in tree.find_all(exp.Func):
                if isinstance(node, exp.Anonymous):
                    names.add(node.name.lower())
                else:
                    classes.add(type(node))
    return frozenset(classes), frozenset(names)


def _function_name(node: exp.Func, dialect: str = "spark") -> str:
    """The name of ``node`` as ``dialect`` writes the function (sqlglot keeps no typed name but
    an unknown function's), lower case."""
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    try:
        called = re.match(r"\s*([A-Za-z_][\w.]*)\s*\(", node.sql(dialect=dialect))
    except Exception:  # sqlglot cannot write it in Spark SQL: its own name
        called = None
    if called:
        return called.group(1).lower()
    return node.sql_names()[0].lower() if node.sql_names() else node.key.lower()


def _unresolved(name: str) -> Refusal:
    return Refusal(
        f"[UNRESOLVED_ROUTINE] Cannot resolve function `{name}` on search path {_SEARCH_PATH}."
    )


def _syntax_error(near: str) -> Refusal:
    return Refusal(f"[PARSE_SYNTAX_ERROR] Syntax error at or near '{near}'.")


def _check_source(clause: exp.From | exp.Join, dialect: str) -> None:
    """The source of a FROM or JOIN is a table name, a subquery or an inline table
    (``VALUES``): no table function, no path (both engines)."""
    source = clause.this
    if isinstance(source, (exp.Subquery, exp.Values, exp.Lateral)):
        return
    if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
        return
    function = source.this if isinstance(source, exp.Table) else source
    is_function = isinstance(function, exp.Func)
    name = _function_name(function, dialect) if is_function else function.key
    if dialect == "spark":
        raise Refusal(
            f"[UNRESOLVABLE_TABLE_VALUED_FUNCTION] Could not resolve `{name}` to a "
            "table-valued function."
        )
    raise Refusal(f"Table functions are not supported in FROM: {name}")


def _check_spark_syntax(node: exp.Expr, sql: str) -> None:
    """DuckDB's constructs sqlglot reads in Spark SQL: refused as Spark's parser would."""
    if isinstance(node, exp.Star):
        for key in _STAR_MODIFIERS:
            if node.args.get(key):
                typed = re.search(r"\*\s*(EXCLUDE|EXCEPT|REPLACE|RENAME)\b", sql, re.IGNORECASE)
                raise _syntax_error(typed.group(1) if typed else _STAR_MODIFIERS[key])
    elif isinstance(node, exp.Array) and "value_constructor" in node.args:
        raise _syntax_error("[")  # [1, 2, 3]: Spark writes array(1, 2, 3)
    elif isinstance(node, exp.Join):
        method = str(node.args.get("method") or "").upper()
        if method not in _SPARK_JOIN_METHODS:
            raise _syntax_error(method)


def _check_spark_function(
    node: exp.Func, classes: frozenset[type[exp.Func]], names: frozenset[str]
) -> None:
    """``node`` is one of the reference's functions (by class, or by name when sqlglot does
    not know it)."""
    if isinstance(node, exp.Connector):  # AND, OR: operators sqlglot makes functions
        return
    if isinstance(node.parent, exp.Hint):
        # A hint is not a call: AWS documents join hints and the partitioning hints COALESCE,
        # REPARTITION, REPARTITION_BY_RANGE and REBALANCE ("Hints", sql-commands-hints-spark),
        # and Spark ignores a hint it does not know with a warning; DuckDB gets none of them.
        return
    if isinstance(node, exp.Anonymous):
        if node.name.lower() not in names:
            raise _unresolved(node.name.lower())
    elif not isinstance(node, _SYNTAX_NODES) and type(node) not in classes:
        raise _unresolved(_function_name(node))


def check_surface(tree: exp.Expr, sql: str, dialect: str) -> None:
    """Refuses what ``dialect``'s engine would not run in ``tree`` (``sql`` parsed, before
    qualification: ``*`` not yet expanded); see the module's docstring. Raises Refusal.
    One walk of the tree (a query may hold a million nodes)."""
    spark = dialect == "spark"
    classes, names = spark_function_classes() if spark else (frozenset(), frozenset())
    for node in tree.walk():
        if isinstance(node, (exp.From, exp.Join)):
            _check_source(node, dialect)
        if spark:
            _check_spark_syntax(node, sql)
            if isinstance(node, exp.Func):
                _check_spark_function(node, classes, names)
