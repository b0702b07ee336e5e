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
- ``btrim(s[, chars])``: ``trim`` (BTRIM.html);
- ``regexp_substr(s, p)``: the first match of ``p``, NULL when none (or an empty one), as
  Spark 3.5 returns (REGEXP_SUBSTR.html);
- ``array_union(a, b)``: the distinct elements of both, in Spark's order (ARRAY_UNION.html);
- ``x / y``, ``x div y``, ``x % y``: NULL when ``y`` is 0 (Spark with ANSI mode off, its
  default; DuckDB fails): ``y`` becomes ``NULLIF(y, 0)``;
- ``get_json_object(text, path)``: NULL for text that is not JSON (DuckDB fails);
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

__all__ = ["for_duckdb", "not_run"]

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


#: array_union in DuckDB: the elements of both arrays, each kept at its first place only (Spark's
#: order; DuckDB's list_distinct does not keep it), one NULL kept as Spark keeps it.
_ARRAY_UNION = (
    "LIST_FILTER(LIST_CONCAT(_a, _b), LAMBDA _x, _i : LIST_POSITION(LIST_CONCAT(_a, _b), _x) = _i)"
)


@functools.cache
def _template(sql: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read="duckdb")


def _filled(template: str, given: dict[str, exp.Expr]) -> exp.Expr:
    """``template`` (DuckDB SQL) with each column named as a key of ``given`` replaced by a copy
    of its expression."""

    def fill(part: exp.Expr) -> exp.Expr:
        if isinstance(part, exp.Column) and part.name in given:
            return given[part.name].copy()
        return part

    return _template(template).transform(fill)


def _nonzero(divisor: exp.Expr) -> bool:
    """Whether ``divisor`` is a number literal other than zero (no NULLIF needed)."""
    return (
        isinstance(divisor, exp.Literal)
        and not divisor.is_string
        and divisor.this
        not in (
            "0",
            "0.0",
        )
    )


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
    return _filled(_STR_TO_MAP, given)


def not_run(name: str) -> Refusal:
    """The failure (``INTERNAL_ERROR``) of a query calling ``name``, a function of the Clean
    Rooms Spark SQL reference DuckDB cannot run (README, Assumptions)."""
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
            raise not_run(name)
        if name in ("is_null", "is_not_null") and len(node.expressions) == 1:
            test = exp.Is(this=node.expressions[0].copy(), expression=exp.Null())
            return test if name == "is_null" else exp.Not(this=test)
        if name == "cardinality" and len(node.expressions) == 1:
            return _size(node.expressions[0])
        if name == "btrim" and len(node.expressions) in (1, 2):
            return exp.Anonymous(this="TRIM", expressions=[e.copy() for e in node.expressions])
        if name == "array_union" and len(node.expressions) == 2:
            first, second = node.expressions
            return _filled(_ARRAY_UNION, {"_a": first, "_b": second})
    if isinstance(node, exp.RegexpSubstr) and set(node.args) <= {"this", "expression"}:
        found = exp.Anonymous(
            this="REGEXP_EXTRACT",
            expressions=[node.this.copy(), node.expression.copy(), exp.Literal.number(0)],
        )
        return exp.Nullif(this=found, expression=exp.Literal.string(""))
    if isinstance(node, exp.ArraySize) and node.expression is None:
        return _size(node.this)
    if isinstance(node, (exp.Div, exp.IntDiv, exp.Mod)) and not _nonzero(node.expression):
        divided = node.copy()
        divided.set(
            "expression", exp.Nullif(this=node.expression.copy(), expression=exp.Literal.number(0))
        )
        return divided
    if isinstance(node, exp.JSONExtractScalar):
        valid = exp.Anonymous(this="JSON_VALID", expressions=[node.this.copy()])
        return exp.If(this=valid, true=node.copy(), false=exp.Null())
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
