"""The model-driven core: routing, Java patterns, unimplemented operations and raw HTTP."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote

import pytest
from botocore.model import Shape
from helpers import CREATOR, REGION, client, create_collaboration, error_of, raw_request

from cleanrooms_mock import cleanrooms_backends
from cleanrooms_mock.protocol.model import service_model
from cleanrooms_mock.protocol.routing import find_operation
from cleanrooms_mock.protocol.shapes import FieldError, compile_validator, java_pattern_to_python

pytestmark = pytest.mark.usefixtures("mock")

UUID = "11111111-2222-4333-8444-555555555555"
MEMBERSHIP_ARN = f"arn:aws:cleanrooms:{REGION}:{CREATOR}:membership/{UUID}"
TEMPLATE_ARN = f"{MEMBERSHIP_ARN}/analysistemplate/{UUID}"
MODEL = service_model()
PATTERNS = {
    name: MODEL.shape_for(name).metadata["pattern"]
    for name in MODEL.shape_names
    if "pattern" in MODEL.shape_for(name).metadata
}


def pattern_of(shape_name: str) -> re.Pattern[str]:
    return java_pattern_to_python(PATTERNS[shape_name])


# ---- routing ----------------------------------------------------------------------------


def valid_label(shape: Shape) -> str:
    """A value the label's shape accepts: one of its enum, a UUID, an ARN or an account id."""
    validate = compile_validator(shape)
    for value in [*getattr(shape, "enum", []), UUID, MEMBERSHIP_ARN, TEMPLATE_ARN, CREATOR]:
        errors: list[FieldError] = []
        validate(value, "", errors)
        if not errors:
            return value
    raise AssertionError(f"no sample value fits {shape.name}")


@pytest.mark.parametrize("name", MODEL.operation_names)
def test_every_operation_of_the_model_is_routed(name: str) -> None:
    model = MODEL.operation_model(name)
    labels = {
        member.serialization.get("name", key): valid_label(member)
        for key, member in model.input_shape.members.items()
        if member.serialization.get("location") == "uri"
    }
    path = re.sub(
        r"\{(\w+)\+?\}",
        lambda label: quote(labels[label.group(1)], safe="-._~"),  # as botocore encodes them
        model.http["requestUri"].split("?", 1)[0],
    )

    operation, path_params = find_operation(model.http["method"], path)

    assert operation.name == name
    assert {key: unquote(value) for key, value in path_params.items()} == labels


# ---- patterns ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape_name", sorted(PATTERNS))
def test_every_pattern_of_the_model_compiles(shape_name: str) -> None:
    assert isinstance(pattern_of(shape_name), re.Pattern)


def test_display_names_take_any_printable_text_but_not_only_blanks() -> None:
    display_name = pattern_of("DisplayName")
    assert display_name.fullmatch("Café 🎉")  # 🎉 is a surrogate pair to Java
    assert display_name.fullmatch("Team\tA")
    assert not display_name.fullmatch("   ")
    assert not display_name.fullmatch("line\nbreak")


def test_unicode_property_classes_follow_java() -> None:
    for shape_name in ("SnowflakeTableName", "SnowflakeSchemaName", "DatabricksObject"):
        pattern = pattern_of(shape_name)
        assert pattern.fullmatch("Ünïcode_Name-1"), shape_name
        assert not pattern.fullmatch("bad;name"), shape_name
    assert pattern_of("SnowflakeAccountIdentifier").fullmatch("org-account.eu west")


def test_digit_and_word_classes_are_ascii_as_in_java() -> None:
    # Java's \d and \w (and ECMAScript's) are ASCII; Python's would accept any script's.
    assert pattern_of("AccountId").fullmatch("123456789012")
    assert not pattern_of("AccountId").fullmatch("١٢٣٤٥٦٧٨٩٠١٢")  # Arabic-Indic digits
    assert pattern_of("KeyPrefix").fullmatch("results/2025=01/")
    assert not pattern_of("KeyPrefix").fullmatch("résultats/")


# ---- operations of the model not implemented yet ----------------------------------------


def test_unimplemented_operation_fails_at_once_with_not_implemented() -> None:
    error = error_of(
        lambda: client(CREATOR).list_privacy_budget_templates(membershipIdentifier=UUID)
    )

    assert error["Error"]["Code"] == "NotImplemented"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert "ListPrivacyBudgetTemplates" in error["Error"]["Message"]
    assert error["ResponseMetadata"]["RetryAttempts"] == 0  # 501 is not retried by botocore


# ---- raw HTTP ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [("GET", "/no-such-thing"), ("PUT", "/memberships")])
def test_request_matching_no_operation_is_unknown(method: str, path: str) -> None:
    status, headers, body = raw_request(method, path)

    assert status == 404
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert path in body["message"]


@pytest.mark.parametrize(
    "body",
    [b'{"queryLogStatus": "ENABLED"', b'["queryLogStatus", "ENABLED"]', b"\xff\xfe"],
    ids=["truncated JSON", "JSON array", "not UTF-8"],
)
def test_body_that_is_not_a_json_object_is_a_serialization_error(body: bytes) -> None:
    status, headers, document = raw_request("POST", "/memberships", body)

    assert status == 400
    assert headers["x-amzn-ErrorType"] == "SerializationException"
    assert document["message"]


#: Bodies Python's json.loads reads (or overflows on) that are not JSON a service can serve.
NOT_JSON = {
    "deeply nested array": b"[" * 10000 + b"]" * 10000,
    "deeply nested member": b'{"name": ' + b"[" * 10000 + b"]" * 10000 + b"}",
    "deeply nested object": b'{"a":' * 10000 + b"1" + b"}" * 10000,
    "NaN": b'{"name": NaN, "queryLogStatus": "ENABLED"}',
    "Infinity": b'{"maxResults": Infinity}',
    "-Infinity": b'{"tags": {"k": -Infinity}}',
    "an integer of 5000 digits": b'{"maxResults": 1' + b"0" * 5000 + b"}",
}


@pytest.mark.parametrize("path", ["/collaborations", "/memberships"])
@pytest.mark.parametrize("body", NOT_JSON.values(), ids=NOT_JSON.keys())
def test_what_json_has_not_is_a_serialization_error(path: str, body: bytes) -> None:
    status, headers, document = raw_request("POST", path, body)

    assert (status, headers["x-amzn-ErrorType"]) == (400, "SerializationException")
    assert document["message"].startswith("The request body is not valid JSON: ")
    assert client(CREATOR).list_collaborations()["collaborationList"] == []


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-amz-json-1.1", None], ids=str
)
def test_a_body_not_declared_as_json_is_unsupported_media(content_type: str | None) -> None:
    # Smithy's restJson1 malformed-request tests: a modeled body must come as application/json.
    request = {"collaborationIdentifier": UUID, "queryLogStatus": "ENABLED"}

    status, headers, document = raw_request(
        "POST", "/memberships", request, {"Content-Type": content_type}
    )

    assert status == 415
    assert headers["x-amzn-ErrorType"] == "UnsupportedMediaTypeException"
    assert "application/json" in document["message"]


def test_json_with_a_charset_is_json() -> None:
    collaboration = create_collaboration(client(CREATOR))
    request = {"collaborationIdentifier": collaboration["id"], "queryLogStatus": "ENABLED"}

    status, _, _ = raw_request(
        "POST", "/memberships", request, {"Content-Type": "application/json; charset=UTF-8"}
    )

    assert status == 200


def test_a_body_over_ten_mebibytes_is_refused() -> None:
    status, headers, document = raw_request("POST", "/memberships", b" " * (10 * 2**20 + 1))

    assert status == 413
    assert headers["x-amzn-ErrorType"] == "RequestEntityTooLargeException"
    assert document["message"] == "Request Entity Too Large"


def test_unknown_json_members_are_ignored() -> None:
    # AWS (Smithy) servers tolerate members they do not know, so that clients built from a
    # newer model keep working; the extra member is dropped, never stored or echoed.
    collaboration = create_collaboration(client(CREATOR))
    request = {
        "collaborationIdentifier": collaboration["id"],
        "queryLogStatus": "ENABLED",
        "notInTheModel": {"anything": 1},
    }

    status, _, body = raw_request("POST", "/memberships", request)

    assert status == 200
    assert body["membership"]["queryLogStatus"] == "ENABLED"
    assert "notInTheModel" not in body["membership"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/collaborations", {"name": "incomplete"}, 400),
        ("GET", f"/collaborations/{UUID}", b"", 403),
        ("GET", f"/memberships/{UUID}", b"", 404),
        ("GET", "/memberships", b"", 200),
        ("GET", f"/memberships/{UUID}/privacybudgettemplates", b"", 501),
        ("POST", "/memberships", b"{", 400),
        ("GET", "/", b"", 404),
    ],
)
def test_every_answer_is_a_json_document_with_a_request_id(
    method: str, path: str, body: Any, status: int
) -> None:
    answered, headers, document = raw_request(method, path, body)  # fails unless JSON

    assert answered == status
    assert isinstance(document, dict)
    assert headers["Content-Type"] == "application/json"
    assert headers["x-amzn-RequestId"]


# ---- responses carry only members of the output shape -----------------------------------


def test_create_collaboration_answers_only_output_members() -> None:
    request = {
        "name": "ads",
        "creatorDisplayName": "Publisher",
        "creatorMemberAbilities": ["CAN_QUERY"],
        "members": [],
        "queryLogStatus": "ENABLED",
        "surprise": "not in the model",
    }

    status, _, body = raw_request("POST", "/collaborations", request)

    assert status == 200
    assert set(body) == {"collaboration"}
    allowed = MODEL.shape_for("Collaboration").members
    assert set(body["collaboration"]) <= set(allowed)
    assert "surprise" not in body["collaboration"]


def test_stored_attributes_outside_the_output_shape_do_not_leak() -> None:
    collaboration = create_collaboration(client(CREATOR))
    backend = cleanrooms_backends[CREATOR][REGION]
    stored = backend.get_collaboration(collaboration_identifier=collaboration["id"])  # the object
    stored.attributes["internalNote"] = "for the mock's eyes only"
    stored.attributes["description"] = "changed behind the API"  # proves this object is served

    status, _, body = raw_request("GET", f"/collaborations/{collaboration['id']}")

    assert status == 200
    assert body["collaboration"]["description"] == "changed behind the API"
    assert "internalNote" not in body["collaboration"]
