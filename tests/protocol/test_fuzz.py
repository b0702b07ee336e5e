"""Fuzzing every operation of the model: whatever arrives, the answer is one the model allows.

For each operation of the installed botocore model, hypothesis draws requests from its input
shape (valid, or broken at any depth: see ``strategies``) and sends them to a seeded mock, through
boto3 with client-side validation off and as raw HTTP. Every answer must be a success whose body
passes the output shape, or an error the operation declares (or a protocol-level error where the
request earns one), with a JSON body; never a 500; and a rejected request changes no state.

``CLEANROOMS_FUZZ_EXAMPLES`` sets the examples per operation (default 10);
``--hypothesis-show-statistics`` shows which answers they got.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from helpers import ENDPOINT, REGION, ResponseShapeError, check_answer
from hypothesis import event, given
from hypothesis import strategies as st
from strategies import (
    FUZZ,
    M_OWN,
    PROTOCOL_MUTATIONS,
    SEED_STATE,
    RawRequest,
    operation_names,
    raw_request_for,
    request_params,
)

from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.integration.service import handle, implemented_operations
from cleanrooms_mock.protocol.errors import UnknownOperation
from cleanrooms_mock.protocol.model import Response, service_model
from cleanrooms_mock.protocol.routing import find_operation
from cleanrooms_mock.seeding import dump_state, load_state

OPERATIONS = operation_names()
#: The operations the mock implements (the others answer 501 NotImplemented).
HANDLERS = implemented_operations()
#: Errors of the protocol layer, which no operation declares: their HTTP status.
PROTOCOL_ERRORS = {
    "SerializationException": 400,
    "UnsupportedMediaTypeException": 415,
    "RequestEntityTooLargeException": 413,
    "UnknownOperationException": 404,
    "NotImplemented": 501,
    "UnsupportedRegion": 400,
}
#: Regions a raw request may be signed for; the last has no Clean Rooms endpoint.
SUPPORTED_REGIONS = [REGION, "eu-west-2"]
UNSUPPORTED_REGION = "xx-nowhere-1"


@contextmanager
def seeded() -> Iterator[None]:
    """A fresh mock holding SEED_STATE, so requests can name real collaborations and memberships."""
    with mock_cleanrooms():
        load_state(SEED_STATE)
        yield


#: Set by botocore once a request exists: an exception before it is a client-side failure.
_requests_created: list[str] = []


@cache
def unchecked_client() -> Any:
    """A client that sends whatever it is given (one for the module: clients are slow to make)."""
    client = boto3.client(
        "cleanrooms",
        region_name=REGION,
        aws_access_key_id="FOOBARKEY",
        aws_secret_access_key="FOOBARSECRET",
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )
    client.meta.events.register(
        "request-created.cleanrooms", lambda **kwargs: _requests_created.append("sent")
    )
    return client


def call_through_boto3(name: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """The response (or error response) boto3 gives; None when botocore could not send it.

    With validation off, botocore's serialiser still fails on some wrong Python types (a dict
    where a string goes in the path, a missing path label): such a request is never sent. The
    raw-HTTP test sends those shapes of input.
    """
    _requests_created.clear()
    try:
        response: dict[str, Any] = getattr(unchecked_client(), xform_name(name))(**params)
    except ClientError as error:
        answer: dict[str, Any] = error.response
        return answer
    except ResponseShapeError:
        raise
    except Exception as error:
        if _requests_created:
            raise
        event(f"not sent: botocore raised {type(error).__name__}")
        return None
    return response


def routes_elsewhere(name: str, params: dict[str, Any]) -> bool:
    """Would the request's path reach another operation (an empty path label does that)?

    botocore renders an empty label as is (``GET /collaborations/`` for GetCollaboration), a
    request for another operation as far as any server can tell; the raw-HTTP test covers what
    the mock answers to such paths.
    """
    request = raw_request_for(name, params)
    try:
        answering, _ = find_operation(request.method, urlsplit(request.path).path)
    except UnknownOperation:
        return True
    return answering.name != name


def assert_allowed_error(answering: str | None, status: int, code: str, message: str) -> None:
    """An error the answering operation declares, or a protocol error this request earns."""
    assert status != 500 and code != "InternalServerException", (code, message)
    assert "Traceback" not in message, message
    if code in PROTOCOL_ERRORS:
        assert status == PROTOCOL_ERRORS[code], (code, status)
        if code == "UnknownOperationException":
            assert answering is None, f"{answering} exists but answered {code}"
        if code == "NotImplemented":
            assert answering is not None and answering not in HANDLERS, answering
        return
    assert answering is not None, f"no operation matches, yet the answer is {code}"
    declared = {s.name: s for s in service_model().operation_model(answering).error_shapes}
    assert code in declared, f"{answering} answered {code}, which it does not declare"
    assert status == declared[code].metadata["error"]["httpStatusCode"], (code, status)


# ---- through boto3 ----------------------------------------------------------------------------


def check_through_boto3(name: str, params: dict[str, Any]) -> None:
    if routes_elsewhere(name, params):
        event("boto3: not sent, the path would reach another operation")
        return
    with seeded():
        before = dump_state()

        response = call_through_boto3(name, params)

        if response is None:
            return
        status = response["ResponseMetadata"]["HTTPStatusCode"]
        if "Error" not in response:  # the conftest hook checked the body against the output shape
            event("boto3: success")
            assert status == service_model().operation_model(name).http.get("responseCode", 200)
            return
        code, message = response["Error"]["Code"], response["Error"]["Message"]
        event(f"boto3: {code}")
        assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == code
        assert code != "UnsupportedRegion"  # signed for us-east-1
        assert_allowed_error(name, status, code, message)
        assert dump_state() == before, f"{name} refused with {code} but changed the state"


# ---- as raw HTTP ------------------------------------------------------------------------------


def send(request: RawRequest, region: str = REGION) -> Response:
    """Hand ``request``, signed for ``region``, to the mock as an HTTP server would."""
    headers = dict(request.headers)
    if "Authorization" in headers:
        headers["Authorization"] = headers["Authorization"].replace(f"/{REGION}/", f"/{region}/")
    return handle(request.method, ENDPOINT + request.path, headers, request.body)


def answering_operation(request: RawRequest) -> str | None:
    """The operation the request's method and path reach (None: no operation)."""
    try:
        return find_operation(request.method, urlsplit(request.path).path)[0].name
    except UnknownOperation:
        return None


def assert_allowed_raw_answer(
    answering: str | None, response: Response, *, region_supported: bool
) -> None:
    body = json.loads(response.body) if response.body else {}  # always JSON, when there is one
    assert isinstance(body, dict), body
    if response.status < 300:
        event("raw: success")
        assert answering is not None
        model = service_model().operation_model(answering)
        assert response.status == model.http.get("responseCode", 200)
        check_answer(model, None, body)
        return
    code = response.headers.get("x-amzn-ErrorType")
    assert code, f"error {response.status} without x-amzn-ErrorType: {body}"
    event(f"raw: {code}")
    message = body.get("message")
    assert isinstance(message, str) and message, body
    assert_allowed_error(answering, response.status, code, message)
    if code == "UnsupportedRegion":
        assert not region_supported
    if code in PROTOCOL_ERRORS:
        assert body == {"message": message}
    else:  # the whole body, not only what botocore would parse, passes the error shape
        assert answering is not None
        check_answer(service_model().operation_model(answering), code, body)


def check_as_raw_http(name: str, params: dict[str, Any], mutation: str, region: str) -> None:
    request = PROTOCOL_MUTATIONS[mutation](raw_request_for(name, params))
    answering = answering_operation(request)
    path = urlsplit(request.path).path
    if mutation == "as is" and "//" not in path and not path.endswith("/"):
        assert answering == name, f"{request.method} {path} reaches {answering}, not {name}"
    with seeded():
        before = dump_state()

        response = send(request, region)

        assert_allowed_raw_answer(
            answering, response, region_supported=region != UNSUPPORTED_REGION
        )
        if response.status >= 300:
            assert dump_state() == before, (
                f"{name} refused with {response.status} but changed state"
            )


# ---- what the fuzzing found ------------------------------------------------------------------


@pytest.mark.skipif(
    "membershipPaymentConfiguration"
    not in service_model().operation_model("UpdateMembership").input_shape.members,
    reason="UpdateMembership takes membershipPaymentConfiguration from botocore 1.44",
)
def test_a_partial_payment_configuration_update_keeps_query_compute() -> None:
    # Found by this suite: the update replaced the whole configuration and every later answer
    # about the membership was a 500. Every member of the update's shape is optional.
    with seeded():
        creator = boto3.client(
            "cleanrooms", region_name=REGION, config=Config(retries={"total_max_attempts": 1})
        )

        updated = creator.update_membership(
            membershipIdentifier=M_OWN, membershipPaymentConfiguration={}
        )["membership"]

        assert updated["paymentConfiguration"] == {"queryCompute": {"isResponsible": True}}
        assert creator.get_membership(membershipIdentifier=M_OWN)["membership"] == updated


# ---- the fuzz test ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", OPERATIONS)
@FUZZ
@given(data=st.data())
def test_every_request_gets_an_answer_the_model_allows(name: str, data: st.DataObject) -> None:
    """One request, drawn from the operation's input shape, sent through boto3 and as raw HTTP
    (with, sometimes, a protocol-level flaw and another region), each to a fresh seeded mock."""
    params = data.draw(request_params(name), label="params")
    mutation = data.draw(
        st.one_of(st.just("as is"), st.sampled_from(sorted(PROTOCOL_MUTATIONS))), label="mutation"
    )
    region = data.draw(st.sampled_from([*SUPPORTED_REGIONS, UNSUPPORTED_REGION]), label="region")

    check_through_boto3(name, params)
    check_as_raw_http(name, params, mutation, region)


def test_a_seeded_id_reaches_the_handler() -> None:
    [first, *_] = SEED_STATE["regions"][REGION]["collaborations"]
    request = raw_request_for("GetCollaboration", {"collaborationIdentifier": first["id"]})
    with seeded():
        response = send(request)

    assert response.status == 200
    assert json.loads(response.body)["collaboration"]["id"] == first["id"]
