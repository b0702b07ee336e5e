"""The administration endpoints of the server, under ``/_cleanrooms_mock``.

``health``, ``reset``, ``state`` (GET dump, POST add, PUT replace), ``faults`` (GET, POST add,
DELETE clear), ``quotas`` (GET, POST set, PUT set the rest to defaults) and ``options`` (GET,
POST set), plus moto's ``/moto-api/reset``. Answers are JSON; a bad document is a 400 whose
``__type`` says what kind of mistake it is, with a message saying how to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .. import __version__
from ..domain.adjustable import Adjustable
from ..domain.backend import reset_state
from ..domain.options import DEFAULT_OPTIONS, options
from ..domain.quotas import DEFAULT_QUOTAS, quotas
from ..faults import faults
from ..integration.service import implemented_operations
from ..protocol.model import Response
from ..protocol.parsing import parse_json
from ..seeding import SeedError, dump_state, load_state, replace_state

__all__ = ["ADMIN_PREFIX", "admin", "is_admin", "reset_everything"]

ADMIN_PREFIX = "/_cleanrooms_mock"
#: moto's own reset endpoint, answered as ours.
_MOTO_RESET = "/moto-api/reset"

T = TypeVar("T")


@dataclass(frozen=True)
class Start:
    """What the server started with (``serve --quota``, ``--no-verify-glue-tables``): what a
    reset returns to."""

    quotas: Mapping[str, int] = field(default_factory=dict)
    options: Mapping[str, bool] = field(default_factory=dict)


#: An endpoint: (request body, what the server started with) -> the JSON answer.
Action = Callable[[bytes, Start], dict[str, Any]]


def is_admin(path: str) -> bool:
    """Whether ``path`` names an administration endpoint (or moto's reset)."""
    return path in (ADMIN_PREFIX, _MOTO_RESET) or path.startswith(ADMIN_PREFIX + "/")


class _BadAdminRequest(Exception):
    """An error of the administration endpoints (400 unless ``status``): ``__type`` ``kind``,
    the message and ``details``, in the body and ``x-amzn-ErrorType`` alike."""

    def __init__(self, kind: str, message: str, status: int = 400, **details: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.details = details


def admin(
    method: str,
    path: str,
    body: bytes,
    start_quotas: Mapping[str, int] | None = None,
    start_options: Mapping[str, bool] | None = None,
) -> Response:
    """``/_cleanrooms_mock/{health,reset,state,faults,quotas,options}``, and moto's
    ``/moto-api/reset``.

    ``start_quotas`` and ``start_options`` are what the server started with, which a reset
    returns to.
    """
    action = "reset" if path == _MOTO_RESET else path[len(ADMIN_PREFIX) :].strip("/")
    try:
        answer = _ADMIN_ACTIONS.get((method, action))
        if answer is None:
            raise _BadAdminRequest(
                "UnknownOperationException",
                f"No cleanrooms-mock administration endpoint {method} {path}: use"
                f" GET {ADMIN_PREFIX}/health, POST {ADMIN_PREFIX}/reset,"
                f" GET, POST (add) or PUT (replace) {ADMIN_PREFIX}/state,"
                f" GET, POST (add) or DELETE (clear) {ADMIN_PREFIX}/faults,"
                f" GET, POST (set) or PUT (set, the rest to defaults) {ADMIN_PREFIX}/quotas,"
                f" GET or POST (set) {ADMIN_PREFIX}/options.",
                status=404,
            )
        return _json(200, answer(body, Start(start_quotas or {}, start_options or {})))
    except _BadAdminRequest as error:
        return _admin_error(error.status, error.kind, str(error), **error.details)


def _health(body: bytes, start: Start) -> dict[str, Any]:
    return {
        "status": "running",
        "version": __version__,
        "implementedOperations": implemented_operations(),
    }


def _reset(body: bytes, start: Start) -> dict[str, Any]:
    reset_everything(start.quotas, start.options)
    return {"status": "reset"}


def _get_state(body: bytes, start: Start) -> dict[str, Any]:
    return dump_state()


def _load_state(replace: bool) -> Action:
    def load(body: bytes, start: Start) -> dict[str, Any]:
        document = _json_object(body, "The state document", "SeedError")
        try:
            loaded = replace_state(document) if replace else load_state(document)
        except SeedError as error:
            problems = [str(problem) for problem in error.problems]
            raise _BadAdminRequest("SeedError", str(error), problems=problems) from None
        return {"status": "loaded", "collaborations": len(loaded)}

    return load


def _get_faults(body: bytes, start: Start) -> dict[str, Any]:
    return {"faults": faults.describe()}


def _add_fault(body: bytes, start: Start) -> dict[str, Any]:
    """Inject one fault: the options of :meth:`.FaultPlan.inject`, its members beside them."""
    fault = _read_document(body, "A fault", "InvalidFault", faults.inject_document)
    return {"fault": fault.describe()}


def _clear_faults(body: bytes, start: Start) -> dict[str, Any]:
    faults.clear()
    return {"faults": []}


def _values(settings: Adjustable, defaults: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each setting of ``settings`` (the quotas, the options): its value now and its default."""
    current = settings.snapshot()
    return {name: {"value": current[name], "default": value} for name, value in defaults.items()}


def _get_quotas(body: bytes, start: Start) -> dict[str, Any]:
    """Every quota: its value now and AWS's default."""
    return {"quotas": _values(quotas, DEFAULT_QUOTAS)}


def _get_options(body: bytes, start: Start) -> dict[str, Any]:
    """Every option: its value now and its default."""
    return {"options": _values(options, DEFAULT_OPTIONS)}


def _set_options(body: bytes, start: Start) -> dict[str, Any]:
    options.update(_read_document(body, "The options", "InvalidOption", options.checked))
    return _get_options(body, start)


def _set_quotas(replace: bool) -> Action:
    def set_quotas(body: bytes, start: Start) -> dict[str, Any]:
        values = _read_document(body, "The quotas", "InvalidQuota", quotas.checked)
        if replace:
            quotas.reset()
        quotas.update(values)
        return _get_quotas(body, start)

    return set_quotas


_ADMIN_ACTIONS: dict[tuple[str, str], Action] = {
    ("GET", "health"): _health,
    ("POST", "reset"): _reset,
    ("GET", "state"): _get_state,
    ("POST", "state"): _load_state(replace=False),
    ("PUT", "state"): _load_state(replace=True),
    ("GET", "faults"): _get_faults,
    ("POST", "faults"): _add_fault,
    ("DELETE", "faults"): _clear_faults,
    ("GET", "quotas"): _get_quotas,
    ("POST", "quotas"): _set_quotas(replace=False),
    ("PUT", "quotas"): _set_quotas(replace=True),
    ("GET", "options"): _get_options,
    ("POST", "options"): _set_options,
}


def _json_object(body: bytes, what: str, kind: str) -> dict[str, Any]:
    """The body as a JSON object (an empty body is ``{}``); 400 otherwise."""
    try:
        document = parse_json(body or b"{}")
    except json.JSONDecodeError:
        raise _BadAdminRequest("SerializationException", f"{what} is not valid JSON.") from None
    except ValueError as error:  # NaN, Infinity, nesting too deep for the parser; not UTF-8
        raise _BadAdminRequest(
            "SerializationException", f"{what} is not valid JSON: {error}."
        ) from None
    if not isinstance(document, dict):
        raise _BadAdminRequest(kind, f"{what} must be a JSON object.")
    return document


def _read_document(body: bytes, what: str, kind: str, read: Callable[[dict[str, Any]], T]) -> T:
    """``read`` applied to the body's JSON object; its ValueError is a 400 of ``kind``."""
    document = _json_object(body, what, kind)
    try:
        return read(document)
    except ValueError as error:
        raise _BadAdminRequest(kind, str(error)) from None


def reset_everything(
    quota_values: Mapping[str, int] | None = None,
    option_values: Mapping[str, bool] | None = None,
) -> None:
    """Forget the Clean Rooms state, every moto backend (STS credentials included) and fault;
    quotas and options back to their defaults, then to ``quota_values`` and ``option_values``
    (the ones the server started with).
    """
    from moto.core.base_backend import BackendDict

    reset_state()
    BackendDict.reset()
    faults.clear()
    quotas.reset()
    quotas.update(quota_values or {})
    options.reset()
    options.update(option_values or {})


def _admin_error(status: int, kind: str, message: str, **details: Any) -> Response:
    response = _json(status, {"__type": kind, "message": message, **details})
    response.headers["x-amzn-ErrorType"] = kind
    return response


def _json(status: int, document: Any) -> Response:
    body = json.dumps(document).encode("utf-8")
    return Response(status, {"Content-Type": "application/json"}, body)
