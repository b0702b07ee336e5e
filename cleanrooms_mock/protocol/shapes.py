"""Validators and serialisers compiled once per botocore shape.

Every constraint the model declares (required members, enums, lengths, patterns, ranges, list and
map sizes, tagged unions) is checked here, for every operation, so no handler validates by hand.
Compiling each shape to a closure once keeps the per-call cost to a walk of the actual value.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar, cast

from botocore.model import ListShape, MapShape, Shape, StringShape, StructureShape

from .errata import max_length

__all__ = [
    "FieldError",
    "OutputShapeError",
    "Serializer",
    "Validator",
    "compile_serializer",
    "compile_validator",
    "java_pattern_to_python",
    "java_text",
]

#: Longest rendering of a rejected value in an error message; huge inputs must not echo back whole.
_MAX_VALUE_IN_MESSAGE = 100


@dataclass(frozen=True)
class FieldError:
    """One failed constraint: where (``path``), what (``message``) and the offending value."""

    path: str
    message: str
    value: Any = None

    def describe(self) -> str:
        """The AWS (Coral) wording: ``Value 'x' at 'path' failed to satisfy constraint: ...``."""
        if self.value is None:
            return f"Value null at '{self.path}' failed to satisfy constraint: {self.message}"
        return (
            f"Value '{_render(self.value)}' at '{self.path}' failed to satisfy constraint: "
            f"{self.message}"
        )


class OutputShapeError(Exception):
    """The backend produced a value its output shape does not allow (a bug of ours, never input)."""


Validator = Callable[[Any, str, list[FieldError]], None]
Serializer = Callable[[Any, str], Any]


def _render(value: Any) -> str:
    text = java_text(value)
    if len(text) > _MAX_VALUE_IN_MESSAGE:
        return text[:_MAX_VALUE_IN_MESSAGE] + "..."
    return text


def java_text(value: Any) -> str:
    """``value`` as AWS's (Java) validation messages write it: Java's ``toString``.

    A string as is; a list ``[user_id, dt]`` and a map or structure ``{glue={databaseName=db,
    tableName=t}}`` (``AbstractCollection``/``AbstractMap.toString``), their items alike;
    ``true``/``false``; ``null``; a number as Java prints it (``1.0E20``, ``NaN``). Never a
    Python repr (README, Assumptions: how a rejected value is shown).
    """
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(java_text(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{java_text(key)}={java_text(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return str(value)


def _java_double(value: float) -> str:
    """Java's ``Double.toString``: ``1.0``, ``0.001``, ``1.0E7``, ``1.5E-5``, ``NaN``, ``-Infinity``
    (positional from 10^-3 up to 10^7, else scientific, with the shortest digits either way)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        return repr(value)  # positional in this range, as Java's
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    power = int(exponent) + len(text) - 1
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{power}"


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


# ---------------------------------------------------------------------------------------------
# Patterns: the model's patterns are Java regular expressions, matched against the whole value.
# ---------------------------------------------------------------------------------------------

# Unicode property classes used by AWS models, approximated with what Python's ``re`` has.
_JAVA_PROPERTY_CLASSES = {
    r"\p{M}": "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f",
    r"\p{N}": r"\d\u00b2\u00b3\u00b9\u00bc-\u00be\u2150-\u218b",
    r"\p{Pc}": "_\u203f\u2040\u2054\ufe33\ufe34\ufe4d-\ufe4f\uff3f",
    r"\p{Pd}": "\\-\u058a\u05be\u1400\u1806\u2010-\u2015\u2e17\u2e1a\u301c\u3030\ufe58\ufe63\uff0d",
    r"\p{Zs}": " \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000",
}
# Java matches UTF-16 code units: "\uD800\uDBFF-\uDC00\uDFFF" in a class means "any surrogate
# pair", which for Python's code-point strings is every character beyond the BMP.
_SURROGATE_PAIR_RANGE = r"\uD800\uDBFF-\uDC00\uDFFF"
_ASTRAL_RANGE = "\U00010000-\U0010ffff"


def java_pattern_to_python(pattern: str) -> re.Pattern[str]:
    """Compile a model pattern with Java semantics where Python's ``re`` differs."""
    translated = pattern.replace(_SURROGATE_PAIR_RANGE, _ASTRAL_RANGE)
    if r"\p{" in translated:
        translated = _translate_property_classes(translated)
    # Java's \d, \w, \s and \b are ASCII-only (Python's match any script): re.ASCII, with the
    # translated \p{...} classes scoped back to Unicode.
    return re.compile(translated, re.DOTALL | re.ASCII)


def _translate_property_classes(pattern: str) -> str:
    # Only the form AWS models use is supported: property classes inside one bracket class,
    # e.g. [\p{L}\p{N}.]+ . A class holding \p{L} becomes an alternation with a letter class.
    def replace_class(match: re.Match[str]) -> str:
        body = match.group(1)
        letters = r"\p{L}" in body
        body = body.replace(r"\p{L}", "")
        for java, python in _JAVA_PROPERTY_CLASSES.items():
            body = body.replace(java, python)
        if letters and body:
            return rf"(?u:[^\W\d_]|[{body}])"
        if letters:
            return r"(?u:[^\W\d_])"
        return f"(?u:[{body}])"

    return re.sub(r"\[((?:\\.|[^\]\\])*)\]", replace_class, pattern)


# ---------------------------------------------------------------------------------------------
# Validators
# ---------------------------------------------------------------------------------------------


def compile_validator(shape: Shape, cache: dict[str, Validator] | None = None) -> Validator:
    """Return ``validate(value, path, errors)`` that appends a FieldError per broken constraint."""
    return _compile(shape, {} if cache is None else cache, _build_validator)


C = TypeVar("C", bound=Callable[..., Any])


def _compile(shape: Shape, cache: dict[str, C], build: Callable[[Shape, dict[str, C]], C]) -> C:
    """Build once per shape; recursive shapes get a trampoline until their real function exists."""
    key = f"{shape.type_name}:{shape.name}"
    if key in cache:
        return cache[key]
    slot: list[C] = []
    cache[key] = cast(C, lambda *args: slot[0](*args))
    compiled = build(shape, cache)
    slot.append(compiled)
    cache[key] = compiled
    return compiled


def _build_validator(shape: Shape, cache: dict[str, Validator]) -> Validator:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure_validator(shape, cache)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _list_validator(shape, cache)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _map_validator(shape, cache)
    if kind == "string":
        return _string_validator(shape)
    if kind in ("integer", "long", "short", "byte"):
        return _number_validator(shape, integral=True)
    if kind in ("double", "float"):
        return _number_validator(shape, integral=False)
    if kind == "boolean":
        return _type_validator(lambda v: isinstance(v, bool), "Member must be a boolean")
    if kind == "timestamp":
        return _type_validator(
            lambda v: isinstance(v, (int, float, str, datetime)) and not isinstance(v, bool),
            "Member must be a timestamp",
        )
    if kind == "blob":
        return _type_validator(lambda v: isinstance(v, (str, bytes)), "Member must be a blob")
    return lambda value, path, errors: None  # document: any JSON value


def _type_validator(accepts: Callable[[Any], bool], message: str) -> Validator:
    def validate(value: Any, path: str, errors: list[FieldError]) -> None:
        if not accepts(value):
            errors.append(FieldError(path, message, value))

    return validate


def _length_checks(
    shape: Shape, noun: str
) -> Callable[[int, Any, str, list[FieldError]], None] | None:
    low = shape.metadata.get("min")
    high = max_length(shape)
    if low is None and high is None:
        return None

    def check(size: int, value: Any, path: str, errors: list[FieldError]) -> None:
        if low is not None and size < low:
            errors.append(
                FieldError(path, f"Member must have {noun} greater than or equal to {low}", value)
            )
        elif high is not None and size > high:
            errors.append(
                FieldError(path, f"Member must have {noun} less than or equal to {high}", value)
            )

    return check


def _structure_validator(shape: StructureShape, cache: dict[str, Validator]) -> Validator:
    members = [(name, compile_validator(member, cache)) for name, member in shape.members.items()]
    required = tuple(shape.required_members)
    is_union = bool(shape.metadata.get("union"))
    member_names = ", ".join(shape.members)

    def validate(value: Any, path: str, errors: list[FieldError]) -> None:
        if not isinstance(value, dict):
            errors.append(FieldError(path or shape.name, "Member must be a structure", value))
            return
        for name in required:
            if value.get(name) is None:
                errors.append(FieldError(_join(path, name), "Member must not be null"))
        set_members = 0
        for name, member_validator in members:
            member_value = value.get(name)
            if member_value is not None:
                set_members += 1
                # The member's path inline (f"{path}.{name}"): a call of _join per member
                # cost more than the check of a string member.
                member_validator(member_value, f"{path}.{name}" if path else name, errors)
        if is_union and set_members != 1:
            errors.append(
                FieldError(
                    path or shape.name,
                    f"Member must have exactly one of the following members set: {member_names}",
                    None
                    if set_members == 0
                    else ", ".join(sorted(k for k in value if k in shape.members)),
                )
            )

    return validate


def _list_validator(shape: ListShape, cache: dict[str, Validator]) -> Validator:
    member_validator = compile_validator(shape.member, cache)
    check_length = _length_checks(shape, "length")

    def validate(value: Any, path: str, errors: list[FieldError]) -> None:
        if not isinstance(value, list):
            errors.append(FieldError(path, "Member must be a list", value))
            return
        if check_length is not None:
            check_length(len(value), value, path, errors)
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if item is None:
                errors.append(FieldError(item_path, "Member must not be null"))
            else:
                member_validator(item, item_path, errors)

    return validate


def _map_validator(shape: MapShape, cache: dict[str, Validator]) -> Validator:
    key_validator = compile_validator(shape.key, cache)
    value_validator = compile_validator(shape.value, cache)
    check_length = _length_checks(shape, "length")

    def validate(value: Any, path: str, errors: list[FieldError]) -> None:
        if not isinstance(value, dict):
            errors.append(FieldError(path, "Member must be a map", value))
            return
        if check_length is not None:
            check_length(len(value), value, path, errors)
        for key, item in value.items():
            key_validator(key, path, errors)
            item_path = f"{path}.{key}"
            if item is None:
                errors.append(FieldError(item_path, "Member must not be null"))
            else:
                value_validator(item, item_path, errors)

    return validate


def _string_validator(shape: Shape) -> Validator:
    assert isinstance(shape, StringShape)
    enum = frozenset(shape.enum) if shape.enum else None
    enum_text = ", ".join(shape.enum) if shape.enum else ""
    raw_pattern = shape.metadata.get("pattern")
    pattern = java_pattern_to_python(raw_pattern) if raw_pattern else None
    check_length = _length_checks(shape, "length")
    # The bounds, to compare in place: check_length only reports (a call per string cost more
    # than the comparison).
    low = shape.metadata.get("min", 0)
    high = shape.metadata.get("max", math.inf)

    def validate(value: Any, path: str, errors: list[FieldError]) -> None:
        if not isinstance(value, str):
            errors.append(FieldError(path, "Member must be a string", value))
            return
        if enum is not None and value not in enum:
            errors.append(
                FieldError(path, f"Member must satisfy enum value set: [{enum_text}]", value)
            )
            return
        if check_length is not None and not low <= len(value) <= high:
            check_length(len(value), value, path, errors)
            return
        if pattern is not None and pattern.fullmatch(value) is None:
            errors.append(
                FieldError(
                    path, f"Member must satisfy regular expression pattern: {raw_pattern}", value
                )
            )

    return validate


def _number_validator(shape: Shape, *, integral: bool) -> Validator:
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    noun = "an integer" if integral else "a number"

    def validate(value: Any, path: str, errors: list[FieldError]) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(FieldError(path, f"Member must be {noun}", value))
            return
        if integral and not isinstance(value, int):
            errors.append(FieldError(path, f"Member must be {noun}", value))
            return
        if not integral and not math.isfinite(value):
            errors.append(FieldError(path, f"Member must be {noun}", value))
            return
        if low is not None and value < low:
            errors.append(FieldError(path, f"Member must be greater than or equal to {low}", value))
        elif high is not None and value > high:
            errors.append(FieldError(path, f"Member must be less than or equal to {high}", value))

    return validate


# ---------------------------------------------------------------------------------------------
# Serialisers (rest-json bodies)
# ---------------------------------------------------------------------------------------------


def compile_serializer(shape: Shape, cache: dict[str, Serializer] | None = None) -> Serializer:
    """Return ``serialize(value, path)`` producing the JSON value the model allows, nothing more.

    Members outside the shape are dropped; a missing required member raises OutputShapeError,
    because a response AWS could never send is worse than a loud failure.
    """
    return _compile(shape, {} if cache is None else cache, _build_serializer)


def _identity(value: Any, path: str) -> Any:
    return value


# How a member is written, cheapest first: as is; by a leaf converter that needs no path; by a
# nested serialiser, which gets the member's path (only errors use it, so leaves skip building it).
_AS_IS, _LEAF, _NESTED = 0, 1, 2


def _how(serializer: Serializer) -> int:
    if serializer is _identity:
        return _AS_IS
    return _LEAF if serializer in (_serialize_timestamp, _serialize_blob) else _NESTED


def _build_serializer(shape: Shape, cache: dict[str, Serializer]) -> Serializer:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure_serializer(shape, cache)
    if kind == "list":
        assert isinstance(shape, ListShape)
        item = compile_serializer(shape.member, cache)
        how = _how(item)
        if how == _AS_IS:
            return lambda value, path: list(value)
        if how == _LEAF:
            return lambda value, path: [item(v, path) for v in value]
        return lambda value, path: [item(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if kind == "map":
        assert isinstance(shape, MapShape)
        item = compile_serializer(shape.value, cache)
        how = _how(item)
        if how == _AS_IS:
            return lambda value, path: dict(value)
        if how == _LEAF:
            return lambda value, path: {k: item(v, path) for k, v in value.items()}
        return lambda value, path: {k: item(v, f"{path}.{k}") for k, v in value.items()}
    if kind == "timestamp":
        return _serialize_timestamp
    if kind == "blob":
        return _serialize_blob
    return _identity


def _structure_serializer(shape: StructureShape, cache: dict[str, Serializer]) -> Serializer:
    members = []
    for name, member in shape.members.items():
        member_serializer = compile_serializer(member, cache)
        wire_name = member.serialization.get("name", name)
        members.append((name, wire_name, member_serializer, _how(member_serializer)))
    required = frozenset(shape.required_members)

    def serialize(value: Any, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, wire_name, member_serializer, how in members:
            member_value = value.get(name)
            if member_value is None:
                if name in required:
                    raise OutputShapeError(
                        f"{shape.name} is missing required member {_join(path, name)}"
                    )
                continue
            if how == _AS_IS:
                out[wire_name] = member_value
            elif how == _LEAF:
                out[wire_name] = member_serializer(member_value, path)
            else:
                out[wire_name] = member_serializer(member_value, f"{path}.{name}" if path else name)
        return out

    return serialize


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MILLISECOND = timedelta(milliseconds=1)


def _serialize_timestamp(value: Any, path: str) -> float:
    """Epoch seconds, to the millisecond (truncated), as AWS's rest-json services send them."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return ((aware - _EPOCH) // _MILLISECOND) / 1000
    return float(value)


def _serialize_blob(value: Any, path: str) -> str:
    raw = value.encode("utf-8") if isinstance(value, str) else value
    return base64.b64encode(raw).decode("ascii")
