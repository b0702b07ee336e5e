"""Shared test helpers: account switching as users do it, and a check on every response.

Every Clean Rooms response any test receives is checked against the botocore model by botocore's
own validator (independent of ours): required members present, no member outside the shape,
right types; and every error must be one the operation declares.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.handlers import BUILTIN_HANDLERS
from helpers import check_answer

import cleanrooms_mock  # noqa: F401  (registers the mock before any session exists)
from cleanrooms_mock import mock_cleanrooms

pytest_plugins = ["pytester"]  # runs the README's examples as test files


def _check_response(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
    if http_response.status_code < 300:
        # The raw body, not botocore's parse of it: the parser would hide members outside the shape.
        body = json.loads(http_response.content) if http_response.content else {}
        check_answer(model, None, body)
        return
    code = parsed["Error"]["Code"]
    shape = next((s for s in model.error_shapes if s.name == code), None)
    members = shape.members if shape is not None else {}
    body = {k: v for k, v in parsed.items() if k in members}
    if "message" in members:
        body["message"] = parsed["Error"]["Message"]
    check_answer(model, code, body)


BUILTIN_HANDLERS.append(("after-call.cleanrooms", _check_response))


@pytest.fixture
def mock() -> Iterator[None]:
    with mock_cleanrooms():
        yield


# ---- no network: what a test tried to reach -----------------------------------------------

#: Every socket connection and name lookup attempted while recording (addresses, host names).
_attempts: list[tuple[str, Any]] = []
_recording = threading.Event()
_audit_hook_installed = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # Audit hooks cannot be removed: this one records only while a test asks it to.
    if _recording.is_set() and event in ("socket.connect", "socket.getaddrinfo"):
        _attempts.append((event, args[1] if event == "socket.connect" else args[0]))


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """Record (and refuse) every connection and DNS lookup the test attempts."""
    global _audit_hook_installed
    if not _audit_hook_installed:
        sys.addaudithook(_audit)
        _audit_hook_installed = True

    def refuse(kind: str) -> Callable[..., Any]:
        def attempt(*args: Any, **kwargs: Any) -> Any:
            _attempts.append((kind, args))
            raise OSError(f"test: {kind} refused, no network in these tests")

        return attempt

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    _attempts.clear()
    _recording.set()
    try:
        yield _attempts
    finally:
        _recording.clear()
