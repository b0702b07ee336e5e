"""Hypothesis strategies for Clean Rooms requests, derived from the installed botocore model.

Nothing here names an operation: every operation of the model (88 in botocore 1.43, 103 in 1.44)
gets its requests from its input shape. ``valid`` values satisfy the shape (required members,
enums, lengths, patterns, ranges, list and map sizes, one member per union); ``invalid`` values
break it at one place, at any depth (a required member dropped, a wrong JSON type, a length or
range out of bounds, a value outside the enum or the pattern, an unknown member, two members of a
union, a huge or exotic string). Both are only *likely* valid or invalid: the fuzz tests assert
that every answer is one the model allows, whatever the input turned out to be.

Identifier members (``collaborationIdentifier``, ``membershipIdentifier``,
``configuredTableIdentifier``, ``resourceArn``, ``accountId``) also draw the ids of
:data:`SEED_STATE`, so requests get past routing and the
access checks to the business rules.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache, partial
from typing import Any
from urllib.parse import quote, urlencode

from botocore.model import ListShape, MapShape, OperationModel, Shape, StringShape, StructureShape
from helpers import CREATOR, MEMBER_A, MEMBER_B, RAW_HEADERS, REGION, STRANGER
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cleanrooms_mock.protocol.model import service_model
from cleanrooms_mock.protocol.shapes import java_pattern_to_python

__all__ = [
    "EXAMPLES",
    "FUZZ",
    "SEED_STATE",
    "STEPS",
    "RawRequest",
    "invalid",
    "operation_names",
    "raw_request_for",
    "request_params",
    "valid",
]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


#: Examples per operation and test (CI default); CLEANROOMS_FUZZ_EXAMPLES=500 for a long run.
EXAMPLES = _env_int("CLEANROOMS_FUZZ_EXAMPLES", 10)
#: Steps per run of the stateful machine; CLEANROOMS_FUZZ_STEPS=100 for a long run.
STEPS = _env_int("CLEANROOMS_FUZZ_STEPS", 25)

settings.register_profile(
    "cleanrooms-fuzz",
    max_examples=EXAMPLES,
    deadline=None,  # a huge string takes a while to encode and sign: no per-example deadline
    derandomize=False,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,  # from_regex filters for lookaheads (S3 bucket names)
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)
#: The settings every fuzz test runs under (examples from CLEANROOMS_FUZZ_EXAMPLES).
FUZZ = settings.get_profile("cleanrooms-fuzz")
UTC = timezone.utc

# ---- the seeded state: ids a request can name -------------------------------------------------


def _uuid(n: int) -> str:
    return f"c0ffee00-0000-4000-8000-{n:012x}"


OWN, INVITED, JOINED, REMOVED, DELETED, LEFT = (_uuid(n) for n in range(1, 7))
M_OWN, M_JOINED, M_REMOVED, M_DELETED, M_LEFT, M_MEMBER_A = (_uuid(n) for n in range(0xA1, 0xA7))
#: Configured tables: CREATOR's with a CUSTOM rule, CREATOR's without a rule, MEMBER_A's.
T_RULED, T_BARE, T_MEMBER_A = (_uuid(n) for n in range(0xC1, 0xC4))
_S3_RESULTS = {"outputConfiguration": {"s3": {"resultFormat": "CSV", "bucket": "results-bucket"}}}


def _collaboration(
    collaboration_id: str,
    creator: str,
    creator_abilities: list[str],
    members: list[tuple[str, list[str], str | None]],
    memberships: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": collaboration_id,
        "creatorAccountId": creator,
        "name": f"seeded {collaboration_id[-2:]}",
        "description": "seeded for the fuzz tests",
        "creatorDisplayName": "Creator",
        "creatorMemberAbilities": creator_abilities,
        "queryLogStatus": "ENABLED",
        "members": [
            {"accountId": account, "displayName": f"Member {account[:3]}", "memberAbilities": a}
            | ({"status": status} if status else {})
            for account, a, status in members
        ],
        "memberships": memberships,
        **extra,
    }


def _membership(membership_id: str, account: str, **extra: Any) -> dict[str, Any]:
    return {"id": membership_id, "accountId": account, "queryLogStatus": "ENABLED", **extra}


def _configured_table(table_id: str, account: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": table_id,
        "accountId": account,
        "name": f"seeded {table_id[-2:]}",
        "tableReference": {"glue": {"databaseName": "sales", "tableName": "orders"}},
        "allowedColumns": ["user_id", "email", "amount"],
        "analysisMethod": "DIRECT_QUERY",
        **extra,
    }


#: CREATOR's view: a collaboration it created (joined, MEMBER_A joined, MEMBER_B invited), one it is
#: invited to, one it joined as a receiver of results, one it was removed from, one deleted by its
#: creator, one it left; configured tables (loaded without Glue tables behind them) of its own,
#: with and without an analysis rule, and one of MEMBER_A's.
SEED_STATE: dict[str, Any] = {
    "version": 1,
    "regions": {
        REGION: {
            "collaborations": [
                _collaboration(
                    OWN,
                    CREATOR,
                    ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
                    [(MEMBER_A, [], None), (MEMBER_B, ["CAN_RECEIVE_RESULTS"], None)],
                    [_membership(M_OWN, CREATOR), _membership(M_MEMBER_A, MEMBER_A)],
                    tags={"team": "ads"},
                ),
                _collaboration(INVITED, MEMBER_A, ["CAN_QUERY"], [(CREATOR, [], None)], []),
                _collaboration(
                    JOINED,
                    MEMBER_B,
                    ["CAN_QUERY"],
                    [(CREATOR, ["CAN_RECEIVE_RESULTS"], None)],
                    [_membership(M_JOINED, CREATOR, defaultResultConfiguration=_S3_RESULTS)],
                ),
                _collaboration(
                    REMOVED,
                    MEMBER_B,
                    ["CAN_QUERY"],
                    [(CREATOR, [], "REMOVED")],
                    [_membership(M_REMOVED, CREATOR, status="REMOVED")],
                ),
                _collaboration(
                    DELETED,
                    CREATOR,
                    ["CAN_QUERY"],
                    [(MEMBER_A, [], None)],
                    [_membership(M_DELETED, CREATOR, status="COLLABORATION_DELETED")],
                    deleted=True,
                ),
                _collaboration(
                    LEFT,
                    MEMBER_A,
                    ["CAN_QUERY"],
                    [(CREATOR, [], "LEFT")],
                    [_membership(M_LEFT, CREATOR, deleted=True)],
                ),
            ],
            "configuredTables": [
                _configured_table(
                    T_RULED,
                    CREATOR,
                    tags={"team": "data"},
                    analysisRule={
                        "analysisRuleType": "CUSTOM",
                        "analysisRulePolicy": {"v1": {"custom": {"allowedAnalyses": []}}},
                    },
                ),
                _configured_table(T_BARE, CREATOR),
                _configured_table(T_MEMBER_A, MEMBER_A),
            ],
        }
    },
}


def _arn(account: str, resource: str) -> str:
    return f"arn:aws:cleanrooms:{REGION}:{account}:{resource}"


_COLLABORATION_CREATORS = {
    OWN: CREATOR,
    INVITED: MEMBER_A,
    JOINED: MEMBER_B,
    REMOVED: MEMBER_B,
    DELETED: CREATOR,
    LEFT: MEMBER_A,
}
_MEMBERSHIP_ACCOUNTS = {
    M_OWN: CREATOR,
    M_JOINED: CREATOR,
    M_REMOVED: CREATOR,
    M_DELETED: CREATOR,
    M_LEFT: CREATOR,
    M_MEMBER_A: MEMBER_A,
}
_TABLE_ACCOUNTS = {T_RULED: CREATOR, T_BARE: CREATOR, T_MEMBER_A: MEMBER_A}
#: Values an identifier member draws besides generated ones, by member name.
KNOWN: dict[str, list[str]] = {
    "collaborationIdentifier": list(_COLLABORATION_CREATORS),
    "membershipIdentifier": list(_MEMBERSHIP_ACCOUNTS),
    "configuredTableIdentifier": list(_TABLE_ACCOUNTS),
    "resourceArn": [_arn(a, f"collaboration/{c}") for c, a in _COLLABORATION_CREATORS.items()]
    + [_arn(a, f"membership/{m}") for m, a in _MEMBERSHIP_ACCOUNTS.items()]
    + [_arn(a, f"configuredtable/{t}") for t, a in _TABLE_ACCOUNTS.items()],
    "accountId": [CREATOR, MEMBER_A, MEMBER_B, STRANGER],
}

# ---- valid values -----------------------------------------------------------------------------

#: Entries a generated list or map has beyond its minimum (keeps requests small and fast).
_EXTRA_ITEMS = 3
#: Characters a generated string has beyond its minimum when the model sets no tighter maximum.
_EXTRA_CHARS = 40
#: Generation only: hypothesis builds a regex character class one code point at a time, and the
#: astral range (U+10000-U+10FFFF, what Java's surrogate pairs mean) costs it seconds per
#: pattern. Drawing astral characters from the emoji block keeps the values valid and the build
#: fast; validation (cleanrooms_mock.shapes) still sees the whole range.
_ASTRAL = "\U00010000-\U0010ffff"
_ASTRAL_SAMPLE = "\U0001f300-\U0001f6ff"


def operation_names() -> list[str]:
    """Every operation of the installed model."""
    return sorted(service_model().operation_names)


def _shape(name: str) -> Shape:
    return service_model().shape_for(name)


def valid(shape: Shape, member: str = "") -> st.SearchStrategy[Any]:
    """Values that satisfy ``shape`` (``member``: the member name, for identifier hints)."""
    return _valid(shape.name, member if member in KNOWN else "")


@cache
def _valid(name: str, hint: str) -> st.SearchStrategy[Any]:
    shape = _shape(name)
    kind = shape.type_name
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        members = {
            # deferred: a shape that contains itself is only expanded as far as it is drawn
            member: st.deferred(lambda s=member_shape, m=member: valid(s, m))
            for member, member_shape in shape.members.items()
        }
        if shape.metadata.get("union"):
            return st.one_of([st.fixed_dictionaries({m: s}) for m, s in members.items()])
        required = set(shape.required_members)
        return st.fixed_dictionaries(
            {m: s for m, s in members.items() if m in required},
            optional={m: s for m, s in members.items() if m not in required},
        )
    if kind == "list":
        assert isinstance(shape, ListShape)
        return st.lists(
            valid(shape.member), min_size=low or 0, max_size=_cap(low, high, _EXTRA_ITEMS)
        )
    if kind == "map":
        assert isinstance(shape, MapShape)
        return st.dictionaries(
            valid(shape.key),
            valid(shape.value),
            min_size=low or 0,
            max_size=_cap(low, high, _EXTRA_ITEMS),
        )
    if kind == "string":
        strings = _valid_string(shape)
        if not hint:
            return strings
        known = st.sampled_from(KNOWN[hint])
        return st.one_of(known, known, known, strings)  # mostly a real id: past the access checks
    if kind in ("integer", "long", "short", "byte"):
        return st.integers(
            min_value=low if low is not None else -(2**31),
            max_value=high if high is not None else 2**31 - 1,
        )
    if kind in ("double", "float"):
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(
            min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
        )
    if kind == "blob":
        return st.binary(min_size=low or 0, max_size=_cap(low, high, 32))
    return _json_values  # document


def _enum(shape: Shape) -> list[str]:
    return list(shape.enum) if isinstance(shape, StringShape) and shape.enum else []


def _cap(low: int | None, high: int | None, extra: int) -> int:
    ceiling = (low or 0) + extra
    return ceiling if high is None else min(high, ceiling)


def _valid_string(shape: Shape) -> st.SearchStrategy[str]:
    low = shape.metadata.get("min") or 0
    high = shape.metadata.get("max")
    if _enum(shape):
        return st.sampled_from(_enum(shape))
    pattern = shape.metadata.get("pattern")
    if pattern:
        return _pattern_strings(pattern, low, high)
    return st.text(min_size=low, max_size=_cap(low, high, _EXTRA_CHARS))


@cache
def _pattern_strings(pattern: str, low: int, high: int | None) -> st.SearchStrategy[str]:
    """Strings matching the model's (Java) pattern, fitted to its length limits where possible."""
    try:
        regex = java_pattern_to_python(pattern)
        sample = re.compile(regex.pattern.replace(_ASTRAL, _ASTRAL_SAMPLE), regex.flags)
        strategy = st.from_regex(sample, fullmatch=True)
        strategy.validate()
    except Exception:  # a construct hypothesis cannot generate from: any text, then
        return st.text(min_size=low, max_size=_cap(low, high, _EXTRA_CHARS))
    return strategy.map(partial(_fit, regex, low, high))


def _fit(regex: re.Pattern[str], low: int, high: int | None, text: str) -> str:
    """``text`` repeated or cut to the length limits, if it still matches; else as drawn."""
    fitted = text
    if len(fitted) < low and fitted:
        fitted *= low // len(fitted) + 1
    if high is not None:
        fitted = fitted[:high]
    return fitted if regex.fullmatch(fitted) else text


_json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
_json_values: st.SearchStrategy[Any] = st.recursive(
    _json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)

# ---- invalid values ---------------------------------------------------------------------------

#: JSON types, for "a value of another type than the shape's".
_BY_JSON_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(max_size=6),
    "number": st.one_of(st.integers(-(10**20), 10**20), st.floats(allow_infinity=False)),
    "boolean": st.booleans(),
    "array": st.lists(st.integers(0, 9), max_size=2),
    "object": st.dictionaries(st.text(max_size=4), st.integers(0, 9), max_size=2),
}
_JSON_TYPE = {
    "structure": "object",
    "map": "object",
    "list": "array",
    "string": "string",
    "blob": "string",
    "boolean": "boolean",
    "integer": "number",
    "long": "number",
    "short": "number",
    "byte": "number",
    "double": "number",
    "float": "number",
    "timestamp": "number",
}
#: Strings that break most patterns: empty, blank, control, path, bidi and astral characters.
_ODD_STRINGS = [
    "",
    " ",
    "\t\n",
    "\x00",
    "../../etc/passwd",
    "%2F%00",
    "a/b?c#d",
    "\u202egnp.exe",
    "Ωmega",
    "\U0001d54f\U0001d550\u2124",  # mathematical double-struck XYZ
    "😀" * 3,
    "'; DROP TABLE collaborations; --",
    '{"json": true}',
    "\ud800",  # a lone surrogate: valid JSON (escaped), not valid UTF-8
]
#: Huge strings, kept well under the 10 MiB request limit once JSON-escaped.
_HUGE_STRINGS = st.sampled_from([("x", 2**20), ("é", 2**17), ("😀", 2**16)]).map(
    lambda unit_count: unit_count[0] * unit_count[1]
)


def invalid(shape: Shape, member: str = "") -> st.SearchStrategy[Any]:
    """Values that (most likely) break ``shape`` at one place, at this depth or deeper."""
    return _invalid(shape.name, member if member in KNOWN else "")


def _wrong_type(kind: str) -> st.SearchStrategy[Any]:
    own = _JSON_TYPE.get(kind)
    return st.one_of([s for json_type, s in _BY_JSON_TYPE.items() if json_type != own])


@cache
def _invalid(name: str, hint: str) -> st.SearchStrategy[Any]:
    shape = _shape(name)
    kind = shape.type_name
    low = shape.metadata.get("min")
    high = shape.metadata.get("max")
    options: list[st.SearchStrategy[Any]] = [_wrong_type(kind)]
    if kind == "structure":
        options += [_broken_structure(name, hint)] * 3  # mostly: break it inside
    elif kind == "list":
        options.append(_broken_list(name))
        options.append(_broken_list(name))
    elif kind == "map":
        options.append(_broken_map(name))
        options.append(_broken_map(name))
    elif kind == "string":
        options += _broken_strings(shape)
    elif kind in ("integer", "long", "short", "byte", "double", "float"):
        options.append(st.sampled_from([-(2**64), 2**64, 10**30, 1.5, "12", float("nan")]))
        if low is not None:
            options.append(st.integers(max_value=low - 1))
        if high is not None:
            options.append(st.integers(min_value=high + 1))
    elif kind == "boolean":
        options.append(st.sampled_from(["true", "false", 0, 1, "yes"]))
    elif kind == "timestamp":
        options.append(st.sampled_from(["not a timestamp", "2025-13-45T99:00:00Z", -1e300]))
    return st.one_of(options)


def _broken_strings(shape: Shape) -> list[st.SearchStrategy[Any]]:
    low = shape.metadata.get("min") or 0
    high = shape.metadata.get("max")
    broken: list[st.SearchStrategy[Any]] = [
        st.sampled_from(_ODD_STRINGS),
        st.text(st.characters(min_codepoint=0x80), min_size=max(low, 1), max_size=low + 12),
        _HUGE_STRINGS,
    ]
    enum = _enum(shape)
    if enum:
        broken.append(st.sampled_from(enum).map(str.lower))
        broken.append(st.text(max_size=12).map(lambda s: s if s not in enum else s + "?"))
    if low > 0:
        broken.append(st.text(max_size=low - 1))
    if high is not None:
        broken.append(st.integers(high + 1, high + 5).map(lambda n: "y" * n))
    if shape.metadata.get("pattern"):
        # Text of an allowed length: past the length check, most of it breaks the pattern.
        broken.append(st.text(min_size=low, max_size=_cap(low, high, 12)))
    return broken


@st.composite
def _broken_structure(draw: st.DrawFn, name: str, hint: str) -> Any:
    shape = _shape(name)
    assert isinstance(shape, StructureShape)
    value = dict(draw(_valid(name, hint)))
    members = list(shape.members)
    ways = ["deeper", "deeper", "unknown member"]
    if shape.required_members:
        ways.append("drop required")
    if shape.metadata.get("union") and len(members) >= 2:
        ways.append("two union members")
    way = draw(st.sampled_from(ways))
    if way == "drop required":
        value.pop(draw(st.sampled_from(shape.required_members)), None)
    elif way == "unknown member":
        extra = draw(st.text(min_size=1, max_size=12).map(lambda k: "x" + k))
        value[extra if extra not in shape.members else extra + "_"] = draw(_json_scalars)
    elif way == "two union members":
        for member in draw(st.lists(st.sampled_from(members), min_size=2, max_size=2, unique=True)):
            value[member] = draw(valid(shape.members[member], member))
    elif members:
        member = draw(st.sampled_from(members))
        value[member] = draw(invalid(shape.members[member], member))
    return value


@st.composite
def _broken_list(draw: st.DrawFn, name: str) -> Any:
    shape = _shape(name)
    assert isinstance(shape, ListShape)
    item_shape = shape.member
    low = shape.metadata.get("min") or 0
    high = shape.metadata.get("max")
    items = list(draw(_valid(name, "")))
    ways = ["deeper", "deeper", "null item"]
    if high is not None and high <= 1000:
        ways.append("too long")
    if low > 0:
        ways.append("too short")
    way = draw(st.sampled_from(ways))
    if way == "too long":
        return [draw(valid(item_shape))] * (high + 1)
    if way == "too short":
        return items[: low - 1]
    position = draw(st.integers(0, len(items)))
    items.insert(position, None if way == "null item" else draw(invalid(item_shape)))
    return items


@st.composite
def _broken_map(draw: st.DrawFn, name: str) -> Any:
    shape = _shape(name)
    assert isinstance(shape, MapShape)
    key_shape, value_shape = shape.key, shape.value
    low = shape.metadata.get("min") or 0
    high = shape.metadata.get("max")
    entries = dict(draw(_valid(name, "")))
    ways = ["bad key", "bad value", "null value"]
    if high is not None and high <= 1000:
        ways.append("too many")
    if low > 0:
        ways.append("too few")
    way = draw(st.sampled_from(ways))
    if way == "too many":
        item = draw(valid(value_shape))
        return {f"k{i}": item for i in range(high + 1)}
    if way == "too few":
        return dict(list(entries.items())[: low - 1])
    if way == "bad key":  # JSON keys are strings: break the key's length, pattern or enum
        entries[draw(st.one_of(_broken_strings(key_shape)[:2]))] = draw(valid(value_shape))
    else:
        key = draw(valid(key_shape))
        entries[key] = None if way == "null value" else draw(invalid(value_shape))
    return entries


# ---- requests ---------------------------------------------------------------------------------


def _input(name: str) -> StructureShape | None:
    shape = service_model().operation_model(name).input_shape
    return shape if isinstance(shape, StructureShape) else None


@cache
def request_params(name: str) -> st.SearchStrategy[dict[str, Any]]:
    """The input members of a request for operation ``name``: valid, or broken somewhere."""
    shape = _input(name)
    if shape is None:
        return st.just({})
    return st.one_of(valid(shape), _broken_structure(shape.name, ""))


@dataclass(frozen=True)
class RawRequest:
    """An HTTP request as a rest-json client would send it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def _wire_scalar(value: Any) -> str:
    """A path, query or header value as text (wrong types as their JSON rendering)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(_jsonable(value))


def _jsonable(value: Any) -> Any:
    """``value`` as JSON: timestamps as epoch seconds, blobs base64-encoded (rest-json)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def raw_request_for(name: str, params: dict[str, Any]) -> RawRequest:
    """The HTTP request for operation ``name`` with input ``params``, as rest-json lays it out.

    Path labels are percent-encoded (a missing one renders empty, and may route elsewhere),
    querystring members go to the query string, header members to headers, the rest to a JSON
    body (present whenever the input has body members).
    """
    model: OperationModel = service_model().operation_model(name)
    shape = _input(name)
    members = shape.members if shape is not None else {}
    uri, _, literal_query = model.http["requestUri"].partition("?")
    labels: dict[str, str] = {}
    query: list[tuple[str, str]] = [] if not literal_query else [(literal_query, "")]
    headers = dict(RAW_HEADERS)
    body: dict[str, Any] = {}
    has_body = False
    for member, member_shape in members.items():
        location = member_shape.serialization.get("location")
        wire = member_shape.serialization.get("name", member)
        has_body = has_body or location is None
        if member not in params or params[member] is None:
            continue
        value = params[member]
        if location == "uri":
            labels[wire] = _wire_scalar(value)
        elif location == "querystring":
            values = value if isinstance(value, list) else [value]
            query += [(wire, _wire_scalar(v)) for v in values]
        elif location == "header":
            headers[wire] = _wire_scalar(value)
        elif location is None:
            body[wire] = _jsonable(value)
    for member, value in params.items():  # members the shape does not have: into the body
        if member not in members:
            body[member] = _jsonable(value)
            has_body = True

    def label(match: re.Match[str]) -> str:
        text = labels.get(match.group(1), "")
        safe = "/~" if match.group(2) else ""
        return quote(text, safe=safe, errors="surrogatepass")

    path = re.sub(r"\{(\w+)(\+?)\}", label, uri)
    if query:
        path += "?" + urlencode(query, errors="surrogatepass")
    data = json.dumps(body).encode("utf-8") if has_body else b""
    return RawRequest(model.http["method"], path, headers, data)


#: Changes to an otherwise well-formed HTTP request that only the protocol layer sees.
PROTOCOL_MUTATIONS: dict[str, Callable[[RawRequest], RawRequest]] = {
    "as is": lambda r: r,
    "no content type": lambda r: RawRequest(
        r.method, r.path, {k: v for k, v in r.headers.items() if k != "Content-Type"}, r.body
    ),
    "text/plain": lambda r: RawRequest(
        r.method, r.path, {**r.headers, "Content-Type": "text/plain"}, r.body
    ),
    "json with charset": lambda r: RawRequest(
        r.method, r.path, {**r.headers, "Content-Type": "application/json; charset=utf-8"}, r.body
    ),
    "body not json": lambda r: RawRequest(r.method, r.path, r.headers, b"{not json"),
    "body a json array": lambda r: RawRequest(r.method, r.path, r.headers, b"[1, 2]"),
    "body not utf-8": lambda r: RawRequest(r.method, r.path, r.headers, b'{"a": "\xff\xfe"}'),
    "body truncated": lambda r: RawRequest(r.method, r.path, r.headers, r.body[: len(r.body) // 2]),
    "trailing slash": lambda r: RawRequest(
        r.method, r.path.replace("?", "/?", 1) if "?" in r.path else r.path + "/", r.headers, r.body
    ),
    "lower-case method": lambda r: RawRequest(r.method.lower(), r.path, r.headers, r.body),
    "other method": lambda r: RawRequest(
        "PUT" if r.method != "PUT" else "GET", r.path, r.headers, r.body
    ),
    "no authorization": lambda r: RawRequest(
        r.method, r.path, {k: v for k, v in r.headers.items() if k != "Authorization"}, r.body
    ),
}
