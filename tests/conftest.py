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
from botocore.validate import ParamValidator

import cleanrooms_mock  # noqa: F401  (registers the mock before any session exists)
from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.shapes import FieldError, compile_validator

pytest_plugins = ["pytester"]  # runs the README's examples as test files

#: Errors the mock may answer although no operation declares them.
UNDECLARED_OK = {"NotImplemented", "UnsupportedRegion"}


class ResponseShapeError(AssertionError):
    pass


def _check_response(http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
    if http_response.status_code < 300:
        # The raw body, not botocore's parse of it: the parser would hide members outside the shape.
        body = json.loads(http_response.content) if http_response.content else {}
        shape = model.output_shape
    else:
        code = parsed["Error"]["Code"]
        declared = {s.name: s for s in model.error_shapes}
        if code in UNDECLARED_OK:
            return
        if code not in declared:
            raise ResponseShapeError(f"{model.name} answered {code}, which it does not declare")
        shape = declared[code]
        body = {k: v for k, v in parsed.items() if k in shape.members}
        if "message" in shape.members:
            body["message"] = parsed["Error"]["Message"]
    if shape is None:
        assert body == {}, body
        return
    report = ParamValidator().validate(body, shape)
    if report.has_errors():
        raise ResponseShapeError(
            f"{model.name} response breaks its shape:\n{report.generate_report()}"
        )
    # botocore does not check patterns, enums or maximum lengths: ours does (ARNs, ids, ...).
    errors: list[FieldError] = []
    compile_validator(shape)(body, "", errors)
    if errors:
        raise ResponseShapeError(f"{model.name} response breaks its shape: {errors}")


BUILTIN_HANDLERS.append(("after-call.cleanrooms", _check_response))


@pytest.fixture
def mock() -> Iterator[None]:
    with mock_cleanrooms():
        yield
