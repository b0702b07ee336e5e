"""Server mode: `cleanrooms-mock serve` in a subprocess, driven by boto3, raw HTTP and the AWS CLI.

Every request goes to 127.0.0.1; clients get the server's endpoint and nothing else changes.
The account is the access key when it is 12 digits, the ``x-moto-account-id`` header, or the
account of STS credentials the server itself issued, as in moto's server mode.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.helpers import (
    CREATOR,
    MEMBER_A,
    MEMBER_B,
    REGION,
    STRANGER,
    collaboration_params,
    error_of,
)

STARTUP_SECONDS = 60


class Server:
    """A `cleanrooms-mock serve` subprocess and clients pointed at it."""

    def __init__(self, *arguments: str, command: list[str] | None = None) -> None:
        base = command or [sys.executable, "-m", "cleanrooms_mock"]
        self.process = subprocess.Popen(
            [*base, "serve", "--port", "0", *arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(),
        )
        self.banner = _read_line(self.process, STARTUP_SECONDS)
        if "http://" not in self.banner:
            self.process.kill()
            _, errors = self.process.communicate()
            raise AssertionError(f"server did not start: {self.banner!r} {errors}")
        self.url = self.banner.split("AWS Clean Rooms on ", 1)[1].split()[0].rstrip(",")
        self.port = int(self.url.rsplit(":", 1)[1])

    def client(self, account: str = CREATOR, service: str = "cleanrooms", **kwargs: Any) -> Any:
        """A boto3 client of ``account``: a 12-digit access key names the account."""
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=account,
            aws_secret_access_key="secret",
            config=Config(retries={"max_attempts": 1}),
            **kwargs,
        )

    def assumed_client(self, account: str, service: str = "cleanrooms") -> Any:
        """A boto3 client with credentials the server's STS issued for a role of ``account``."""
        credentials = self.client("AKIAEXAMPLE", "sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/automation", RoleSessionName="tests"
        )["Credentials"]
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        """One raw HTTP request; the body of the answer must be JSON."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return response.status, dict(response.getheaders()), json.loads(data or b"null")
        finally:
            connection.close()

    def stop(self, how: signal.Signals = signal.SIGTERM) -> tuple[int, str, str]:
        self.process.send_signal(how)
        out, errors = self.process.communicate(timeout=30)
        return self.process.returncode, self.banner + out, errors


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    env.update(AWS_ACCESS_KEY_ID="ignored", AWS_SECRET_ACCESS_KEY="ignored")
    return env


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return line[0] if line else ""


@pytest.fixture(scope="module")
def shared_server() -> Iterator[Server]:
    server = Server()
    yield server
    server.stop()


@pytest.fixture
def server(shared_server: Server) -> Server:
    """The module's server, emptied before each test through the administration endpoint."""
    status, _, _ = shared_server.request("POST", "/_cleanrooms_mock/reset")
    assert status == 200
    return shared_server


def _create(server: Server, creator: str = CREATOR, **overrides: Any) -> dict[str, Any]:
    result: dict[str, Any] = server.client(creator).create_collaboration(
        **collaboration_params(**overrides)
    )["collaboration"]
    return result


# ---- boto3 against the endpoint -------------------------------------------------------------


def test_two_accounts_create_and_join_through_the_endpoint(server: Server) -> None:
    collaboration = _create(server)
    assert collaboration["creatorAccountId"] == CREATOR

    membership = server.client(MEMBER_A).create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
    )["membership"]

    assert membership["arn"].startswith(f"arn:aws:cleanrooms:{REGION}:{MEMBER_A}:membership/")
    assert membership["collaborationCreatorAccountId"] == CREATOR
    listed = server.client(MEMBER_A).list_memberships()["membershipSummaries"]
    assert [m["id"] for m in listed] == [membership["id"]]
    members = server.client(CREATOR).list_members(collaborationIdentifier=collaboration["id"])
    statuses = {m["accountId"]: m["status"] for m in members["memberSummaries"]}
    assert statuses == {CREATOR: "INVITED", MEMBER_A: "ACTIVE", MEMBER_B: "INVITED"}


def test_errors_come_back_as_the_service_sends_them(server: Server) -> None:
    collaboration = _create(server)

    denied = error_of(
        lambda: server.client(STRANGER).get_collaboration(
            collaborationIdentifier=collaboration["id"]
        )
    )
    invalid = error_of(
        lambda: server.client(MEMBER_A).create_membership(
            collaborationIdentifier=collaboration["id"], queryLogStatus="SOMETIMES"
        )
    )

    assert denied["Error"]["Code"] == "AccessDeniedException"
    assert denied["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert invalid["Error"]["Code"] == "ValidationException"
    assert invalid["reason"] == "FIELD_VALIDATION_FAILED"
    assert [f["name"] for f in invalid["fieldList"]] == ["queryLogStatus"]


def test_the_account_header_and_sts_credentials_name_the_caller(server: Server) -> None:
    collaboration = _create(server)
    by_header = boto3.client(
        "cleanrooms",
        endpoint_url=server.url,
        region_name=REGION,
        aws_access_key_id="AKIAEXAMPLE",
        aws_secret_access_key="secret",
    )
    by_header.meta.events.register(
        "before-sign.cleanrooms",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", MEMBER_A),
    )
    by_sts = server.assumed_client(MEMBER_B)

    joined_a = by_header.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
    )["membership"]
    joined_b = by_sts.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
    )["membership"]

    assert f":{MEMBER_A}:membership/" in joined_a["arn"]
    assert f":{MEMBER_B}:membership/" in joined_b["arn"]


def test_other_services_are_served_by_moto_beside_clean_rooms(server: Server) -> None:
    as_role = server.assumed_client(MEMBER_A, "sts")

    assert as_role.get_caller_identity()["Account"] == MEMBER_A


def test_a_region_comes_from_the_signature(server: Server) -> None:
    _create(server)
    other_region = boto3.client(
        "cleanrooms",
        endpoint_url=server.url,
        region_name="eu-west-2",
        aws_access_key_id=CREATOR,
        aws_secret_access_key="secret",
    )

    assert other_region.list_collaborations()["collaborationList"] == []
    assert len(server.client(CREATOR).list_collaborations()["collaborationList"]) == 1


# ---- bad requests ---------------------------------------------------------------------------

SIGNED = {
    "Authorization": (
        f"AWS4-HMAC-SHA256 Credential={CREATOR}/20250101/{REGION}/cleanrooms/aws4_request, "
        "SignedHeaders=host, Signature=abc"
    )
}


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status", "error"),
    [
        (
            "POST",
            "/collaborations",
            b"{not json",
            "application/json",
            400,
            "SerializationException",
        ),
        ("POST", "/collaborations", b"[1, 2]", "application/json", 400, "SerializationException"),
        ("POST", "/collaborations", b"{}", "text/plain", 415, "UnsupportedMediaTypeException"),
        ("POST", "/collaborations", b"{}", None, 415, "UnsupportedMediaTypeException"),
        ("GET", "/no/such/path", b"", None, 404, "UnknownOperationException"),
        ("PATCH", "/collaborations", b"", None, 404, "UnknownOperationException"),
        ("POST", "/collaborations", b"{}", "application/json", 400, "ValidationException"),
        (
            "POST",
            "/collaborations",
            b" " * (10 * 1024 * 1024 + 1),
            "application/json",
            413,
            "RequestEntityTooLargeException",
        ),
    ],
    ids=[
        "malformed-json",
        "not-an-object",
        "wrong-content-type",
        "no-content-type",
        "unknown-path",
        "unknown-method",
        "missing-required-members",
        "body-too-large",
    ],
)
def test_bad_requests_get_an_aws_error_and_the_server_keeps_serving(
    server: Server,
    method: str,
    path: str,
    body: bytes,
    content_type: str | None,
    status: int,
    error: str,
) -> None:
    headers = dict(SIGNED)
    if content_type is not None:
        headers["Content-Type"] = content_type

    answer, answer_headers, document = server.request(method, path, body, headers)

    assert answer == status
    assert answer_headers["x-amzn-ErrorType"] == error
    assert isinstance(document, dict)
    assert document.get("message")
    assert "Traceback" not in json.dumps(document)
    assert server.client(CREATOR).list_collaborations()["collaborationList"] == []


def test_garbage_on_the_socket_does_not_stop_the_server(server: Server) -> None:
    replies = []
    for garbage in (b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/x.y\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
            raw.sendall(garbage)
            replies.append(raw.makefile("rb").read())

    for reply in replies:
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.split(b"\r\n", 1)[0].split(b" ")[1] == b"400"
        assert b"x-amzn-ErrorType: BadRequestException" in head
        assert json.loads(body)["message"]
    assert server.request("GET", "/_cleanrooms_mock/health")[0] == 200


def test_a_service_moto_does_not_have_is_refused_clearly(server: Server) -> None:
    headers = {
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential={CREATOR}/20250101/{REGION}/nosuchservice/aws4_request,"
            " SignedHeaders=host, Signature=abc"
        )
    }

    status, answer_headers, document = server.request("GET", "/anything", b"", headers)

    assert status == 501
    assert answer_headers["x-amzn-ErrorType"] == "ServiceNotServed"
    assert "nosuchservice" in document["message"]


# ---- administration -------------------------------------------------------------------------


def test_state_is_dumped_and_reset_through_the_admin_endpoints(server: Server) -> None:
    collaboration = _create(server)

    status, _, state = server.request("GET", "/_cleanrooms_mock/state")
    assert status == 200
    [dumped] = state["regions"][REGION]["collaborations"]
    assert dumped["id"] == collaboration["id"]

    assert server.request("POST", "/_cleanrooms_mock/reset")[0] == 200
    assert server.client(CREATOR).list_collaborations()["collaborationList"] == []

    status, _, answer = server.request(
        "POST", "/_cleanrooms_mock/state", json.dumps(state).encode()
    )
    assert (status, answer["collaborations"]) == (200, 1)
    restored = server.client(CREATOR).get_collaboration(collaborationIdentifier=collaboration["id"])
    assert restored["collaboration"]["createTime"] == collaboration["createTime"]


def test_moto_servers_reset_endpoint_resets_clean_rooms_too(server: Server) -> None:
    _create(server)

    assert server.request("POST", "/moto-api/reset")[0] == 200

    assert server.client(CREATOR).list_collaborations()["collaborationList"] == []


def test_putting_a_state_replaces_it_and_a_bad_one_changes_nothing(server: Server) -> None:
    kept = _create(server, name="kept")
    _, _, snapshot = server.request("GET", "/_cleanrooms_mock/state")
    _create(server, name="dropped")

    status, _, _ = server.request("PUT", "/_cleanrooms_mock/state", json.dumps(snapshot).encode())
    assert status == 200
    names = [c["name"] for c in server.client(CREATOR).list_collaborations()["collaborationList"]]
    assert names == ["kept"]

    bad = {"version": 1, "regions": {REGION: {"collaborations": [{"name": "no creator"}]}}}
    status, _, answer = server.request("PUT", "/_cleanrooms_mock/state", json.dumps(bad).encode())
    assert status == 400
    assert answer["__type"] == "SeedError"
    assert any("creatorAccountId" in problem for problem in answer["problems"])
    assert server.client(CREATOR).get_collaboration(collaborationIdentifier=kept["id"])

    status, _, answer = server.request("POST", "/_cleanrooms_mock/state", b"{oops")
    assert (status, answer["__type"]) == (400, "SerializationException")


def test_health_names_the_version_and_the_implemented_operations(server: Server) -> None:
    status, _, health = server.request("GET", "/_cleanrooms_mock/health")

    assert status == 200
    assert health["status"] == "running"
    assert "CreateMembership" in health["implementedOperations"]


def test_an_unknown_admin_endpoint_is_a_404(server: Server) -> None:
    status, headers, document = server.request("DELETE", "/_cleanrooms_mock/everything")

    assert status == 404
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert "/_cleanrooms_mock/health" in document["message"]


# ---- concurrency ----------------------------------------------------------------------------


def test_many_clients_at_once_lose_and_duplicate_nothing(server: Server) -> None:
    creators = [f"1000000000{i:02d}" for i in range(8)]
    members = [f"2000000000{j:02d}" for j in range(4)]
    per_creator = 3

    def work(creator: str) -> list[tuple[str, str, str]]:
        clients = {account: server.client(account) for account in [creator, *members]}
        joined = []
        for n in range(per_creator):
            collaboration = clients[creator].create_collaboration(
                **collaboration_params(
                    name=f"{creator}-{n}",
                    members=[
                        {"accountId": m, "displayName": f"m{m[-2:]}", "memberAbilities": []}
                        for m in members
                    ],
                )
            )["collaboration"]
            for account in [creator, *members]:
                membership = clients[account].create_membership(
                    collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
                )["membership"]
                joined.append((account, collaboration["id"], membership["id"]))
        return joined

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [item for part in pool.map(work, creators) for item in part]

    assert len(results) == 8 * per_creator * 5
    for account in creators + members:
        paginator = server.client(account).get_paginator("list_memberships")
        listed = [
            m["id"]
            for page in paginator.paginate(PaginationConfig={"PageSize": 7})
            for m in page["membershipSummaries"]
        ]
        expected = [m for a, _, m in results if a == account]
        assert sorted(listed) == sorted(expected)
        assert len(listed) == len(set(listed))
    for creator in creators:
        mine = server.client(creator).list_collaborations(memberStatus="ACTIVE")
        assert len(mine["collaborationList"]) == per_creator
        for collaboration in mine["collaborationList"]:
            summaries = server.client(creator).list_members(
                collaborationIdentifier=collaboration["id"]
            )["memberSummaries"]
            assert sorted(m["status"] for m in summaries) == ["ACTIVE"] * 5


# ---- the process: state file, signals, start-up errors --------------------------------------


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_state_file_is_loaded_at_start_and_saved_on_shutdown(
    tmp_path: Path, how: signal.Signals
) -> None:
    state = tmp_path / "state.json"
    first = Server("--state", str(state))
    collaboration = _create(first)
    code, output, errors = first.stop(how)
    assert code == 0, errors
    assert "state saved to" in output
    assert "Traceback" not in errors
    saved = json.loads(state.read_text())
    assert saved["regions"][REGION]["collaborations"][0]["id"] == collaboration["id"]
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary file left

    second = Server("--state", str(state))
    try:
        again = second.client(CREATOR).get_collaboration(
            collaborationIdentifier=collaboration["id"]
        )
        assert again["collaboration"]["name"] == collaboration["name"]
    finally:
        second.stop()


def test_a_killed_server_leaves_the_previous_state_file_intact(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = Server("--state", str(state))
    _create(first, name="saved")
    first.stop()
    before = state.read_bytes()

    crashed = Server("--state", str(state))
    _create(crashed, name="lost in the crash")
    crashed.stop(signal.SIGKILL)

    assert state.read_bytes() == before


def test_a_bad_state_file_stops_the_start_with_a_message(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"version": 7}')

    process = subprocess.run(
        [sys.executable, "-m", "cleanrooms_mock", "serve", "--port", "0", "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        env=_environment(),
    )

    assert process.returncode == 1
    assert "cannot start" in process.stderr and "version" in process.stderr
    assert "Traceback" not in process.stderr


def test_a_port_in_use_stops_the_start_with_a_message(shared_server: Server) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "cleanrooms_mock", "serve", "--port", str(shared_server.port)],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        env=_environment(),
    )

    assert process.returncode == 1
    assert "cannot start" in process.stderr
    assert "Traceback" not in process.stderr


def test_the_console_script_serves_too() -> None:
    script = Path(sys.executable).parent / "cleanrooms-mock"
    server = Server(command=[str(script)])
    try:
        assert server.client(CREATOR).list_collaborations()["collaborationList"] == []
    finally:
        code, output, _ = server.stop()
    assert code == 0
    assert "stopped" in output


# ---- the AWS CLI ----------------------------------------------------------------------------


def _run_aws(server: Server, credentials: dict[str, str], *arguments: str) -> Any:
    """Run the AWS CLI against the server, as a subprocess: awscli vendors its own botocore."""
    executable = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
    assert executable, "the AWS CLI is part of the test extras: pip install -e '.[test]'"
    env = _environment()
    env.update(
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        **credentials,
    )
    return subprocess.run(
        [executable, *arguments, "--endpoint-url", server.url, "--output", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _aws(server: Server, account: str, *arguments: str) -> dict[str, Any]:
    """The AWS CLI's JSON output for a command run as ``account`` (a 12-digit access key)."""
    keys = {"AWS_ACCESS_KEY_ID": account, "AWS_SECRET_ACCESS_KEY": "secret"}
    process = _run_aws(server, keys, *arguments)
    assert process.returncode == 0, process.stderr
    result: dict[str, Any] = json.loads(process.stdout)
    return result


def test_the_aws_cli_creates_a_collaboration_and_another_account_joins(server: Server) -> None:
    started = time.time()
    collaboration = _aws(
        server,
        CREATOR,
        "cleanrooms",
        "create-collaboration",
        "--name",
        "ads",
        "--description",
        "publisher x advertiser",
        "--creator-display-name",
        "Publisher",
        "--creator-member-abilities",
        "CAN_QUERY",
        "CAN_RECEIVE_RESULTS",
        "--members",
        f"accountId={MEMBER_A},displayName=Advertiser,memberAbilities=[]",
        "--query-log-status",
        "DISABLED",
    )["collaboration"]

    membership = _aws(
        server,
        MEMBER_A,
        "cleanrooms",
        "create-membership",
        "--collaboration-identifier",
        collaboration["id"],
        "--query-log-status",
        "DISABLED",
    )["membership"]
    listed = _aws(server, MEMBER_A, "cleanrooms", "list-memberships")["membershipSummaries"]

    assert collaboration["creatorAccountId"] == CREATOR
    assert membership["collaborationId"] == collaboration["id"]
    assert membership["status"] == "ACTIVE"
    assert [m["id"] for m in listed] == [membership["id"]]
    assert membership["createTime"] >= int(started) - 1  # the CLI parsed a real timestamp


def test_the_aws_cli_switches_accounts_with_sts_from_the_same_endpoint(server: Server) -> None:
    collaboration = _create(server)
    credentials = _aws(
        server,
        "AKIAEXAMPLE",
        "sts",
        "assume-role",
        "--role-arn",
        f"arn:aws:iam::{MEMBER_B}:role/automation",
        "--role-session-name",
        "cli",
    )["Credentials"]
    assumed = {
        "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
        "AWS_SESSION_TOKEN": credentials["SessionToken"],
    }

    joined = _run_aws(
        server,
        assumed,
        "cleanrooms",
        "create-membership",
        "--collaboration-identifier",
        collaboration["id"],
        "--query-log-status",
        "DISABLED",
    )

    assert joined.returncode == 0, joined.stderr
    assert f":{MEMBER_B}:membership/" in json.loads(joined.stdout)["membership"]["arn"]


def test_the_aws_cli_shows_the_services_error(server: Server) -> None:
    keys = {"AWS_ACCESS_KEY_ID": MEMBER_A, "AWS_SECRET_ACCESS_KEY": "secret"}

    failed = _run_aws(
        server,
        keys,
        "cleanrooms",
        "get-collaboration",
        "--collaboration-identifier",
        "00000000-0000-4000-8000-000000000000",
    )

    assert failed.returncode == 255  # AWS CLI v1: a service error
    assert "(AccessDeniedException) when calling the GetCollaboration operation" in failed.stderr


@pytest.mark.parametrize("account", ["111111111111", MEMBER_A, CREATOR])
def test_the_aws_cli_sts_names_the_account_clean_rooms_acts_as(
    server: Server, account: str
) -> None:
    identity = _aws(server, account, "sts", "get-caller-identity")
    created = _aws(
        server,
        account,
        "cleanrooms",
        "create-collaboration",
        "--name",
        "who",
        "--description",
        "d",
        "--creator-display-name",
        "Me",
        "--creator-member-abilities",
        "CAN_QUERY",
        "CAN_RECEIVE_RESULTS",
        "--members",
        "[]",
        "--query-log-status",
        "DISABLED",
    )["collaboration"]

    assert identity["Account"] == account
    assert created["creatorAccountId"] == account


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 10000 + b"]" * 10000,
        b'{"name": ' + b"[" * 10000 + b"]" * 10000 + b"}",
        b'{"name": NaN}',
        b'{"name": "ads", "queryLogStatus": Infinity}',
        b'{"maxResults": 1' + b"0" * 5000 + b"}",
    ],
    ids=["nested array", "nested member", "NaN", "Infinity", "5000 digits"],
)
def test_what_json_has_not_answers_400_not_a_traceback(server: Server, body: bytes) -> None:
    status, headers, answer = server.request(
        "POST", "/collaborations", body, {"Content-Type": "application/json", **SIGNED}
    )

    assert (status, headers["x-amzn-ErrorType"]) == (400, "SerializationException")
    assert "Traceback" not in answer["message"]
    assert server.client().list_collaborations()["collaborationList"] == []


def signed_for(service: str) -> dict[str, str]:
    return {
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential={CREATOR}/20250101/{REGION}/{service}/aws4_request, "
            "SignedHeaders=host, Signature=abc"
        )
    }


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    ("service", "method", "path", "body", "headers"),
    [
        ("sts", "POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15", FORM),
        ("iam", "POST", "/", b"Action=ListUsers&Version=2010-05-08", FORM),
        ("sts", "POST", "/", b"Action=NoSuchAction&Version=2011-06-15", FORM),
        ("cleanrooms", "GET", "/collaborations", b"", {}),
        ("cleanrooms", "GET", "/no/such/path", b"", {}),
        ("cleanrooms", "GET", "/_cleanrooms_mock/health", b"", {}),
        ("cleanrooms", "GET", "/_cleanrooms_mock/nothing", b"", {}),
    ],
    ids=["sts", "iam", "sts-error", "clean-rooms", "unknown", "admin", "admin-404"],
)
def test_each_answer_carries_each_header_once(
    server: Server, service: str, method: str, path: str, body: bytes, headers: dict[str, str]
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={**headers, **signed_for(service)})
        response = connection.getresponse()
        response.read()
        names = [name.lower() for name, _ in response.getheaders()]
    finally:
        connection.close()

    assert sorted(names) == sorted(set(names))
    assert {"server", "date", "content-length"} <= set(names)
