"""The one dispatcher: request -> operation -> a backend method found by name -> response.

An operation ``CreateMembership`` is served by the backend's public method
``create_membership`` (botocore's ``xform_name``). The method takes keyword-only snake_case
parameters for the input members it reads and ``**inputs`` (model names) for those it only
stores; the dispatcher binds them from the parsed request, once per operation from the method's
signature. It wraps what the method returns as the model says:

* no output members: an empty body (the method returns None);
* a paginated operation (botocore's ``paginators-1.json``): the method returns a listing, an
  object with ``page(scope, max_results, next_token)``; the dispatcher pages it with the
  paginator's limit and token and answers ``{result_key: page, output_token: token}``. The
  token's scope is the operation, the caller and every other input, so a token is refused
  anywhere but where it was issued;
* one output member: ``{member: result}``;
* else the method's dict of output members.

Values with a ``describe(viewer)`` method (entities) are rendered as the caller sees them; the
output shape then keeps what it allows. Routing, parsing, validation and serialisation come from
the model (:mod:`.model`, :mod:`.routing`). Nothing here knows the domain: the dispatcher is
given the implemented method names, who calls (``caller``) and a way to find the caller's
backend.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from botocore import xform_name

from .errors import CleanRoomsError, InternalServerError, NotImplementedOperation, RequestTooLarge
from .model import Operation, Response, operation, paginator, serialize_error, service_model
from .parsing import MAX_REQUEST_BYTES
from .routing import find_operation

__all__ = ["Binding", "Dispatcher", "binding", "render"]

log = logging.getLogger(__name__)

#: ``backend_for(account, region)``: the backend serving the caller (raises a CleanRoomsError,
#: e.g. UnsupportedRegion, when there is none).
BackendFor = Callable[[str, str], Any]
#: ``before(operation_name, declared_errors)``: runs first for every routed request (faults).
Before = Callable[[str, frozenset[str]], None]
#: ``caller(headers, url) -> (account, region)``: who sends a request (header names lower-case);
#: raises a CleanRoomsError for a caller that cannot be served.
Caller = Callable[[Mapping[str, str], str], tuple[str, str]]


def render(value: Any, viewer: str) -> Any:
    """``value`` for the output shape: entities described as ``viewer`` sees them, lists item by
    item, anything else as is."""
    describe = getattr(value, "describe", None)
    if describe is not None:
        return describe(viewer)
    if isinstance(value, list):
        return [render(item, viewer) for item in value]
    return value


@dataclass(frozen=True)
class _Paging:
    input_token: str
    output_token: str
    limit_key: str
    result_key: str


@dataclass(frozen=True)
class Binding:
    """How one operation calls its method: which keyword each input member goes to."""

    method: str
    #: Input member -> the keyword it is passed as (snake_case, or the member's own name when
    #: the method takes it through ``**inputs``). Paging members are the dispatcher's.
    keywords: Mapping[str, str]
    output: tuple[str, ...]
    paging: _Paging | None

    @classmethod
    def of(cls, operation: Operation, function: Callable[..., Any]) -> Binding:
        """The binding of ``operation`` to ``function``; TypeError when they cannot meet."""
        method = xform_name(operation.name)
        parameters = inspect.signature(function).parameters.values()
        named = {p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}
        stores = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)
        config = paginator(operation.name)
        paging = None
        if config is not None:
            paging = _Paging(
                config["input_token"],
                config["output_token"],
                config["limit_key"],
                config["result_key"],
            )
        reserved = {paging.input_token, paging.limit_key} if paging else set()
        keywords: dict[str, str] = {}
        for member in operation.input_members:
            if member in reserved:
                continue
            keyword = xform_name(member)
            if keyword in named:
                keywords[member] = keyword
            elif stores:
                keywords[member] = member
            else:
                raise TypeError(
                    f"{method}() takes neither the keyword {keyword!r} nor **inputs, so it cannot "
                    f"receive {operation.name}'s input member {member!r}"
                )
        return cls(method, keywords, operation.output_members, paging)

    def arguments(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The method's keyword arguments for the input members ``params`` (paging aside)."""
        keywords = self.keywords
        arguments: dict[str, Any] = {}
        for name, value in params.items():  # a loop: cheaper than a comprehension per call
            keyword = keywords.get(name)
            if keyword is not None:
                arguments[keyword] = value
        return arguments

    def call(self, target: Any, params: Mapping[str, Any], viewer: str) -> Any:
        """Call the method on ``target`` with ``params``; the operation's output, or None."""
        arguments = self.arguments(params)
        result = getattr(target, self.method)(**arguments)
        paging = self.paging
        if paging is not None:
            scope = "/".join(
                (self.method, viewer, json.dumps(arguments, sort_keys=True, default=str))
            )
            items, token = result.page(
                scope, params.get(paging.limit_key), params.get(paging.input_token)
            )
            return {
                paging.result_key: [render(item, viewer) for item in items],
                paging.output_token: token,
            }
        output = self.output
        if len(output) == 1:
            describe = getattr(result, "describe", None)
            return {output[0]: describe(viewer) if describe is not None else render(result, viewer)}
        if not output:
            return None
        return {name: render(value, viewer) for name, value in result.items()}


_bindings: dict[tuple[type, str], Binding] = {}


def binding(cls: type, operation_name: str) -> Binding:
    """How ``operation_name`` calls its method on ``cls``, worked out once."""
    key = (cls, operation_name)
    found = _bindings.get(key)
    if found is None:
        function = getattr(cls, xform_name(operation_name))
        found = _bindings[key] = Binding.of(operation(operation_name), function)
    return found


class Dispatcher:
    """Serves requests with the public methods named ``methods`` of the caller's backend."""

    def __init__(
        self,
        methods: Collection[str],
        backend_for: BackendFor,
        caller: Caller,
        before: Before | None = None,
    ) -> None:
        self._methods = frozenset(methods)
        self._backend_for = backend_for
        self._caller = caller
        self._before = before
        #: Operation name -> its binding to the backends' class (backend_for gives one class).
        self._bindings: dict[str, Binding] = {}

    @cached_property
    def operations(self) -> dict[str, str]:
        """Model operation name -> method name, for every operation a method serves."""
        return {
            name: xform_name(name)
            for name in service_model().operation_names
            if xform_name(name) in self._methods
        }

    def handle(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes,
        *,
        lowered: bool = False,
    ) -> Response:
        """Serve one Clean Rooms request; every failure becomes the error AWS would send.

        Header names may come in any case; a caller that lower-cased them says so (``lowered``).
        """
        if len(body) > MAX_REQUEST_BYTES:
            return serialize_error(RequestTooLarge("Request Entity Too Large"))
        parts = urlsplit(url)
        if not lowered:
            headers = {k.lower(): v for k, v in headers.items()}
        try:
            operation, path_params = find_operation(method, parts.path)
        except CleanRoomsError as error:
            return serialize_error(error)
        try:
            account, region = self._caller(headers, url)  # who calls is checked first, as on AWS
            if self._before is not None:
                self._before(operation.name, operation.declared_errors)
            params = operation.parse(path_params, parts.query, headers, body)
            return operation.serialize(self._serve(operation, params, account, region))
        except CleanRoomsError as error:
            return serialize_error(error)
        except Exception as error:  # a bug of ours (e.g. OutputShapeError): say so, like AWS would
            log.exception("cleanrooms-mock failed to serve %s", operation.name)
            return serialize_error(
                InternalServerError(
                    f"cleanrooms-mock internal error in {operation.name}: {error!r}"
                )
            )

    def call(self, operation_name: str, params: dict[str, Any], account: str, region: str) -> Any:
        """Serve ``operation_name`` with the input members ``params`` for ``account`` in
        ``region``, as :meth:`handle` serves a request (faults, validation, the backend
        method), for another AWS API that acts on Clean Rooms (the Resource Groups Tagging
        API). Returns the output members (None when there are none); raises CleanRoomsError.
        """
        served = operation(operation_name)
        if self._before is not None:
            self._before(served.name, served.declared_errors)
        return self._serve(served, params, account, region)

    def _serve(
        self, operation: Operation, params: dict[str, Any], account: str, region: str
    ) -> Any:
        operation.validate(params)
        operation.check_available(params)
        if operation.name not in self.operations:
            raise NotImplementedOperation(operation.name)
        backend = self._backend_for(account, region)
        bound = self._bindings.get(operation.name)
        if bound is None:
            bound = self._bindings[operation.name] = binding(type(backend), operation.name)
        return bound.call(backend, params, account)
