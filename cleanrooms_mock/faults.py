"""Fault injection: make calls fail with errors the model declares, as the real service can.

A fault answers before the request is read, exactly as a throttled or failing front end would,
with the status and body of the error's shape; botocore's retry logic sees it as it sees a real
one (a ``ThrottlingException`` is retried, and ``ResponseMetadata.RetryAttempts`` counts it).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name

from .protocol.errors import CleanRoomsError
from .protocol.model import service_model
from .protocol.shapes import FieldError, compile_validator

__all__ = ["FAULT_OPTIONS", "Fault", "FaultPlan", "faults"]

#: The options of :meth:`FaultPlan.inject` besides the error's own members.
FAULT_OPTIONS = ("error", "operation", "times", "rate", "seed", "message")


@dataclass
class Fault:
    """One injected failure: which operation (None: all), which error, how often."""

    error: str
    operation: str | None = None
    #: How many more calls fail (None: every call until cleared).
    times: int | None = None
    #: Fail only this fraction of matching calls (drawn from ``seed``).
    rate: float | None = None
    seed: int | None = None
    message: str | None = None
    members: dict[str, Any] = field(default_factory=dict)
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def describe(self) -> dict[str, Any]:
        """The fault as :meth:`FaultPlan.inject_document` reads it (``times``: calls left)."""
        options = {name: getattr(self, name) for name in FAULT_OPTIONS}
        return {**options, **self.members}


class FaultPlan:
    """The faults of the active mock: cleared when the outermost activation starts and stops; a
    nested activation takes back the faults injected during it (:meth:`snapshot`, :meth:`restore`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._errors: dict[str, type[CleanRoomsError]] = {}

    def inject(
        self,
        error: str,
        operation: str | None = None,
        *,
        times: int | None = None,
        rate: float | None = None,
        seed: int | None = None,
        message: str | None = None,
        **members: Any,
    ) -> Fault:
        """Fail calls of ``operation`` (any operation when None) with the modeled ``error``.

        ``operation`` is the model's name or boto3's (``CreateMembership`` or
        ``create_membership``). The error must be one the operation declares; members its shape
        requires beyond ``message`` (``quotaName`` for ServiceQuotaExceededException, ...) are
        given as keyword arguments, and must fit the error's shape.

        Raises ValueError, saying what to change, for an error the operation does not declare,
        an unknown operation, a member the shape lacks or of the wrong type, ``times`` not a
        whole number of at least 1, ``rate`` not in (0, 1], ``seed`` not a whole number.
        """
        return self._inject(error, operation, times, rate, seed, message, members)

    def inject_document(self, document: Mapping[str, Any]) -> Fault:
        """:meth:`inject` from a JSON object: the options by name, the error's members beside.

        ``{"error": "ThrottlingException", "operation": "create_membership", "times": 2}``.
        Raises ValueError, with :meth:`inject`'s messages, when it is not a valid fault.
        """
        if "error" not in document:
            raise ValueError(
                "A fault needs its 'error' (e.g. ThrottlingException); options: "
                + ", ".join(FAULT_OPTIONS)
                + ", and the error's members"
            )
        members = {key: value for key, value in document.items() if key not in FAULT_OPTIONS}
        get = document.get
        return self._inject(
            get("error"),
            get("operation"),
            get("times"),
            get("rate"),
            get("seed"),
            get("message"),
            members,
        )

    def _inject(
        self,
        error: Any,
        operation: Any,
        times: Any,
        rate: Any,
        seed: Any,
        message: Any,
        members: dict[str, Any],
    ) -> Fault:
        _check_options(error, operation, times, rate, seed, message)
        model = service_model()
        name = _operation_name(operation) if operation is not None else None
        declaring = [
            op
            for op in model.operation_names
            if name in (None, op)
            and error in {shape.name for shape in model.operation_model(op).error_shapes}
        ]
        if not declaring:
            where = f"operation {name}" if name else "any operation"
            declared = (
                sorted(s.name for s in model.operation_model(name).error_shapes) if name else []
            )
            hint = f"; it declares: {', '.join(declared)}" if declared else ""
            raise ValueError(f"{error} is not an error {where} declares{hint}")
        _check_members(error, members)
        fault = Fault(error, name, times, rate, seed, message, members)
        with self._lock:
            self._faults.append(fault)
        return fault

    def describe(self) -> list[dict[str, Any]]:
        """The faults in force, in the order they are tried (see :meth:`Fault.describe`)."""
        with self._lock:
            return [fault.describe() for fault in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def snapshot(self) -> list[Fault]:
        """The faults now in the plan, for :meth:`restore`."""
        with self._lock:
            return list(self._faults)

    def restore(self, snapshot: list[Fault]) -> None:
        """Drop every fault injected since ``snapshot`` was taken (a nested activation ends).

        Faults of the snapshot keep what they have used up since (``times``), and one that ran
        out stays gone.
        """
        with self._lock:
            kept = {id(fault) for fault in snapshot}
            self._faults = [fault for fault in self._faults if id(fault) in kept]

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """No fault fires inside: fixtures seed state without tripping the test's faults."""
        with self._lock:
            saved, self._faults = self._faults, []
        try:
            yield
        finally:
            with self._lock:
                self._faults = saved + self._faults

    def check(self, operation: str, declared: frozenset[str]) -> None:
        """Raise the error of the first fault that fires for this call of ``operation``."""
        if not self._faults:
            return
        with self._lock:
            for fault in self._faults:
                if fault.operation not in (None, operation) or fault.error not in declared:
                    continue
                if fault.rate is not None and fault._random.random() >= fault.rate:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                raise self._error_class(fault.error)(
                    fault.message or f"Injected {fault.error} for {operation}.", **fault.members
                )

    def _error_class(self, code: str) -> type[CleanRoomsError]:
        if code not in self._errors:
            self._errors[code] = type(code, (CleanRoomsError,), {"code": code})
        return self._errors[code]


def _is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_options(
    error: Any, operation: Any, times: Any, rate: Any, seed: Any, message: Any
) -> None:
    """Refuse an option of the wrong type or range before anything is injected."""
    if not isinstance(error, str):
        raise ValueError(f"error must be an error's name (ThrottlingException, ...), not {error!r}")
    if operation is not None and not isinstance(operation, str):
        raise ValueError(f"operation must be an operation's name or None, not {operation!r}")
    if times is not None and not (_is_whole_number(times) and times >= 1):
        raise ValueError(f"times must be a whole number of at least 1 (or None), not {times!r}")
    if rate is not None and not (
        isinstance(rate, (int, float)) and not isinstance(rate, bool) and 0 < rate <= 1
    ):
        raise ValueError(f"rate must be a number in (0, 1] (or None), not {rate!r}")
    if seed is not None and not _is_whole_number(seed):
        raise ValueError(f"seed must be a whole number (or None), not {seed!r}")
    if message is not None and not isinstance(message, str):
        raise ValueError(f"message must be a string (or None), not {message!r}")


def _check_members(error: str, members: Mapping[str, Any]) -> None:
    """The error's members beyond ``message``: all it requires, none it lacks, of its types."""
    shape = service_model().shape_for(error)
    own = [m for m in shape.members if m != "message"]
    unknown = [m for m in members if m not in own]
    if unknown:
        known = ", ".join(own) or "none besides message"
        raise ValueError(
            f"{error} has no member {', '.join(map(repr, unknown))}; its members: {known}"
            f" (fault options: {', '.join(FAULT_OPTIONS)})"
        )
    missing = [m for m in shape.required_members if m != "message" and m not in members]
    if missing:
        raise ValueError(
            f"{error} requires {', '.join(missing)}: give them as keyword arguments"
            " (in JSON, beside the fault's options)"
        )
    problems: list[FieldError] = []
    compile_validator(shape)({"message": "injected", **members}, "", problems)
    if problems:
        details = "; ".join(problem.describe() for problem in problems)
        raise ValueError(f"{error} cannot carry these members: {details}")


def _operation_name(operation: str) -> str:
    names = service_model().operation_names
    if operation in names:
        return operation
    by_python_name: dict[str, str] = {xform_name(n): n for n in names}
    if operation in by_python_name:
        return by_python_name[operation]
    raise ValueError(f"Clean Rooms has no operation {operation!r}")


faults = FaultPlan()
