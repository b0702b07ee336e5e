"""Fault injection: make calls fail with errors the model declares, as the real service can.

A fault answers before the request is read, exactly as a throttled or failing front end would,
with the status and body of the error's shape; botocore's retry logic sees it as it sees a real
one (a ``ThrottlingException`` is retried, and ``ResponseMetadata.RetryAttempts`` counts it).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore import xform_name

from .exceptions import CleanRoomsError
from .service import service_model

__all__ = ["Fault", "FaultPlan", "faults"]


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
        given as keyword arguments.
        """
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
        shape = model.shape_for(error)
        missing = [m for m in shape.required_members if m != "message" and m not in members]
        if missing:
            raise ValueError(f"{error} requires {', '.join(missing)}: pass them as keywords")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for every call)")
        if rate is not None and not 0 < rate <= 1:
            raise ValueError("rate must be in (0, 1]")
        fault = Fault(error, name, times, rate, seed, message, members)
        with self._lock:
            self._faults.append(fault)
        return fault

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


def _operation_name(operation: str) -> str:
    names = service_model().operation_names
    if operation in names:
        return operation
    by_python_name: dict[str, str] = {xform_name(n): n for n in names}
    if operation in by_python_name:
        return by_python_name[operation]
    raise ValueError(f"Clean Rooms has no operation {operation!r}")


faults = FaultPlan()
