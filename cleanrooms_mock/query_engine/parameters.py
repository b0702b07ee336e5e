"""Analysis-template parameters: ``:name`` in the SQL, replaced by a literal of the declared type.

"AWS Clean Rooms supports a subset of parameterization with literal values" (user guide,
"Creating an SQL analysis template"); a parameter is declared in ``analysisParameters``
(``AnalysisParameter``: ``name``, ``type`` among the model's ``ParameterType``, optional
``defaultValue``), and the member who can query gives values in
``StartProtectedQuery.sqlParameters.parameters`` (a map of strings), which override defaults.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlglot import exp

__all__ = [
    "BadParameterValue",
    "MissingParameter",
    "ParameterError",
    "UnknownParameter",
    "substitute",
]

_INTEGERS = {
    "TINYINT": 8,
    "BYTE": 8,
    "SMALLINT": 16,
    "SHORT": 16,
    "INTEGER": 32,
    "INT": 32,
    "BIGINT": 64,
    "LONG": 64,
}
_FLOATS = {"REAL", "FLOAT", "DOUBLE", "DOUBLE_PRECISION"}
_DECIMALS = {"DECIMAL", "NUMERIC"}
_TEXTS = {"CHAR", "VARCHAR", "STRING", "CHARACTER"}
_BINARIES = {"VARBYTE", "BINARY"}
_CASTS = {
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "TIMESTAMP_NTZ": "TIMESTAMP",
    "TIMESTAMP_LTZ": "TIMESTAMPTZ",
    "TIMESTAMPTZ": "TIMESTAMPTZ",
    "TIME": "TIME",
    "TIMETZ": "TIMETZ",
}


class ParameterError(ValueError):
    """A parameter value the template cannot take; the message says which and why."""


class MissingParameter(ParameterError):
    """A parameter the SQL uses has no value and no ``defaultValue``."""


class UnknownParameter(ParameterError):
    """A value was given for a parameter the template does not declare."""


class BadParameterValue(ParameterError):
    """A value (given or default) that does not fit the parameter's ``type``."""


def _literal(name: str, kind: str, value: str) -> exp.Expr:
    """``value`` as a SQL literal of ``kind`` (a ``ParameterType``); raises BadParameterValue."""
    from sqlglot import exp

    def bad(wanted: str) -> BadParameterValue:
        return BadParameterValue(
            f"Parameter {name} of type {kind} cannot take the value {value!r}: give {wanted}"
        )

    text = value.strip()
    if kind in _INTEGERS:
        bits = _INTEGERS[kind]
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            raise bad("an integer")
        number = int(text)
        if not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
            raise bad(f"an integer of {bits} bits")
        return exp.Literal.number(number)
    if kind in _FLOATS or kind in _DECIMALS:
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            raise bad("a number") from None
        if not parsed.is_finite() or (kind in _FLOATS and not math.isfinite(float(parsed))):
            raise bad("a finite number")
        return exp.Literal.number(text)
    if kind == "BOOLEAN":
        if text.lower() not in ("true", "false"):
            raise bad("true or false")
        return exp.Boolean(this=text.lower() == "true")
    if kind in _TEXTS or kind in _BINARIES:
        return exp.Literal.string(value)
    if kind in _CASTS:
        parse: Any = {
            "DATE": datetime.date.fromisoformat,
            "TIME": datetime.time.fromisoformat,
            "TIMETZ": datetime.time.fromisoformat,
        }.get(kind, datetime.datetime.fromisoformat)
        try:
            parse(text)
        except ValueError:
            raise bad(f"an ISO 8601 {kind.lower()}") from None
        return exp.cast(exp.Literal.string(text), _CASTS[kind])
    raise bad(f"a value of a ParameterType (unknown type {kind!r})")


def substitute(
    tree: exp.Expr,
    declared: Sequence[Mapping[str, Any]],
    values: Mapping[str, str] | None,
) -> exp.Expr:
    """``tree`` (a parsed template) with each ``:name`` replaced by its typed literal.

    ``declared`` is the template's ``analysisParameters``; ``values`` the query's
    ``parameters``. Raises UnknownParameter for a value of an undeclared name,
    MissingParameter for a placeholder with neither value nor default, BadParameterValue for a
    value that does not fit its type.
    """
    from sqlglot import exp

    by_name = {str(p["name"]): p for p in declared}
    given = dict(values or {})
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        raise UnknownParameter(
            f"Parameter(s) {unknown} are not declared by the analysis template; it declares "
            f"{sorted(by_name)}"
        )
    literals: dict[str, exp.Expr] = {}
    for name, parameter in by_name.items():
        value = given.get(name, parameter.get("defaultValue"))
        if value is not None:
            literals[name] = _literal(name, str(parameter["type"]), str(value))

    def replace(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder) and node.name:
            if node.name not in literals:
                raise MissingParameter(
                    f"Parameter {node.name} has no value: give it in parameters"
                    + ("" if node.name in by_name else " and declare it in analysisParameters")
                )
            return literals[node.name].copy()
        return node

    return tree.transform(replace)
