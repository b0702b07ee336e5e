"""Where a request goes: method + path -> operation, from each operation's ``requestUri`` in the
model. Who sends it (account and region) is :mod:`cleanrooms_mock.accounts`' to say: the
dispatcher is given that function, so every service the mock answers names the caller alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import UnknownOperation
from .model import Operation, operation, service_model

__all__ = ["find_operation"]


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    operation_name: str


def _compile_route(request_uri: str) -> tuple[re.Pattern[str], tuple[int, ...]]:
    path = request_uri.split("?", 1)[0]
    regex = ["^"]
    rank: list[int] = []
    for segment in path.strip("/").split("/"):
        regex.append("/")
        label = re.fullmatch(r"\{(\w+)(\+?)\}", segment)
        if label is None:
            regex.append(re.escape(segment))
            rank.append(0)
        elif label.group(2):
            regex.append(f"(?P<{label.group(1)}>.+)")
            rank.append(2)
        else:
            regex.append(f"(?P<{label.group(1)}>[^/]+)")
            rank.append(1)
    regex.append("/?$")
    return re.compile("".join(regex)), tuple(rank)


@lru_cache(maxsize=1)
def _routes() -> dict[str, list[_Route]]:
    model = service_model()
    ranked: dict[str, list[tuple[tuple[int, ...], _Route]]] = {}
    for name in model.operation_names:
        http = model.operation_model(name).http
        pattern, rank = _compile_route(http["requestUri"])
        ranked.setdefault(http["method"], []).append((rank, _Route(pattern, name)))
    # A literal segment beats a label at the same position (e.g. /a/b before /a/{x}).
    return {
        method: [route for _, route in sorted(entries, key=lambda e: e[0])]
        for method, entries in ranked.items()
    }


@lru_cache(maxsize=1)
def _literal_routes() -> dict[tuple[str, str], Operation]:
    """(method, path) -> operation for the routes without labels, each with and without the
    trailing slash its pattern allows. No route ranks before a literal one that matches a path
    in full (only shorter literal routes do, and they cannot match it): one dict lookup gives
    what the patterns would."""
    literal: dict[tuple[str, str], Operation] = {}
    for method, routes in _routes().items():
        for route in routes:
            if route.pattern.groupindex:
                continue
            path = service_model().operation_model(route.operation_name).http["requestUri"]
            path = "/" + path.split("?", 1)[0].strip("/")
            for variant in (path, path.rstrip("/") + "/"):
                literal.setdefault((method, variant), operation(route.operation_name))
    return literal


def find_operation(method: str, path: str) -> tuple[Operation, dict[str, str]]:
    """The operation serving ``method path`` and its (still percent-encoded) path labels."""
    method = method.upper()
    found = _literal_routes().get((method, path))
    if found is not None:
        return found, {}
    for route in _routes().get(method, ()):
        match = route.pattern.match(path)
        if match is not None:
            return operation(route.operation_name), match.groupdict()
    raise UnknownOperation(f"No Clean Rooms operation matches {method} {path}.")
