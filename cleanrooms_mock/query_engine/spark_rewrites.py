"""The reference's functions DuckDB does not run under their Spark name, rewritten for DuckDB.

:func:`for_duckdb` rewrites, in place and innermost first, the nodes of a SPARK query's tree
(checked, qualified, rules applied) DuckDB would not run as Spark does, Spark's result kept
(the functions' pages of the Clean Rooms Spark SQL reference, :mod:`.spark_functions`):

- ``is_null(x)`` / ``is_not_null(x)``: ``x IS [NOT] NULL`` (IS_NULL.html, IS_NOT_NULL.html);
- ``size(x)`` / ``cardinality(x)``: the number of elements of an ARRAY or a MAP as an INT,
  ``-1`` for NULL (size.html, CARDINALITY.html: Spark's default ``sizeOfNull``);
- ``base64(x)``: of the bytes of a STRING too (base64.html; DuckDB takes only a BLOB);
- ``str_to_map(text[, pairDelim[, keyValueDelim]])``: a MAP of STRING to STRING, the
  delimiters regular expressions (``,`` and ``:`` by default), a pair without the key-value
  delimiter mapping its key to NULL (STR_TO_MAP.html);
- the functions DuckDB has no equivalent of (:data:`.spark_functions.SPARK_FUNCTIONS_NOT_RUN`)
  raise :class:`.refusal.Refusal` with code ``INTERNAL_ERROR``: the query is AWS's, the mock
  cannot run it (README, Assumptions).

Imports sqlglot: imported on first use, by :mod:`.engine`.
"""

from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp

from .refusal import Refusal
from .spark_functions import SPARK_FUNCTIONS_NOT_RUN

__all__ = ["for_duckdb"]

#: ``error.code`` of a query the mock cannot run although AWS would.
_NOT_RUN_CODE = "INTERNAL_ERROR"
#: str_to_map in DuckDB: the text split on the pair delimiter, each pair at its first key-value
#: delimiter (the value is the rest, NULL when the pair has no delimiter).
_STR_TO_MAP = (
    "MAP_FROM_ENTRIES(LIST_TRANSFORM(REGEXP_SPLIT_TO_ARRAY(_text, _pairs), LAMBDA _pair : "
    "{'k': CASE WHEN REGEXP_MATCHES(_pair, _kv) THEN "
    "REGEXP_EXTRACT(_pair, '(?s)^(.*?)(?:' || _kv || ')', 1) ELSE _pair END, "
    "'v': CASE WHEN REGEXP_MATCHES(_pair, _kv) THEN "
    "REGEXP_EXTRACT(_pair, '(?s)^.*?(?:' || _kv || ')(.*)$', 1) END}))"
)


@functools.cache
def _str_to_map_template() -> exp.Expr:
    return sqlglot.parse_one(_STR_TO_MAP, read="duckdb")


def _size(value: exp.Expr) -> exp.Expr:
    """Spark's size of an ARRAY or MAP: ``-1`` for NULL, else an INT."""
    count = exp.cast(exp.Anonymous(this="CARDINALITY", expressions=[value.copy()]), "INT")
    return exp.If(
        this=exp.Is(this=value.copy(), expression=exp.Null()),
        true=exp.Literal.number(-1),
        false=count,
    )


def _str_to_map(node: exp.StrToMap) -> exp.Expr:
    given: dict[str, exp.Expr] = {
        "_text": node.this,
        "_pairs": node.args.get("pair_delim") or exp.Literal.string(","),
        "_kv": node.args.get("key_value_delim") or exp.Literal.string(":"),
    }

    def fill(part: exp.Expr) -> exp.Expr:
        if isinstance(part, exp.Column) and part.name in given:
            return given[part.name].copy()
        return part

    return _str_to_map_template().transform(fill)


def _not_run(name: str) -> Refusal:
    return Refusal(
        f"The mock cannot run `{name}`: AWS Clean Rooms Spark SQL supports it, but the engine "
        "that runs the mock's queries (DuckDB) has no equivalent. Test this query against "
        "AWS Clean Rooms, or leave the function out of the mock's tests.",
        _NOT_RUN_CODE,
    )


def _duckdb_form(node: exp.Expr) -> exp.Expr:
    """What DuckDB runs for ``node`` (``node`` itself when DuckDB runs it as it is)."""
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name in SPARK_FUNCTIONS_NOT_RUN:
            raise _not_run(name)
        if name in ("is_null", "is_not_null") and len(node.expressions) == 1:
            test = exp.Is(this=node.expressions[0].copy(), expression=exp.Null())
            return test if name == "is_null" else exp.Not(this=test)
        if name == "cardinality" and len(node.expressions) == 1:
            return _size(node.expressions[0])
    if isinstance(node, exp.ArraySize) and node.expression is None:
        return _size(node.this)
    if isinstance(node, exp.ToBase64):
        return exp.ToBase64(this=exp.cast(node.this.copy(), "BLOB"))
    if isinstance(node, exp.StrToMap):
        return _str_to_map(node)
    return node


def for_duckdb(tree: exp.Query) -> exp.Query:
    """``tree`` with each node DuckDB would not run as Spark does rewritten, innermost first
    (a rewrite copies nodes already rewritten); raises :class:`.refusal.Refusal`
    (``INTERNAL_ERROR``) for a function DuckDB cannot run."""
    for node in reversed(list(tree.find_all(exp.Expr))):  # breadth first, reversed
        rewritten = _duckdb_form(node)
        if rewritten is not node:
            node.replace(rewritten)
    return tree
