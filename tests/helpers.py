"""Helpers the tests share: account switching as users do it, error inspection, raw HTTP, and
the check of every answer against the model."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.model import OperationModel, Shape
from botocore.validate import ParamValidator

from cleanrooms_mock.integration.service import handle
from cleanrooms_mock.protocol.shapes import FieldError, Validator, compile_validator

REGION = "us-east-1"
CREATOR = "123456789012"  # moto's default account
MEMBER_A = "222222222222"
MEMBER_B = "333333333333"
STRANGER = "444444444444"

ENDPOINT = f"https://cleanrooms.{REGION}.amazonaws.com"
#: What a SigV4 client of CREATOR in REGION sends; the mock reads the scope, not the signature.
RAW_HEADERS = {
    "Authorization": (
        f"AWS4-HMAC-SHA256 Credential=FOOBARKEY/20250101/{REGION}/cleanrooms/aws4_request, "
        "SignedHeaders=host, Signature=abc"
    ),
    "Content-Type": "application/json",
}


def client(
    account: str = CREATOR, region: str = REGION, service: str = "cleanrooms", **kwargs: Any
) -> Any:
    """A client acting as ``account``, through STS assume_role like real code does."""
    if account == CREATOR:
        return boto3.client(service, region_name=region, **kwargs)
    sts = boto3.client("sts", region_name=region)
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/cleanrooms-test", RoleSessionName="test-session"
    )["Credentials"]
    return boto3.client(
        service,
        region_name=region,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        **kwargs,
    )


def collaboration_params(**overrides: Any) -> dict[str, Any]:
    """CreateCollaboration input: CREATOR (who can query) inviting MEMBER_A and MEMBER_B."""
    params: dict[str, Any] = {
        "name": "ads",
        "description": "publisher x advertiser",
        "creatorDisplayName": "Publisher",
        "creatorMemberAbilities": ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        "members": [
            {"accountId": MEMBER_A, "displayName": "Advertiser", "memberAbilities": []},
            {"accountId": MEMBER_B, "displayName": "Measurer", "memberAbilities": []},
        ],
        "queryLogStatus": "ENABLED",
    }
    params.update(overrides)
    return params


def create_collaboration(creator: Any, **overrides: Any) -> dict[str, Any]:
    """A collaboration of CREATOR (who can query) inviting MEMBER_A and MEMBER_B."""
    collaboration: dict[str, Any] = creator.create_collaboration(
        **collaboration_params(**overrides)
    )["collaboration"]
    return collaboration


def tags_of(account_client: Any, arn: str) -> dict[str, str]:
    """The resource's tags, as Clean Rooms' ListTagsForResource shows them to the account."""
    tags: dict[str, str] = account_client.list_tags_for_resource(resourceArn=arn)["tags"]
    return tags


def join(member: Any, collaboration: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """The membership ``member`` creates in ``collaboration`` (query logs on)."""
    membership: dict[str, Any] = member.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="ENABLED", **kwargs
    )["membership"]
    return membership


def error_of(call: Callable[[], Any]) -> dict[str, Any]:
    """Run ``call``, expect a ClientError, return its parsed response (what users inspect)."""
    with pytest.raises(ClientError) as caught:
        call()
    response: dict[str, Any] = caught.value.response
    return response


class AwsError:
    """What :func:`raises_aws` caught: the parsed error response, once the block has run."""

    def __init__(self) -> None:
        self.response: dict[str, Any] = {}


def _received(response: dict[str, Any]) -> dict[str, Any]:
    """An error response as :func:`raises_aws` compares it."""
    return {
        "code": response.get("Error", {}).get("Code"),
        "status": response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
        "reason": response.get("reason"),
        "fieldList": [entry.get("name") for entry in response.get("fieldList", [])],
        "message": response.get("Error", {}).get("Message"),
    }


@contextlib.contextmanager
def raises_aws(
    code: str,
    *,
    status: int | None = None,
    reason: str | None = None,
    field: str | Sequence[str] | None = None,
    message: str | re.Pattern[str] | None = None,
) -> Iterator[AwsError]:
    """Expect the block to raise the AWS error ``code`` (a botocore ClientError), in the spirit
    of botocore's Stubber: on a mismatch the test fails with "expected X, received Y", showing
    the code, HTTP status, reason, fieldList names and message.

    ``status`` is the HTTP status; ``reason`` the ValidationException's ``reason``; ``field``
    the one field its ``fieldList`` names, or every name in order (a sequence); ``message`` the
    whole message, or a pattern it contains (``re.compile``). What is left out is not checked.
    Another exception than ClientError goes through; no exception fails the test. Yields an
    :class:`AwsError` whose ``response`` is the parsed error, for further assertions.
    """
    __tracebackhide__ = True
    expected: dict[str, Any] = {"code": code}
    if status is not None:
        expected["status"] = status
    if reason is not None:
        expected["reason"] = reason
    if field is not None:
        expected["fieldList"] = [field] if isinstance(field, str) else list(field)
    if message is not None:
        expected["message"] = message
    caught = AwsError()
    try:
        yield caught
    except ClientError as error:
        caught.response = error.response
    else:
        pytest.fail(f"expected {_shown(expected)}, received no error", pytrace=False)
    received = _received(caught.response)
    if any(not _matches(value, received[key]) for key, value in expected.items()):
        pytest.fail(f"expected {_shown(expected)}, received {_shown(received)}", pytrace=False)


def _matches(expected: Any, received: Any) -> bool:
    if isinstance(expected, re.Pattern):
        return isinstance(received, str) and expected.search(received) is not None
    return bool(expected == received)


def _shown(error: dict[str, Any]) -> str:
    shown = (
        f"{key} {value.pattern!r} (pattern)"
        if isinstance(value, re.Pattern)
        else f"{key} {value!r}"
        for key, value in error.items()
    )
    return ", ".join(shown)


def raw_request(
    method: str, path: str, body: Any = b"", headers: dict[str, str | None] | None = None
) -> tuple[int, dict[str, str], Any]:
    """Send one HTTP request to the mock without botocore, as CREATOR in REGION.

    ``body`` goes as is when bytes, else as JSON; ``headers`` change RAW_HEADERS (None removes
    one). Returns the status, the headers and the parsed body, which must be JSON (json.loads
    fails the test otherwise).
    """
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    sent = {**RAW_HEADERS, **(headers or {})}
    response = handle(method, ENDPOINT + path, {k: v for k, v in sent.items() if v}, data)
    return response.status, response.headers, json.loads(response.body)


# ---- answers against the model ----------------------------------------------------------------

#: Errors the mock may answer although no operation declares them: the protocol's own
#: (SerializationException for a body that is not JSON, e.g. NaN, which botocore writes and
#: AWS's JSON parsers refuse), an operation not served, a region without an endpoint.
UNDECLARED_OK = {"NotImplemented", "UnsupportedRegion", "SerializationException"}
#: Errors AWS may answer to any operation, declared or not (Clean Rooms API reference, "Common
#: Errors": AccessDeniedException, 403), checked against their shapes in the model.
COMMON_ERRORS = {"AccessDeniedException"}
#: Our validators of output and error shapes, compiled once per shape (under a lock: compiling
#: fills the cache step by step, and tests call from many threads).
_validators: dict[str, Validator] = {}
_validators_lock = threading.Lock()


class ResponseShapeError(AssertionError):
    """An answer the model does not allow for the operation."""


def check_shape(shape: Shape | None, body: dict[str, Any], what: str) -> None:
    """Raise ResponseShapeError unless ``body`` is a value of ``shape`` (None: must be empty).

    botocore's own validator (independent of ours) checks required members, members outside the
    shape and types; it does not check patterns, enums or maximum lengths, which ours does.
    """
    if shape is None:
        if body != {}:
            raise ResponseShapeError(f"{what} has no members, but the body is {body!r}")
        return
    report = ParamValidator().validate(body, shape)
    if report.has_errors():
        raise ResponseShapeError(f"{what} breaks its shape:\n{report.generate_report()}")
    with _validators_lock:
        validate = compile_validator(shape, _validators)
    errors: list[FieldError] = []
    validate(body, "", errors)
    if errors:
        raise ResponseShapeError(f"{what} breaks its shape: {errors}")


def check_answer(model: OperationModel, code: str | None, body: dict[str, Any]) -> None:
    """Check an answer of operation ``model``: a success (``code`` None) against the output
    shape, an error against the error shape ``code``, which the operation must declare (or be
    one of UNDECLARED_OK)."""
    if code is None:
        check_shape(model.output_shape, body, f"{model.name} response")
        return
    if code in UNDECLARED_OK:
        return
    declared = {s.name: s for s in model.error_shapes}
    if code not in declared and code in COMMON_ERRORS:
        declared[code] = model.service_model.shape_for(code)
    if code not in declared:
        raise ResponseShapeError(f"{model.name} answered {code}, which it does not declare")
    check_shape(declared[code], body, f"{model.name} error {code}")
