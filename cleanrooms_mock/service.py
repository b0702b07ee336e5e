"""The botocore service model, turned into routing, parsing, validation and serialisation.

Everything here is derived from the ``cleanrooms`` model of the installed botocore, so an
operation or field AWS adds in a botocore release is routed, validated and serialised without a
line of code here. Work that depends only on the model (route regexes, shape compilers) is done
once per operation, on its first call, and cached.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any
from urllib.parse import parse_qs, unquote

from botocore.loaders import create_loader
from botocore.model import OperationModel, ServiceModel, Shape, StructureShape

from .exceptions import CleanRoomsError, ValidationError
from .models.entities import new_id
from .shapes import (
    FieldError,
    Serializer,
    Validator,
    compile_serializer,
    compile_validator,
)

__all__ = [
    "MAX_REQUEST_BYTES",
    "SERVICE_NAME",
    "NotImplementedOperation",
    "Operation",
    "RequestTooLarge",
    "Response",
    "SerializationError",
    "UnknownOperation",
    "UnsupportedMediaType",
    "UnsupportedRegion",
    "find_operation",
    "operation",
    "service_model",
]

SERVICE_NAME = "cleanrooms"
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
#: The largest request body served. AWS documents no Clean Rooms figure; 10 MiB is the payload
#: limit of AWS's API front doors (API Gateway), far above any valid Clean Rooms input.
MAX_REQUEST_BYTES = 10 * 1024 * 1024


@dataclass(slots=True)
class Response:
    """An HTTP answer, ready for botocore or a socket."""

    status: int
    headers: dict[str, str]
    body: bytes


class SerializationError(CleanRoomsError):
    """The request body is not JSON of the expected kind (what AWS answers for malformed JSON)."""

    code = "SerializationException"
    status = 400


class UnsupportedMediaType(CleanRoomsError):
    """A body that is not declared as JSON, for an operation whose input has body members.

    What restJson1 servers answer (Smithy's malformed-request protocol tests
    ``RestJsonWithBodyExpectsApplicationJsonContentType`` and ``...NoHeaders``: 415).
    """

    code = "UnsupportedMediaTypeException"
    status = 415


class RequestTooLarge(CleanRoomsError):
    """A request body above :data:`MAX_REQUEST_BYTES`."""

    code = "RequestEntityTooLargeException"
    status = 413


class UnknownOperation(CleanRoomsError):
    """No operation of the model has this method and path."""

    code = "UnknownOperationException"
    status = 404


class NotImplementedOperation(CleanRoomsError):
    """The model has the operation, cleanrooms-mock does not implement it yet."""

    code = "NotImplemented"
    # 501 is not retried by botocore (unlike 500), so an unimplemented call fails at once.
    status = 501

    def __init__(self, operation_name: str) -> None:
        super().__init__(
            f"cleanrooms-mock does not implement the Clean Rooms operation {operation_name} yet. "
            "See the README for the list of implemented operations."
        )


class UnsupportedRegion(CleanRoomsError):
    """A region where AWS Clean Rooms has no endpoint (per botocore's endpoint data)."""

    code = "UnsupportedRegion"
    # Not retried by botocore: the call fails at once with a message that says why.
    status = 400

    def __init__(self, region: str) -> None:
        super().__init__(
            f"AWS Clean Rooms is not available in region {region!r}; use a region where it runs "
            "(botocore's endpoint data lists them)."
        )


@lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """The installed botocore's Clean Rooms model, loaded once per process."""
    loader = create_loader()
    return ServiceModel(loader.load_service_model(SERVICE_NAME, "service-2"), SERVICE_NAME)


# Compiled validators and serialisers, shared by every operation that uses a shape.
_validator_cache: dict[str, Validator] = {}
_serializer_cache: dict[str, Serializer] = {}
_compile_lock = threading.Lock()


class Operation:
    """One operation of the model: how to read its request and write its answers."""

    def __init__(self, model: OperationModel) -> None:
        self.model = model
        self.name: str = model.name
        self.method: str = model.http["method"]
        self.status: int = model.http.get("responseCode", 200)
        self.declared_errors = frozenset(shape.name for shape in model.error_shapes)
        shape = model.input_shape
        self._input: StructureShape | None = shape if isinstance(shape, StructureShape) else None
        self._uri: list[tuple[str, str, Shape]] = []
        self._query: list[tuple[str, str, Shape]] = []
        self._headers: list[tuple[str, str, Shape]] = []
        self._body: list[tuple[str, str]] = []
        if self._input is not None:
            for name, member in self._input.members.items():
                wire = member.serialization.get("name", name)
                location = member.serialization.get("location")
                if location == "uri":
                    self._uri.append((name, wire, member))
                elif location == "querystring":
                    self._query.append((name, wire, member))
                elif location == "header":
                    self._headers.append((name, wire.lower(), member))
                elif location is None:
                    self._body.append((name, wire))

    @cached_property
    def _validator(self) -> Validator | None:
        if self._input is None:
            return None
        with _compile_lock:
            return compile_validator(self._input, _validator_cache)

    @cached_property
    def _serializer(self) -> Serializer | None:
        output = self.model.output_shape
        if output is None or not output.members:
            return None
        with _compile_lock:
            return compile_serializer(output, _serializer_cache)

    def parse(
        self, path_params: Mapping[str, str], query: str, headers: Mapping[str, str], body: bytes
    ) -> dict[str, Any]:
        """Read the request into input-shape members; wrongly typed scalars become field errors."""
        params: dict[str, Any] = {}
        errors: list[FieldError] = []
        for name, wire, shape in self._uri:
            if wire in path_params:
                params[name] = self._scalar(unquote(path_params[wire]), shape, name, errors)
        if self._query and query:
            values = parse_qs(query, keep_blank_values=True)
            for name, wire, shape in self._query:
                if wire not in values:
                    continue
                if shape.type_name == "list":
                    params[name] = values[wire]
                else:
                    params[name] = self._scalar(values[wire][0], shape, name, errors)
        if self._headers:
            lowered = {k.lower(): v for k, v in headers.items()}
            for name, wire, shape in self._headers:
                if wire in lowered:
                    params[name] = self._scalar(lowered[wire], shape, name, errors)
        if self._body:
            if body:
                _require_json(headers)
            document = _load_json(body)
            for name, wire in self._body:
                if wire in document:
                    params[name] = document[wire]
        if errors:
            raise ValidationError(fields=errors)
        return params

    @staticmethod
    def _scalar(text: str, shape: Shape, name: str, errors: list[FieldError]) -> Any:
        kind = shape.type_name
        if kind in ("integer", "long"):
            # Plain ASCII digits only: Python's int() would also take "1_0", " 7" or "٣".
            if _INTEGER_TEXT.fullmatch(text):
                return int(text)
            errors.append(FieldError(name, "Member must be an integer", text))
        elif kind == "boolean":
            if text in ("true", "false"):
                return text == "true"
            errors.append(FieldError(name, "Member must be a boolean", text))
        elif kind in ("double", "float"):
            try:
                return float(text)
            except ValueError:
                errors.append(FieldError(name, "Member must be a number", text))
        return text

    def validate(self, params: dict[str, Any]) -> None:
        """Raise ValidationError naming every member that breaks a constraint of the model."""
        if self._validator is None:
            return
        errors: list[FieldError] = []
        self._validator(params, "", errors)
        if errors:
            raise ValidationError(fields=errors)

    def serialize(self, result: Mapping[str, Any] | None) -> Response:
        """Write a result through the output shape (extra members dropped, required enforced)."""
        if self._serializer is None or result is None:
            return Response(self.status, _headers(), b"")
        document = self._serializer(result, "")
        return Response(self.status, _headers(), _to_json(document))


def serialize_error(error: CleanRoomsError) -> Response:
    """Write an error as rest-json does: status and members from its error shape in the model."""
    status, serializer = _error_writer(error.code)
    if serializer is not None:
        body = serializer(error.body(), "")
    else:  # not a modeled error: UnknownOperation, SerializationError, ...
        status = getattr(error, "status", status)
        body = {"message": error.message}
    headers = _headers()
    headers["x-amzn-ErrorType"] = error.code
    return Response(status, headers, _to_json(body))


@cache
def _error_writer(code: str) -> tuple[int, Serializer | None]:
    """The HTTP status and body serialiser of the model's error shape ``code``, looked up once."""
    try:
        shape = service_model().shape_for(code)
    except Exception:
        return 400, None
    with _compile_lock:
        serializer = compile_serializer(shape, _serializer_cache)
    return shape.metadata.get("error", {}).get("httpStatusCode", 400), serializer


# Compact, as AWS writes its bodies (and less for botocore to read back).
# ASCII with escapes: a lone surrogate a client sent in a string cannot break the encoding.
_to_json_text = json.JSONEncoder(separators=(",", ":")).encode


def _to_json(document: Any) -> bytes:
    return _to_json_text(document).encode("ascii")


def _headers() -> dict[str, str]:
    return {"Content-Type": "application/json", "x-amzn-RequestId": new_id()}


def _require_json(headers: Mapping[str, str]) -> None:
    declared = headers.get("content-type", "")
    media_type = declared.split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType(
            f"Unsupported Content-Type {declared!r}: this operation takes an application/json body."
            if declared
            else "Missing Content-Type: this operation takes an application/json body."
        )


def _load_json(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise SerializationError("The request body is not valid JSON.") from None
    if not isinstance(document, dict):
        raise SerializationError("The request body must be a JSON object.")
    return document


@cache
def operation(name: str) -> Operation:
    """The operation called ``name`` in the model, built once."""
    return Operation(service_model().operation_model(name))


# ---------------------------------------------------------------------------------------------
# Routing: method + path -> operation, from each operation's requestUri.
# ---------------------------------------------------------------------------------------------


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


def find_operation(method: str, path: str) -> tuple[Operation, dict[str, str]]:
    """The operation serving ``method path`` and its (still percent-encoded) path labels."""
    for route in _routes().get(method.upper(), ()):
        match = route.pattern.match(path)
        if match is not None:
            return operation(route.operation_name), match.groupdict()
    raise UnknownOperation(f"No Clean Rooms operation matches {method.upper()} {path}.")
