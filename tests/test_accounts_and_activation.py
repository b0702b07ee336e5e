"""Who the caller is, how activations nest, which endpoint is served, and where names live.

* An account named per call or per client (the ``x-moto-account-id`` header the fixtures and
  ``CleanRoomsMock.client`` send, a 12-digit access key, credentials from STS ``assume_role``)
  wins over a process-wide default (``MOTO_ACCOUNT_ID``, moto's ``123456789012``), and STS
  agrees with Clean Rooms on who the caller is: alone, inside ``mock_aws`` and in server mode.
* ``mock_cleanrooms`` and ``mock_aws`` nest in either order and any style: the outermost one owns
  the state, and what an inner one sets (quotas, faults, fake credentials) ends with it.
* A served service is served whatever ``endpoint_url`` its client names, and never reaches the
  network; ``NotMockedError`` names only services that are not served, and says what to do.
* ``SeedError`` and ``CleanRoomsServer`` import from ``cleanrooms_mock``.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from helpers import CREATOR, MEMBER_A, MEMBER_B, REGION, collaboration_params, error_of
from moto import mock_aws
from test_readme import examples

import cleanrooms_mock
from cleanrooms_mock import NotMockedError, mock_cleanrooms
from tests.test_server import Server

#: A process-wide default account, as suites that also use moto set it.
AMBIENT = "999999999999"
#: The account each way of naming the caller names.
BY_HEADER = MEMBER_A
BY_KEY = MEMBER_B
BY_ROLE = "444444444444"


def role_keys(sts: Any) -> dict[str, str]:
    """Client options with the credentials ``sts`` issues for a role of account BY_ROLE."""
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{BY_ROLE}:role/automation", RoleSessionName="tests"
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def created_by(cleanrooms: Any) -> str:
    """The account a client acts as: the creator of a collaboration it creates."""
    created = cleanrooms.create_collaboration(**collaboration_params(members=[]))
    return str(created["collaboration"]["creatorAccountId"])


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AWS credentials nor account in the environment: the mocks set their fake ones."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)


# ---- 1. an account named per call or per client beats a process-wide default -----------------

Make = Callable[..., Any]


@pytest.fixture(scope="module")
def plain_server() -> Iterator[Server]:
    server = Server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def ambient_server() -> Iterator[Server]:
    """A server started with ``MOTO_ACCOUNT_ID`` set, as a suite using moto would start it."""
    server = Server(
        command=["env", f"MOTO_ACCOUNT_ID={AMBIENT}", sys.executable, "-m", "cleanrooms_mock"]
    )
    yield server
    server.stop()


@contextmanager
def serving(
    mode: str, ambient: str | None, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Make]:
    """Clean Rooms and STS served ``mode``'s way, with ``MOTO_ACCOUNT_ID`` set to ``ambient``;
    yields ``make(service, **client_options)``, which makes clients of them."""
    if mode == "server":
        server: Server = request.getfixturevalue("ambient_server" if ambient else "plain_server")
        assert server.request("POST", "/_cleanrooms_mock/reset")[0] == 200

        def make_remote(service: str, **options: Any) -> Any:
            options.setdefault("aws_access_key_id", "AKIAEXAMPLE")
            options.setdefault("aws_secret_access_key", "secret")
            return boto3.client(service, endpoint_url=server.url, region_name=REGION, **options)

        yield make_remote
        return
    if ambient:
        monkeypatch.setenv("MOTO_ACCOUNT_ID", ambient)
    activation = mock_cleanrooms() if mode == "mock_cleanrooms" else mock_aws()
    with activation:
        yield lambda service, **options: boto3.client(service, region_name=REGION, **options)


def clients_naming(way: str, make: Make) -> tuple[Any, Any]:
    """A Clean Rooms client and an STS client that name the caller ``way``'s way."""
    if way == "header":
        clients = make("cleanrooms"), make("sts")
        for client in clients:
            client.meta.events.register(
                "before-sign",
                lambda request, **_: request.headers.__setitem__("x-moto-account-id", BY_HEADER),
            )
        return clients
    if way == "twelve-digit key":
        keys = {"aws_access_key_id": BY_KEY, "aws_secret_access_key": "secret"}
        return make("cleanrooms", **keys), make("sts", **keys)
    if way == "assumed role":
        keys = role_keys(make("sts"))
        return make("cleanrooms", **keys), make("sts", **keys)
    return make("cleanrooms"), make("sts")  # the request names no account


CALLERS = [
    ("header", None, BY_HEADER),
    ("header", AMBIENT, BY_HEADER),
    ("twelve-digit key", None, BY_KEY),
    ("twelve-digit key", AMBIENT, BY_KEY),
    ("assumed role", None, BY_ROLE),
    ("assumed role", AMBIENT, BY_ROLE),
    ("MOTO_ACCOUNT_ID only", AMBIENT, AMBIENT),
    ("nothing", None, CREATOR),
]


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("mode", ["mock_cleanrooms", "mock_aws", "server"])
@pytest.mark.parametrize(("way", "ambient", "expected"), CALLERS)
def test_clean_rooms_and_sts_agree_on_the_caller(
    mode: str,
    way: str,
    ambient: str | None,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    with serving(mode, ambient, monkeypatch, request) as make:
        cleanrooms, sts = clients_naming(way, make)

        creator = created_by(cleanrooms)
        identity = sts.get_caller_identity()

    assert creator == expected
    assert identity["Account"] == expected
    assert identity["Arn"].split(":")[4] == expected


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("ambient", [None, AMBIENT])
@pytest.mark.parametrize("inside_mock_aws", [False, True], ids=["alone", "inside mock_aws"])
def test_a_mock_client_acts_as_the_account_it_is_given(
    ambient: str | None, inside_mock_aws: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ambient:
        monkeypatch.setenv("MOTO_ACCOUNT_ID", ambient)
    with mock_aws() if inside_mock_aws else mock_cleanrooms():
        with mock_cleanrooms(account=BY_KEY) as mock:
            assert created_by(mock.client()) == BY_KEY
            assert created_by(mock.client(BY_HEADER)) == BY_HEADER
            assert mock.account == BY_KEY
        with mock_cleanrooms() as mock:  # no account given: the process-wide default
            assert mock.account == (ambient or CREATOR)
            assert created_by(mock.client()) == (ambient or CREATOR)
            assert created_by(mock.client(BY_ROLE)) == BY_ROLE


FIXTURE_TESTS = """
import pytest


def creator(client):
    return client.create_collaboration(
        name="n", description="d", creatorDisplayName="c", members=[],
        creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"], queryLogStatus="ENABLED",
    )["collaboration"]["creatorAccountId"]


def test_client_for_acts_as_the_account_it_names(cleanrooms_client_for):
    assert creator(cleanrooms_client_for("222222222222")) == "222222222222"
    assert creator(cleanrooms_client_for("333333333333")) == "333333333333"


@pytest.mark.cleanrooms(account="444444444444")
def test_the_marker_names_the_test_s_account(cleanrooms_client, cleanrooms_mock):
    assert cleanrooms_mock.account == "444444444444"
    assert creator(cleanrooms_client) == "444444444444"


def test_without_a_marker_the_default_is_moto_s(cleanrooms_client, cleanrooms_mock):
    assert cleanrooms_mock.account == "{default}"
    assert creator(cleanrooms_client) == "{default}"


def test_a_collaboration_invites_the_test_s_account(cleanrooms_collaboration):
    assert cleanrooms_collaboration()["memberStatus"] == "INVITED"
"""


@pytest.mark.parametrize("ambient", [None, AMBIENT])
def test_the_pytest_fixtures_act_as_the_account_they_name(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ambient: str | None
) -> None:
    if ambient:
        monkeypatch.setenv("MOTO_ACCOUNT_ID", ambient)
    else:
        monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)
    pytester.makepyfile(test_fixtures=FIXTURE_TESTS.replace("{default}", ambient or CREATOR))

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=4)


def test_the_ini_account_beats_moto_account_id(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", AMBIENT)
    pytester.makeini("[pytest]\ncleanrooms_account = 555555555555\n")
    pytester.makepyfile(test_fixtures=FIXTURE_TESTS.replace("{default}", "555555555555"))

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=4)


@pytest.mark.parametrize("ambient", [AMBIENT, "123456789012", "222222222222"])
def test_the_readme_stranger_test_passes_whatever_moto_account_id_says(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ambient: str
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", ambient)
    [code] = [code for name, code in examples() if name == "test_accounts.py"]
    pytester.makepyfile(test_accounts=code)

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


# ---- 1b. a source that names no account ID is refused ----------------------------------------

#: Header values that are not 12 ASCII digits (a leading space survives in-process only: an HTTP
#: server strips it, as RFC 9110 says).
BAD_HEADERS = ["abc", "12345", "1234567890123456", "12345678901a", "١٢٣٤٥٦٧٨٩٠١٢"]


def with_header(client: Any, value: str) -> Any:
    client.meta.events.register(
        "before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", value)
    )
    return client


def refused_for_its_account(call: Callable[[], Any], source: str) -> None:
    error = error_of(call)
    assert error["Error"]["Code"] == "AccessDeniedException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert f"{source} must be a 12-digit AWS account ID" in error["Error"]["Message"]


CALLS_OF_EVERY_KIND: dict[str, Callable[[Any, str], Any]] = {
    "create": lambda c, _: c.create_collaboration(**collaboration_params(members=[])),
    "list": lambda c, _: c.list_collaborations(),
    "get": lambda c, arn: c.get_collaboration(collaborationIdentifier=arn.rsplit("/", 1)[1]),
    "tag": lambda c, arn: c.tag_resource(resourceArn=arn, tags={"team": "ads"}),
    "invalid input too": lambda c, _: c.get_collaboration(collaborationIdentifier="x" * 36),
}


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize(
    ("mode", "value"),
    [
        (mode, value)
        for mode in ("mock_cleanrooms", "mock_aws", "server")
        for value in (*BAD_HEADERS, " 222222222222")
        if mode != "server" or value.isascii()  # HTTP headers are Latin-1: botocore cannot send
    ],
)
def test_an_account_header_that_is_not_12_digits_is_refused_and_changes_nothing(
    mode: str, value: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    with serving(mode, None, monkeypatch, request) as make:
        owner = make("cleanrooms")
        made = owner.create_collaboration(**collaboration_params(members=[], tags={"k": "v"}))
        arn = made["collaboration"]["arn"]
        bad = with_header(make("cleanrooms"), value)
        if mode == "server" and value != value.strip():
            assert created_by(bad) == "222222222222"  # the HTTP parser stripped the space
            return

        for call in CALLS_OF_EVERY_KIND.values():
            refused_for_its_account(
                lambda call=call: call(bad, arn), "The x-moto-account-id header"
            )

        assert [c["arn"] for c in owner.list_collaborations()["collaborationList"]] == [arn]
        assert owner.list_tags_for_resource(resourceArn=arn)["tags"] == {"k": "v"}


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("mode", ["mock_cleanrooms", "mock_aws"])
@pytest.mark.parametrize("ambient", ["abc", "12345", "1234567890123", "12345678901 "])
def test_a_moto_account_id_that_is_not_12_digits_is_refused_when_it_names_the_caller(
    mode: str, ambient: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    with serving(mode, ambient, monkeypatch, request) as make:
        refused_for_its_account(lambda: created_by(make("cleanrooms")), "MOTO_ACCOUNT_ID")
        # an account the request names itself still wins, as always
        assert created_by(with_header(make("cleanrooms"), BY_HEADER)) == BY_HEADER
        keys = {"aws_access_key_id": BY_KEY, "aws_secret_access_key": "secret"}
        assert created_by(make("cleanrooms", **keys)) == BY_KEY


def test_a_server_refusing_bad_headers_saves_a_state_it_loads_again(tmp_path: Any) -> None:
    state = tmp_path / "state.json"
    server = Server("--state", str(state))
    try:
        good = server.client(CREATOR)
        good.create_collaboration(**collaboration_params(members=[]))
        for value in ("abc", "12345", "1234567890123456"):
            bad = with_header(server.client(CREATOR), value)
            refused_for_its_account(lambda bad=bad: created_by(bad), "The x-moto-account-id header")
    finally:
        server.stop()
    again = Server("--state", str(state))
    try:
        listed = again.client(CREATOR).list_collaborations()["collaborationList"]
        assert [c["creatorAccountId"] for c in listed] == [CREATOR]
    finally:
        again.stop()


# ---- 2. mixed activations nest like same-style ones ------------------------------------------

Body = Callable[[], None]
NO_SUCH_MEMBERSHIP = "00000000-0000-4000-8000-000000000000"


def activate(kind: str, style: str, depth: int, body: Body) -> None:
    """Run ``body`` inside an activation of ``kind`` (mock_cleanrooms with quotas of its own, or
    mock_aws), entered ``style``'s way."""
    quotas = {"members_per_collaboration": 10 + depth}
    activation: Any = mock_cleanrooms(quotas=quotas) if kind == "cleanrooms" else mock_aws()
    if style == "context manager":
        with activation:
            body()
    elif style == "decorator":
        activation(body)()
    else:
        activation.start()
        try:
            body()
        finally:
            activation.stop()


def settings() -> tuple[dict[str, int], str | None, str | None]:
    """What an activation may set: the quotas and the credentials in the environment."""
    return (
        dict(vars(cleanrooms_mock.quotas)),
        os.environ.get("AWS_ACCESS_KEY_ID"),
        os.environ.get("AWS_SECRET_ACCESS_KEY"),
    )


def listed() -> list[str]:
    client = boto3.client("cleanrooms", region_name=REGION)
    return sorted(c["name"] for c in client.list_collaborations()["collaborationList"])


def nested(kinds: tuple[str, ...], style: str, created: list[str]) -> Body:
    """The body of level ``len(created)``: it creates a collaboration, sets a fault, runs the
    levels below, and checks that they kept its state and took back what they set."""

    def body() -> None:
        depth = len(created)
        client = boto3.client("cleanrooms", region_name=REGION)
        assert listed() == sorted(created), "an activation lost the state of the one outside it"
        client.create_collaboration(**collaboration_params(name=f"level {depth}"))
        created.append(f"level {depth}")
        if kinds[depth] == "cleanrooms":
            assert cleanrooms_mock.quotas.members_per_collaboration == 10 + depth
            cleanrooms_mock.mock_cleanrooms().inject("ThrottlingException", "get_membership")
        if depth + 1 < len(kinds):
            before = settings()
            activate(kinds[depth + 1], style, depth + 1, nested(kinds, style, created))
            assert settings() == before, "an inner activation's settings outlived it"
        assert listed() == sorted(created), "an inner activation discarded the state"
        error = error_of(lambda: client.get_membership(membershipIdentifier=NO_SUCH_MEMBERSHIP))
        expected = "ThrottlingException" if "cleanrooms" in kinds[: depth + 1] else "Resource"
        assert error["Error"]["Code"].startswith(expected)

    return body


ORDERS = [
    ("aws", "cleanrooms"),
    ("cleanrooms", "aws"),
    ("aws", "cleanrooms", "aws"),
    ("cleanrooms", "aws", "cleanrooms"),
    ("aws", "aws", "cleanrooms"),
    ("cleanrooms", "cleanrooms", "aws"),
    ("aws", "cleanrooms", "cleanrooms"),
    ("cleanrooms", "aws", "aws"),
]


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("style", ["context manager", "decorator", "start and stop"])
@pytest.mark.parametrize("kinds", ORDERS, ids=[" in ".join(reversed(o)) for o in ORDERS])
def test_mixed_activations_keep_the_outermost_state(kinds: tuple[str, ...], style: str) -> None:
    before = settings()
    created: list[str] = []

    activate(kinds[0], style, 0, nested(kinds, style, created))

    assert created == [f"level {depth}" for depth in range(len(kinds))]
    assert settings() == before
    with mock_cleanrooms():  # the outermost end discarded everything
        assert listed() == []
        error = error_of(
            lambda: boto3.client("cleanrooms", region_name=REGION).get_membership(
                membershipIdentifier=NO_SUCH_MEMBERSHIP
            )
        )
        assert error["Error"]["Code"] == "ResourceNotFoundException"


@pytest.mark.usefixtures("no_credentials")
def test_fake_credentials_set_by_an_inner_mock_cleanrooms_end_with_it() -> None:
    with mock_aws(config={"core": {"mock_credentials": False}}):
        assert "AWS_ACCESS_KEY_ID" not in os.environ
        with mock_cleanrooms():
            assert os.environ["AWS_ACCESS_KEY_ID"]
            created_by(boto3.client("cleanrooms", region_name=REGION))
        assert "AWS_ACCESS_KEY_ID" not in os.environ
        assert "AWS_SECRET_ACCESS_KEY" not in os.environ


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize(
    ("first", "then"),
    [(None, "121212121212"), (None, MEMBER_A), (MEMBER_B, "121212121212"), (MEMBER_A, MEMBER_B)],
)
def test_an_access_key_set_between_activations_is_the_next_ones(
    monkeypatch: pytest.MonkeyPatch, first: str | None, then: str
) -> None:
    # boto3's default session is kept across activations; what it resolved is not.
    if first is not None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", first)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    with mock_cleanrooms():
        assert created_by(boto3.client("cleanrooms", region_name=REGION)) == (first or CREATOR)

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", then)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    with mock_cleanrooms():
        assert created_by(boto3.client("cleanrooms", region_name=REGION)) == then


@pytest.mark.usefixtures("no_credentials")
def test_the_fake_credentials_end_with_the_activation_for_the_default_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with mock_cleanrooms():
        boto3.client("cleanrooms", region_name=REGION)  # the default session resolves FOOBARKEY
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAOUTSIDE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")

    credentials = boto3.DEFAULT_SESSION.get_credentials()  # type: ignore[union-attr]

    assert credentials.access_key == "AKIAOUTSIDE"


@pytest.mark.usefixtures("no_credentials")
def test_credentials_given_to_the_default_session_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    boto3.setup_default_session(aws_access_key_id=MEMBER_B, aws_secret_access_key="secret")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", MEMBER_A)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")

    for _ in range(2):
        with mock_cleanrooms():
            assert created_by(boto3.client("cleanrooms", region_name=REGION)) == MEMBER_B


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("inner", ["mock_aws", "mock_cleanrooms"])
def test_credentials_sts_issued_outside_still_name_the_role_inside(inner: str) -> None:
    with mock_cleanrooms():
        keys = role_keys(boto3.client("sts", region_name=REGION))
        with mock_aws() if inner == "mock_aws" else mock_cleanrooms():
            assert created_by(boto3.client("cleanrooms", region_name=REGION, **keys)) == BY_ROLE
        assert created_by(boto3.client("cleanrooms", region_name=REGION, **keys)) == BY_ROLE
    with mock_cleanrooms():  # the outermost end forgot them: they name no account any more
        assert created_by(boto3.client("cleanrooms", region_name=REGION, **keys)) == CREATOR


# ---- 4. a served service is served whatever endpoint the client names ------------------------

ENDPOINTS = ["http://localhost:1234", "https://cleanrooms.example.com", "http://127.0.0.1:9"]


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("activation", ["mock_cleanrooms", "mock_aws"])
def test_clean_rooms_and_sts_are_served_at_any_endpoint(
    activation: str, endpoint: str, network_attempts: list[tuple[str, Any]]
) -> None:
    with mock_cleanrooms() if activation == "mock_cleanrooms" else mock_aws():
        cleanrooms = boto3.client("cleanrooms", region_name=REGION, endpoint_url=endpoint)
        sts = boto3.client("sts", region_name=REGION, endpoint_url=endpoint)
        unsigned = boto3.client(
            "cleanrooms",
            region_name=REGION,
            endpoint_url=endpoint,
            config=Config(signature_version=UNSIGNED),
        )

        created = cleanrooms.create_collaboration(**collaboration_params())["collaboration"]
        keys = role_keys(sts)

        at_aws = boto3.client("cleanrooms", region_name=REGION)  # one state, whatever endpoint
        assert at_aws.get_collaboration(collaborationIdentifier=created["id"])["collaboration"]
        assert [c["id"] for c in unsigned.list_collaborations()["collaborationList"]] == [
            created["id"]
        ]
        assert sts.get_caller_identity()["Account"] == CREATOR
        as_role = boto3.client("sts", region_name=REGION, **keys)
        assert as_role.get_caller_identity()["Account"] == BY_ROLE

    assert network_attempts == []


def s3_round_trip(client: Any, at_aws: Any) -> None:
    client.create_bucket(Bucket="ads-results")
    client.put_object(Bucket="ads-results", Key="q/1.csv", Body=b"a,b\n")
    assert at_aws.get_object(Bucket="ads-results", Key="q/1.csv")["Body"].read() == b"a,b\n"


def dynamodb_round_trip(client: Any, at_aws: Any) -> None:
    client.create_table(
        TableName="runs",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    assert at_aws.list_tables()["TableNames"] == ["runs"]


def sqs_round_trip(client: Any, at_aws: Any) -> None:
    url = client.create_queue(QueueName="jobs")["QueueUrl"]
    client.send_message(QueueUrl=url, MessageBody="go")
    assert at_aws.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "go"


def iam_round_trip(client: Any, at_aws: Any) -> None:
    client.create_role(RoleName="analyst", AssumeRolePolicyDocument="{}")
    assert [r["RoleName"] for r in at_aws.list_roles()["Roles"]] == ["analyst"]


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("endpoint", ENDPOINTS[:2])
@pytest.mark.parametrize(
    ("service", "round_trip"),
    [
        ("s3", s3_round_trip),
        ("dynamodb", dynamodb_round_trip),
        ("sqs", sqs_round_trip),
        ("iam", iam_round_trip),
    ],
)
def test_inside_mock_aws_every_moto_service_is_served_at_any_endpoint(
    service: str,
    round_trip: Callable[[Any, Any], None],
    endpoint: str,
    network_attempts: list[tuple[str, Any]],
) -> None:
    with mock_aws():
        client = boto3.client(service, region_name=REGION, endpoint_url=endpoint)
        round_trip(client, boto3.client(service, region_name=REGION))

    assert network_attempts == []


@pytest.mark.usefixtures("no_credentials")
def test_a_url_moto_is_told_to_pass_through_is_let_through(
    network_attempts: list[tuple[str, Any]],
) -> None:
    passthrough = {"core": {"passthrough": {"urls": [r"http://localhost:1234/.*"]}}}
    with mock_aws(config=passthrough):
        s3 = boto3.client(
            "s3",
            region_name=REGION,
            endpoint_url="http://localhost:1234",
            config=Config(retries={"max_attempts": 1}),
        )
        with pytest.raises(EndpointConnectionError):
            s3.list_buckets()
        assert boto3.client("s3", region_name=REGION).list_buckets()["Buckets"] == []

    assert network_attempts  # the request went for the network, as moto's config asked


@pytest.mark.parametrize("endpoint", [None, "http://localhost:1234"])
@pytest.mark.parametrize(
    ("service", "operation"),
    [
        ("kinesis", "list_streams"),
        ("dynamodb", "list_tables"),
        ("cleanroomsml", "list_training_datasets"),
        ("sqs", "list_queues"),
    ],
)
def test_not_mocked_names_only_what_is_not_served_and_what_to_do(
    service: str, operation: str, endpoint: str | None, network_attempts: list[tuple[str, Any]]
) -> None:
    with mock_cleanrooms():
        client = boto3.client(service, region_name=REGION, endpoint_url=endpoint)
        with pytest.raises(NotMockedError) as caught:
            getattr(client, operation)()

    message = str(caught.value)
    assert f"{service} is not mocked" in message
    assert "sts is not" not in message and "cleanrooms is not" not in message
    assert "mock_aws()" in message
    assert network_attempts == []


# ---- 6. names users look for are where they look ---------------------------------------------


def test_seed_error_and_the_server_import_from_the_package() -> None:
    from cleanrooms_mock import CleanRoomsServer, SeedError
    from cleanrooms_mock.seeding import SeedError as SeedingSeedError
    from cleanrooms_mock.server import CleanRoomsServer as ServerModuleServer

    assert SeedError is SeedingSeedError
    assert CleanRoomsServer is ServerModuleServer
    for name in cleanrooms_mock.__all__:
        assert getattr(cleanrooms_mock, name) is not None, name
        assert name in dir(cleanrooms_mock), name
    with pytest.raises(AttributeError, match="has no attribute 'SeedErrors'"):
        _ = cleanrooms_mock.SeedErrors  # type: ignore[attr-defined]


def test_the_imported_names_work_as_documented() -> None:
    with mock_cleanrooms() as mock, pytest.raises(cleanrooms_mock.SeedError) as caught:
        mock.load({"version": 1, "regions": {"us-east-1": {"collaborations": [{"name": 1}]}}})
    assert "regions.us-east-1.collaborations[0]" in str(caught.value)

    with cleanrooms_mock.CleanRoomsServer(port=0) as server:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
        try:
            connection.request("GET", "/_cleanrooms_mock/health")
            health = json.loads(connection.getresponse().read())
        finally:
            connection.close()
    assert health["status"] == "running"


def test_importing_the_package_stays_cheap() -> None:
    code = (
        "import sys, cleanrooms_mock\n"
        "print(sorted(m for m in ('cleanrooms_mock.server', 'cleanrooms_mock.seeding',"
        " 'cleanrooms_mock.domain', 'cleanrooms_mock.protocol') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_a_presigned_url_reaches_the_service_it_is_signed_for(plain_server: Server) -> None:
    assert plain_server.request("POST", "/_cleanrooms_mock/reset")[0] == 200
    s3 = boto3.client(
        "s3",
        endpoint_url=plain_server.url,
        region_name=REGION,
        aws_access_key_id=CREATOR,
        aws_secret_access_key="secret",
        config=Config(signature_version="s3v4"),
    )
    s3.create_bucket(Bucket="ads-results")
    s3.put_object(Bucket="ads-results", Key="q/1.csv", Body=b"a,b\n")
    url = urlsplit(
        s3.generate_presigned_url("get_object", Params={"Bucket": "ads-results", "Key": "q/1.csv"})
    )
    assert "X-Amz-Credential" in url.query  # signed in the query, not in a header

    connection = http.client.HTTPConnection("127.0.0.1", plain_server.port, timeout=30)
    try:
        connection.request("GET", f"{url.path}?{url.query}")
        response = connection.getresponse()
        status, body = response.status, response.read()
    finally:
        connection.close()

    assert (status, body) == (200, b"a,b\n")
