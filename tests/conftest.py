"""Shared test helpers: account switching as users do it, and a check on every response.

Every Clean Rooms response any test receives is checked against the botocore model by botocore's
own validator (independent of ours): required members present, no member outside the shape,
right types; and every error must be one the operation declares.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
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
