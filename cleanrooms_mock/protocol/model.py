"""The botocore service model, compiled: each operation's reading, validation and writing.

Everything here is derived from the ``cleanrooms`` model of the installed botocore, so an
operation or field AWS adds in a botocore release is routed, validated and serialised without a
line of code here. Work that depends only on the model (shape compilers, member locations) is
done once per operation, on its first call, and cached.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any
from urllib.parse import parse_qs, unquote

from botocore.loaders import Loader, create_loader
from botocore.model import OperationModel, ServiceModel, Shape, StructureShape

from .._ids import new_id
from .errors import CleanRoomsError, ValidationError
from .parsing import load_json, require_json, scalar
from .shapes import FieldError, Serializer, Validator, compile_serializer, compile_validator
from .withdrawn import Withdrawn, check_available, withdrawn_members

__all__ = [
    "SERVICE_NAME",
    "Operation",
    "Response",
    "operation",
    "paginator",
    "serialize_error",
    "service_model",
]

SERVICE_NAME = "cleanrooms"


@dataclass(slots=True)
class Response:
    """An HTTP answer, ready for botocore or a socket."""

    status: int
    headers: dict[str, str]
    body: bytes


@lru_cache(maxsize=1)
def _loader() -> Loader:
    return create_loader()


@lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """The installed botocore's Clean Rooms model, loaded once per process."""
    return ServiceModel(_loader().load_service_model(SERVICE_NAME, "service-2"), SERVICE_NAME)


@lru_cache(maxsize=1)
def _paginators() -> dict[str, dict[str, Any]]:
    document = _loader().load_service_model(SERVICE_NAME, "paginators-1")
    return dict(document.get("pagination", {}))


def paginator(operation_name: str) -> dict[str, Any] | None:
    """The operation's entry in botocore's ``paginators-1.json`` (``input_token``,
    ``output_token``, ``limit_key``, ``result_key``), or None when it does not paginate."""
    return _paginators().get(operation_name)


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

    @property
    def input_members(self) -> tuple[str, ...]:
        """The names of the input shape's members, in model order."""
        return tuple(self._input.members) if self._input is not None else ()

    @property
    def output_members(self) -> tuple[str, ...]:
        """The names of the output shape's members, in model order."""
        output = self.model.output_shape
        return tuple(output.members) if output is not None else ()

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
                params[name] = scalar(unquote(path_params[wire]), shape, name, errors)
        if self._query and query:
            values = parse_qs(query, keep_blank_values=True)
            for name, wire, shape in self._query:
                if wire not in values:
                    continue
                if shape.type_name == "list":
                    params[name] = values[wire]
                else:
                    params[name] = scalar(values[wire][0], shape, name, errors)
        if self._headers:
            lowered = {k.lower(): v for k, v in headers.items()}
            for name, wire, shape in self._headers:
                if wire in lowered:
                    params[name] = scalar(lowered[wire], shape, name, errors)
        if self._body:
            if body:
                require_json(headers)
            document = load_json(body)
            for name, wire in self._body:
                if wire in document:
                    params[name] = document[wire]
        if errors:
            raise ValidationError(fields=errors)
        return params

    def validate(self, params: dict[str, Any]) -> None:
        """Raise ValidationError naming every member that breaks a constraint of the model."""
        if self._validator is None:
            return
        errors: list[FieldError] = []
        self._validator(params, "", errors)
        if errors:
            raise ValidationError(fields=errors)

    @cached_property
    def _withdrawn(self) -> Withdrawn:
        return withdrawn_members(self._input)

    def check_available(self, params: Mapping[str, Any]) -> None:
        """Refuse a value the model documents as no longer available (:mod:`.withdrawn`):
        ValidationError naming the member. For requests only, after :meth:`validate`."""
        if self._withdrawn:  # most operations have no withdrawn value: no call for them
            check_available(self._withdrawn, params)

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
# No circular-reference check: a document is a fresh tree the serialisers built.
_encoder = json.JSONEncoder(separators=(",", ":"), check_circular=False)
_to_json_text = _encoder.encode
#: The C encoder json.JSONEncoder.encode builds anew for every call, built once (None where
#: the interpreter has no C accelerator: then encode() does the same in Python).
_make_c_encoder = getattr(json.encoder, "c_make_encoder", None)
_c_encode = (
    _make_c_encoder(
        None,
        _encoder.default,
        json.encoder.encode_basestring_ascii,
        None,
        ":",
        ",",
        False,
        False,
        True,
    )
    if _make_c_encoder is not None
    else None
)


def _to_json(document: Any) -> bytes:
    if _c_encode is not None and isinstance(document, dict):
        return "".join(_c_encode(document, 0)).encode("ascii")
    return _to_json_text(document).encode("ascii")


def _headers() -> dict[str, str]:
    return {"Content-Type": "application/json", "x-amzn-RequestId": new_id()}


@cache
def operation(name: str) -> Operation:
    """The operation called ``name`` in the model, built once."""
    return Operation(service_model().operation_model(name))
