"""Server mode, for clients in any language: faults and quotas over HTTP, the call log, and
connections that stay open.

Faults and quotas are set through ``/_cleanrooms_mock/faults`` and ``/_cleanrooms_mock/quotas``
(or ``serve --quota``), so an AWS CLI, JavaScript or Go test can exercise its retries and its
handling of quota errors as a Python test does with ``mock.inject(...)``.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from cleanrooms_mock import mock_cleanrooms
from cleanrooms_mock.server import CleanRoomsServer
from tests.helpers import CREATOR, MEMBER_A, REGION, collaboration_params, error_of
from tests.test_server import STARTUP_SECONDS, Server, _environment, _run_aws

FAULTS = "/_cleanrooms_mock/faults"
QUOTAS = "/_cleanrooms_mock/quotas"
DEFAULTS = {
    "collaborations_per_account": 10,
    "members_per_collaboration": 5,
    "memberships_per_account": 100,
    "configured_tables_per_account": 250,
    "allowed_columns_per_configured_table": 100,
    "analysis_rule_kilobytes": 100,
    "analysis_templates_per_membership": 25,
    "queries_per_membership": 5,
    "tables_per_query": 15,
}


@pytest.fixture(scope="module")
def shared_server() -> Iterator[Server]:
    server = Server()
    yield server
    server.stop()


@pytest.fixture
def server(shared_server: Server) -> Server:
    """The module's server, reset (state, faults, quotas) through the endpoint before each test."""
    assert shared_server.request("POST", "/_cleanrooms_mock/reset")[0] == 200
    return shared_server


def _post(server: Server, path: str, document: Any, method: str = "POST") -> tuple[int, Any]:
    status, _, answer = server.request(method, path, json.dumps(document).encode())
    return status, answer


def _quota_values(server: Server) -> dict[str, int]:
    status, _, answer = server.request("GET", QUOTAS)
    assert status == 200
    return {name: quota["value"] for name, quota in answer["quotas"].items()}


def _cli(server: Server, account: str, *arguments: str, **env: str) -> Any:
    keys = {"AWS_ACCESS_KEY_ID": account, "AWS_SECRET_ACCESS_KEY": "secret", **env}
    return _run_aws(server, keys, *arguments)


#: CreateCollaboration through the AWS CLI, with the input the other tests give boto3.
CREATE_COLLABORATION = (
    "cleanrooms",
    "create-collaboration",
    "--cli-input-json",
    json.dumps(collaboration_params()),
)


def _cli_error(process: subprocess.CompletedProcess[str]) -> str:
    """What the AWS CLI printed for a service error (AWS CLI v1 exits 255 on one)."""
    assert process.returncode == 255, (process.returncode, process.stderr[-2000:])
    return process.stderr


# ---- faults, through the AWS CLI ------------------------------------------------------------


def test_the_aws_cli_retries_through_injected_throttles(server: Server) -> None:
    throttle = {"error": "ThrottlingException", "operation": "create_collaboration", "times": 2}
    status, injected = _post(server, FAULTS, throttle)
    assert status == 200
    assert injected["fault"]["operation"] == "CreateCollaboration"
    assert injected["fault"]["times"] == 2

    created = _cli(server, CREATOR, *CREATE_COLLABORATION, "--debug", AWS_MAX_ATTEMPTS="3")

    assert created.returncode == 0, created.stderr[-2000:]
    assert created.stderr.count("retryable HTTP status code received: 429") == 2
    collaboration = json.loads(created.stdout)["collaboration"]
    assert collaboration["creatorAccountId"] == CREATOR
    assert server.request("GET", FAULTS)[2] == {"faults": []}  # both throttles were spent


def test_the_aws_cli_gives_up_after_its_max_attempts(server: Server) -> None:
    throttle = {"error": "ThrottlingException", "operation": "CreateCollaboration", "times": 5}
    _post(server, FAULTS, throttle)

    failed = _cli(server, CREATOR, *CREATE_COLLABORATION, AWS_MAX_ATTEMPTS="3")

    assert (
        "(ThrottlingException) when calling the CreateCollaboration operation (reached max "
        "retries: 2): Injected ThrottlingException for CreateCollaboration." in _cli_error(failed)
    )
    [left] = server.request("GET", FAULTS)[2]["faults"]
    assert left["times"] == 2  # three attempts reached the server
    assert server.client(CREATOR).list_collaborations()["collaborationList"] == []


def test_the_aws_cli_sees_an_injected_quota_error_with_its_members(server: Server) -> None:
    _post(
        server,
        FAULTS,
        {
            "error": "ServiceQuotaExceededException",
            "operation": "create_collaboration",
            "message": "Too many collaborations.",
            "quotaName": "Collaborations created per account",
            "quotaValue": 10,
        },
    )

    failed = _cli(server, CREATOR, *CREATE_COLLABORATION)

    assert (
        "(ServiceQuotaExceededException) when calling the CreateCollaboration operation: "
        "Too many collaborations." in _cli_error(failed)
    )


# ---- faults: the endpoint -------------------------------------------------------------------


def test_faults_are_listed_as_injected_and_cleared(server: Server) -> None:
    throttle = {"error": "ThrottlingException", "operation": "list_memberships", "times": 3}
    sometimes = {
        "error": "InternalServerException",
        "rate": 0.5,
        "seed": 7,
        "message": "Try again later.",
    }
    _post(server, FAULTS, throttle)
    _post(server, FAULTS, sometimes)

    status, _, listed = server.request("GET", FAULTS)

    assert status == 200
    assert listed["faults"] == [
        {**throttle, "operation": "ListMemberships", "rate": None, "seed": None, "message": None},
        {**sometimes, "operation": None, "times": None},
    ]
    throttled = error_of(lambda: server.client(CREATOR).list_memberships())
    assert throttled["Error"]["Code"] == "ThrottlingException"
    assert throttled["ResponseMetadata"]["HTTPStatusCode"] == 429

    assert server.request("DELETE", FAULTS)[:3:2] == (200, {"faults": []})
    assert server.request("GET", FAULTS)[2] == {"faults": []}
    assert server.client(CREATOR).list_memberships()["membershipSummaries"] == []


def test_an_injected_error_carries_its_members_to_boto3(server: Server) -> None:
    collaboration = server.client(CREATOR).create_collaboration(**collaboration_params())
    _post(
        server,
        FAULTS,
        {
            "error": "ServiceQuotaExceededException",
            "operation": "CreateMembership",
            "quotaName": "Memberships per account",
            "quotaValue": 100,
        },
    )

    error = error_of(
        lambda: server.client(MEMBER_A).create_membership(
            collaborationIdentifier=collaboration["collaboration"]["id"], queryLogStatus="ENABLED"
        )
    )

    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert (error["quotaName"], error["quotaValue"]) == ("Memberships per account", 100.0)


BAD_FAULTS = {
    "error-the-operation-does-not-declare": {
        "error": "ResourceNotFoundException",
        "operation": "get_collaboration",
    },
    "error-no-operation-declares": {"error": "TeapotException"},
    "unknown-operation": {"error": "ThrottlingException", "operation": "join_collaboration"},
    "times-as-text": {"error": "ThrottlingException", "times": "2"},
    "times-zero": {"error": "ThrottlingException", "times": 0},
    "times-fractional": {"error": "ThrottlingException", "times": 1.5},
    "rate-above-one": {"error": "ThrottlingException", "rate": 1.5},
    "rate-as-bool": {"error": "ThrottlingException", "rate": True},
    "seed-as-text": {"error": "ThrottlingException", "rate": 0.5, "seed": "x"},
    "message-not-text": {"error": "ThrottlingException", "message": 5},
    "operation-not-text": {"error": "ThrottlingException", "operation": ["CreateMembership"]},
    "required-member-missing": {
        "error": "ServiceQuotaExceededException",
        "operation": "create_membership",
    },
    "member-the-error-lacks": {"error": "ThrottlingException", "retryAfterSeconds": 3},
    "member-of-the-wrong-type": {
        "error": "ServiceQuotaExceededException",
        "quotaName": "Memberships per account",
        "quotaValue": "a hundred",
    },
    "member-outside-its-enum": {"error": "ConflictException", "reason": "BECAUSE"},
}


@pytest.mark.parametrize("document", list(BAD_FAULTS.values()), ids=list(BAD_FAULTS))
def test_a_bad_fault_answers_the_python_apis_message_and_injects_nothing(
    server: Server, document: dict[str, Any]
) -> None:
    with mock_cleanrooms() as mock, pytest.raises(ValueError) as python_api:
        mock.inject(**document)

    status, headers, answer = server.request("POST", FAULTS, json.dumps(document).encode())

    assert status == 400
    assert headers["x-amzn-ErrorType"] == answer["__type"] == "InvalidFault"
    assert answer["message"] == str(python_api.value)
    assert server.request("GET", FAULTS)[2] == {"faults": []}


@pytest.mark.parametrize(
    ("body", "kind", "says"),
    [
        (b"{oops", "SerializationException", "A fault is not valid JSON."),
        (b'["ThrottlingException"]', "InvalidFault", "A fault must be a JSON object."),
        (b"{}", "InvalidFault", "A fault needs its 'error'"),
    ],
    ids=["not-json", "not-an-object", "no-error"],
)
def test_a_fault_that_is_not_a_fault_object_is_refused(
    server: Server, body: bytes, kind: str, says: str
) -> None:
    status, _, answer = server.request("POST", FAULTS, body)

    assert (status, answer["__type"]) == (400, kind)
    assert says in answer["message"]
    assert server.request("GET", FAULTS)[2] == {"faults": []}


# ---- quotas ---------------------------------------------------------------------------------


def test_quotas_are_read_with_their_defaults_and_set_by_name(server: Server) -> None:
    status, _, everything = server.request("GET", QUOTAS)
    assert status == 200
    assert everything["quotas"] == {
        name: {"value": value, "default": value} for name, value in DEFAULTS.items()
    }

    status, answer = _post(server, QUOTAS, {"collaborations_per_account": 1})

    assert status == 200
    assert answer["quotas"]["collaborations_per_account"] == {"value": 1, "default": 10}
    assert _quota_values(server) == {**DEFAULTS, "collaborations_per_account": 1}
    server.client(CREATOR).create_collaboration(**collaboration_params())
    error = error_of(lambda: server.client(CREATOR).create_collaboration(**collaboration_params()))
    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["quotaName"] == "Collaborations created per account"
    assert error["quotaValue"] == 1.0


def test_putting_quotas_sets_them_and_returns_the_others_to_their_defaults(server: Server) -> None:
    _post(server, QUOTAS, {"collaborations_per_account": 1, "memberships_per_account": 2})

    status, answer = _post(server, QUOTAS, {"memberships_per_account": 3}, method="PUT")

    assert status == 200
    assert _quota_values(server) == {**DEFAULTS, "memberships_per_account": 3}
    assert answer["quotas"]["memberships_per_account"]["value"] == 3


@pytest.mark.parametrize(
    ("document", "says"),
    [
        (
            {"memberships_per_account": 2, "members_per_collab": 3},
            "Unknown Clean Rooms quota 'members_per_collab'; known quotas: "
            "collaborations_per_account, members_per_collaboration, memberships_per_account",
        ),
        (
            {"memberships_per_account": 2, "collaborations_per_account": -1},
            "Quota 'collaborations_per_account' must be a non-negative integer, not -1",
        ),
        ({"memberships_per_account": "2"}, "must be a non-negative integer, not '2'"),
        ({"memberships_per_account": 2.5}, "must be a non-negative integer, not 2.5"),
        ({"memberships_per_account": True}, "must be a non-negative integer, not True"),
        (
            {"memberships_per_account": 99999999999999999999999},
            "must be at most 2147483647 (2**31 - 1, far above any AWS Clean Rooms quota), not "
            "99999999999999999999999",
        ),
        ({"collaborations_per_account": 2**31}, "must be at most 2147483647"),
    ],
    ids=["unknown-name", "negative", "text", "fraction", "bool", "huge", "2**31"],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_a_bad_quota_answers_400_and_changes_none(
    server: Server, method: str, document: dict[str, Any], says: str
) -> None:
    _post(server, QUOTAS, {"members_per_collaboration": 4})

    status, headers, answer = server.request(method, QUOTAS, json.dumps(document).encode())

    assert status == 400
    assert headers["x-amzn-ErrorType"] == answer["__type"] == "InvalidQuota"
    assert says in answer["message"]
    assert _quota_values(server) == {**DEFAULTS, "members_per_collaboration": 4}


@pytest.mark.parametrize(
    ("body", "kind"),
    [(b"[1]", "InvalidQuota"), (b"nope", "SerializationException")],
    ids=["not-an-object", "not-json"],
)
def test_quotas_that_are_not_a_json_object_are_refused(
    server: Server, body: bytes, kind: str
) -> None:
    status, _, answer = server.request("POST", QUOTAS, body)

    assert (status, answer["__type"]) == (400, kind)
    assert _quota_values(server) == DEFAULTS


def test_the_aws_cli_sees_a_quota_set_over_http(server: Server) -> None:
    _post(server, QUOTAS, {"members_per_collaboration": 0})

    failed = _cli(server, CREATOR, *CREATE_COLLABORATION)

    assert (
        "(ServiceQuotaExceededException) when calling the CreateCollaboration operation: Request"
        " would exceed the quota 'Members invited per collaboration' of 0." in _cli_error(failed)
    )


def test_a_reset_clears_faults_and_quotas(server: Server) -> None:
    _post(server, FAULTS, {"error": "ThrottlingException"})
    _post(server, QUOTAS, {"collaborations_per_account": 0})

    assert server.request("POST", "/_cleanrooms_mock/reset")[0] == 200

    assert server.request("GET", FAULTS)[2] == {"faults": []}
    assert _quota_values(server) == DEFAULTS
    assert server.client(CREATOR).create_collaboration(**collaboration_params())


# ---- serve --quota ---------------------------------------------------------------------------


def test_quotas_given_at_start_apply_and_a_reset_returns_to_them() -> None:
    server = Server(
        "--quota", "collaborations_per_account=1", "--quota", "memberships_per_account=7"
    )
    try:
        started = {**DEFAULTS, "collaborations_per_account": 1, "memberships_per_account": 7}
        assert _quota_values(server) == started
        created = _cli(server, CREATOR, *CREATE_COLLABORATION)
        assert created.returncode == 0, created.stderr
        refused = _cli(server, CREATOR, *CREATE_COLLABORATION)
        assert "Request would exceed the quota 'Collaborations created per account' of 1." in (
            _cli_error(refused)
        )

        _post(server, QUOTAS, {"collaborations_per_account": 5})
        assert server.request("POST", "/_cleanrooms_mock/reset")[0] == 200

        assert _quota_values(server) == started
    finally:
        code, _, errors = server.stop()
    assert code == 0, errors


KNOWN = "known quotas: " + ", ".join(DEFAULTS)


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("collaborations=3", f"Unknown Clean Rooms quota 'collaborations'; {KNOWN}"),
        ("memberships_per_account", f"'memberships_per_account' is not NAME=VALUE; {KNOWN}"),
        (
            "memberships_per_account=many",
            "Quota 'memberships_per_account' must be a non-negative integer, not 'many'",
        ),
        (
            "memberships_per_account=-2",
            "Quota 'memberships_per_account' must be a non-negative integer, not '-2'",
        ),
        (
            "memberships_per_account=99999999999999999999999",
            "Quota 'memberships_per_account' must be at most 2147483647 (2**31 - 1, far above any "
            "AWS Clean Rooms quota), not 99999999999999999999999",
        ),
    ],
    ids=["unknown-name", "no-value", "not-a-number", "negative", "huge"],
)
def test_a_bad_quota_at_start_stops_with_a_message(setting: str, says: str) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "cleanrooms_mock", "serve", "--port", "0", "--quota", setting],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        env=_environment(),
    )

    assert process.returncode == 2
    assert f"argument --quota: {says} (e.g. --quota memberships_per_account=2)" in process.stderr
    assert "Traceback" not in process.stderr
    assert process.stdout == ""  # never started


# ---- --verbose -------------------------------------------------------------------------------


def test_verbose_logs_one_line_per_clean_rooms_call() -> None:
    server = Server("--verbose")
    try:
        _post(server, FAULTS, {"error": "ThrottlingException", "operation": "get_collaboration"})
        server.client(MEMBER_A).list_collaborations()
        throttled = error_of(
            lambda: server.client(CREATOR).get_collaboration(
                collaborationIdentifier="00000000-0000-4000-8000-000000000000"
            )
        )
        assert throttled["Error"]["Code"] == "ThrottlingException"
        assert throttled["ResponseMetadata"]["RetryAttempts"] == 1  # the client retried once
        server.request("GET", "/no/such/operation", headers=_signed(CREATOR, "eu-west-2"))
    finally:
        code, _, errors = server.stop()

    assert code == 0
    calls = [line for line in errors.splitlines() if " account=" in line]
    assert [line.split("] ", 1)[1] for line in calls] == [
        f"ListCollaborations account={MEMBER_A} region={REGION} status=200 error=-",
        f"GetCollaboration account={CREATOR} region={REGION} status=429 error=ThrottlingException",
        f"GetCollaboration account={CREATOR} region={REGION} status=429 error=ThrottlingException",
        f"- account={CREATOR} region=eu-west-2 status=404 error=UnknownOperationException",
    ]
    # Requests that are not Clean Rooms calls keep werkzeug's access line; calls do not get one.
    assert '"POST /_cleanrooms_mock/faults HTTP/1.1" 200' in errors
    assert "/collaborations HTTP/1.1" not in errors
    assert "Traceback" not in errors


def test_a_quiet_server_logs_nothing() -> None:
    server = Server()
    try:
        server.client(CREATOR).list_collaborations()
        server.request("GET", "/_cleanrooms_mock/health")
    finally:
        code, _, errors = server.stop()
    assert code == 0
    assert errors == ""


def _signed(account: str, region: str = REGION) -> dict[str, str]:
    """The Authorization header of a SigV4 request by ``account`` (its 12-digit access key)."""
    return {
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential={account}/20250101/{region}/cleanrooms/aws4_request, "
            "SignedHeaders=host, Signature=abc"
        )
    }


# ---- persistent connections -----------------------------------------------------------------


@pytest.fixture
def in_process() -> Iterator[CleanRoomsServer]:
    """The server on a thread of this process; spoken to with raw HTTP only (boto3 in this
    process would be answered in-process while the server's mock is active)."""
    with CleanRoomsServer(port=0) as server:
        yield server


def _connection(server: CleanRoomsServer) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)


def _exchange(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    **options: Any,
) -> tuple[http.client.HTTPResponse, bytes]:
    connection.request(method, path, body=body, headers=headers or {}, **options)
    response = connection.getresponse()
    return response, response.read()


def test_two_requests_travel_on_one_connection(in_process: CleanRoomsServer) -> None:
    connection = _connection(in_process)
    try:
        first, _ = _exchange(connection, "GET", "/_cleanrooms_mock/health")
        socket_used = connection.sock
        second, body = _exchange(connection, "GET", "/collaborations", headers=_signed(CREATOR))

        assert (first.status, second.status) == (200, 200)
        assert first.getheader("Connection") is None and not first.will_close
        assert connection.sock is socket_used is not None  # not reconnected
        assert json.loads(body) == {"collaborationList": []}
    finally:
        connection.close()


def test_bodies_of_every_framing_keep_the_connection(in_process: CleanRoomsServer) -> None:
    state = json.dumps({"version": 1, "regions": {}}).encode()
    connection = _connection(in_process)
    try:
        sized, _ = _exchange(connection, "POST", "/_cleanrooms_mock/state", state)
        socket_used = connection.sock
        chunked, _ = _exchange(
            connection,
            "POST",
            "/_cleanrooms_mock/state",
            iter([state[:5], state[5:]]),
            encode_chunked=True,
        )
        head, head_body = _exchange(connection, "HEAD", "/no/such/path")
        empty, _ = _exchange(connection, "GET", "/_cleanrooms_mock/faults")

        assert [r.status for r in (sized, chunked, head, empty)] == [200, 200, 404, 200]
        assert head_body == b""
        assert int(head.getheader("Content-Length")) > 0  # the length a GET's body would have
        assert connection.sock is socket_used
    finally:
        connection.close()


def test_a_deleted_collaboration_answers_204_without_a_body(in_process: CleanRoomsServer) -> None:
    connection = _connection(in_process)
    headers = {**_signed(CREATOR), "Content-Type": "application/json"}
    try:
        created, body = _exchange(
            connection, "POST", "/collaborations", json.dumps(collaboration_params()), headers
        )
        identifier = json.loads(body)["collaboration"]["id"]
        deleted, _ = _exchange(connection, "DELETE", f"/collaborations/{identifier}", None, headers)
        listed, body = _exchange(connection, "GET", "/collaborations", None, headers)

        assert (created.status, deleted.status, listed.status) == (200, 204, 200)
        assert deleted.getheader("Content-Length") is None
        assert json.loads(body) == {"collaborationList": []}
    finally:
        connection.close()


def _raw(server: CleanRoomsServer, data: bytes, *, end: bool = True) -> bytes:
    """Send ``data`` on a new socket and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        raw.sendall(data)
        if end:
            raw.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := raw.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def _statuses(reply: bytes) -> list[int]:
    """The status of each answer in ``reply`` (several when the connection was kept)."""
    return [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", reply)]


@pytest.mark.parametrize(
    ("request_bytes", "says"),
    [
        (b"GARBAGE\r\n\r\n", b"Bad request"),
        (b"GET / HTTP/x.y\r\nHost: x\r\n\r\n", b"Bad request version"),
        (
            b"POST /_cleanrooms_mock/state HTTP/1.1\r\nContent-Length: -3\r\n\r\n",
            b"Invalid Content-Length",
        ),
        (
            b"POST /_cleanrooms_mock/state HTTP/1.1\r\nContent-Length: 2\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            b"Transfer-Encoding",
        ),
        (
            b"POST /_cleanrooms_mock/state HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            b"Transfer-Encoding",
        ),
        (
            b"POST /_cleanrooms_mock/state HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"zz\r\n{}\r\n0\r\n\r\n",
            b"The request body could not be read",
        ),
    ],
    ids=[
        "garbage",
        "bad-version",
        "negative-length",
        "length-and-chunked",
        "not-chunked",
        "broken-chunks",
    ],
)
def test_after_a_good_request_a_malformed_one_is_answered_400_and_closed(
    in_process: CleanRoomsServer, request_bytes: bytes, says: bytes
) -> None:
    good = b"GET /_cleanrooms_mock/health HTTP/1.1\r\nHost: x\r\n\r\n"

    reply = _raw(in_process, good + request_bytes, end=False)  # the server closes, not us

    assert _statuses(reply) == [200, 400]
    last = reply.rsplit(b"HTTP/1.1 ", 1)[1]
    assert b"Connection: close" in last
    assert b"x-amzn-ErrorType: BadRequestException" in last
    assert says in last


def test_a_client_expecting_100_continue_is_told_to_send_its_body(
    in_process: CleanRoomsServer,
) -> None:
    state = json.dumps({"version": 1, "regions": {}}).encode()
    with socket.create_connection(("127.0.0.1", in_process.port), timeout=30) as raw:
        raw.sendall(
            b"POST /_cleanrooms_mock/state HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            + f"Content-Length: {len(state)}\r\n\r\n".encode()
        )
        interim = raw.recv(1024)  # before any body is sent
        raw.sendall(state + b"GET /_cleanrooms_mock/faults HTTP/1.1\r\nHost: x\r\n\r\n")
        raw.shutdown(socket.SHUT_WR)
        rest = raw.makefile("rb").read()

    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert _statuses(rest) == [200, 200]  # the upload, then a request on the same connection
    assert rest.endswith(b'{"faults": []}')


def test_a_body_shorter_than_announced_does_not_hold_up_other_clients(
    in_process: CleanRoomsServer,
) -> None:
    with socket.create_connection(("127.0.0.1", in_process.port), timeout=30) as stalled:
        stalled.sendall(b"POST /_cleanrooms_mock/state HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
        connection = _connection(in_process)
        try:
            answer, _ = _exchange(connection, "GET", "/_cleanrooms_mock/health")
        finally:
            connection.close()
        assert answer.status == 200
        stalled.shutdown(socket.SHUT_WR)  # the stalled client gives up: answered, then closed
        reply = stalled.makefile("rb").read()
    assert _statuses(reply) == [400]
    assert b"Connection: close" in reply


def test_a_refused_body_is_answered_and_the_connection_closed(
    in_process: CleanRoomsServer,
) -> None:
    too_large = b" " * (10 * 1024 * 1024 + 1)
    connection = _connection(in_process)
    try:
        answer, body = _exchange(
            connection,
            "POST",
            "/collaborations",
            too_large,
            {**_signed(CREATOR), "Content-Type": "application/json"},
        )
    finally:
        connection.close()
    assert answer.status == 413
    assert answer.getheader("Connection") == "close"
    assert json.loads(body)["message"] == "Request Entity Too Large"


def test_stopping_closes_idle_connections() -> None:
    server = CleanRoomsServer(port=0)
    server.start()
    connection = _connection(server)
    try:
        answer, _ = _exchange(connection, "GET", "/_cleanrooms_mock/health")
        assert answer.status == 200 and connection.sock is not None
        idle = connection.sock

        server.stop()

        assert idle.recv(1) == b""  # the server's end is closed
    finally:
        connection.close()
        server.stop()


@pytest.mark.parametrize("path", [FAULTS, QUOTAS, "/_cleanrooms_mock/state"])
@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[" * 10000 + b"]" * 10000, "nested too deeply"),
        (b'{"error": "ThrottlingException", "rate": NaN}', "NaN is not a JSON value"),
        (b'{"memberships_per_account": Infinity}', "Infinity is not a JSON value"),
        (b'{"memberships_per_account": 1' + b"0" * 5000 + b"}", "more digits than can be read"),
    ],
    ids=["nested", "NaN", "Infinity", "5000 digits"],
)
def test_what_json_has_not_is_refused_by_the_administration(
    server: Server, path: str, body: bytes, says: str
) -> None:
    status, headers, answer = server.request("POST", path, body)

    assert (status, headers["x-amzn-ErrorType"]) == (400, "SerializationException")
    assert answer["__type"] == "SerializationException"
    assert says in answer["message"]
    assert server.request("GET", FAULTS)[2] == {"faults": []}
    assert _quota_values(server) == DEFAULTS
    assert server.request("GET", "/_cleanrooms_mock/state")[2]["regions"] == {}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/_cleanrooms_mock/everything"),
        ("GET", "/_cleanrooms_mock"),
        ("PATCH", QUOTAS),
        ("GET", FAULTS + "/1"),
        ("POST", "/_cleanrooms_mock/health"),
        ("GET", "/moto-api/reset"),
    ],
)
def test_every_administration_error_names_its_type_in_the_body_and_the_header(
    server: Server, method: str, path: str
) -> None:
    status, headers, answer = server.request(method, path)

    assert status == 404
    assert headers["x-amzn-ErrorType"] == answer["__type"] == "UnknownOperationException"
    assert f"No cleanrooms-mock administration endpoint {method} {path}" in answer["message"]
    for bad in (b"{oops", b"[1]", b'{"nope": 1}'):  # and so do its 400s
        status, headers, answer = server.request("POST", QUOTAS, bad)
        assert status == 400
        assert headers["x-amzn-ErrorType"] == answer["__type"]
