"""AWS Glue and Amazon S3 under ``mock_cleanrooms``: the tables configured tables read.

* Alone, ``mock_cleanrooms`` serves Glue and S3 through moto, at whatever endpoint a client
  names (virtual-hosted and path-style S3 URLs alike), as the account Clean Rooms acts as, and
  never over the network.
* The outermost activation owns their state: it starts empty and its end discards it; inside
  ``mock_aws`` moto owns it, in either nesting order.
* In server mode, boto3's Glue and S3 clients pointed at the server are answered by moto.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from helpers import CREATOR, MEMBER_A, REGION
from moto import mock_aws
from moto.core.base_backend import BackendDict

from cleanrooms_mock import CleanRoomsServer, NotMockedError, mock_cleanrooms
from cleanrooms_mock.domain.configured_tables.glue import read_glue_table

ENDPOINTS = [None, "http://localhost:1234", "https://cleanrooms.example.com", "http://127.0.0.1:9"]
ADDRESSING = [None, "virtual", "path"]  # None: the s3 client's default ("auto")
Activation = Callable[[], Any]
ACTIVATIONS: dict[str, Activation] = {"mock_cleanrooms": mock_cleanrooms, "mock_aws": mock_aws}

COLUMNS = [{"Name": "user_id", "Type": "string"}, {"Name": "spend", "Type": "double"}]


def create_glue_table(glue: Any, database: str = "sales", table: str = "orders") -> None:
    glue.create_database(DatabaseInput={"Name": database})
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": table,
            "StorageDescriptor": {"Columns": COLUMNS, "Location": f"s3://data/{table}/"},
            "Parameters": {"classification": "csv", "skip.header.line.count": "1"},
        },
    )


def put_data(s3: Any, bucket: str = "data", key: str = "orders/part-0.csv") -> None:
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key=key, Body=b"user_id,spend\nu1,2.5\n")


def tables(glue: Any) -> list[str]:
    return sorted(
        f"{d['Name']}.{t['Name']}"
        for d in glue.get_databases()["DatabaseList"]
        for t in glue.get_tables(DatabaseName=d["Name"])["TableList"]
    )


def buckets(s3: Any) -> list[str]:
    return sorted(b["Name"] for b in s3.list_buckets()["Buckets"])


def glue_and_s3(**options: Any) -> tuple[Any, Any]:
    return boto3.client("glue", region_name=REGION, **options), boto3.client(
        "s3", region_name=REGION, **options
    )


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MOTO_ACCOUNT_ID", raising=False)


# ---- served alone, at any endpoint, never over the network -----------------------------------


@pytest.mark.usefixtures("no_credentials")
def test_mock_cleanrooms_alone_serves_glue_and_s3(network_attempts: list[Any]) -> None:
    with mock_cleanrooms():
        glue, s3 = glue_and_s3()
        create_glue_table(glue)
        put_data(s3)

        stored = glue.get_table(DatabaseName="sales", Name="orders")["Table"]
        body = s3.get_object(Bucket="data", Key="orders/part-0.csv")["Body"].read()
        listed = s3.list_objects_v2(Bucket="data", Prefix="orders/")["Contents"]

    assert stored["StorageDescriptor"]["Columns"] == COLUMNS
    assert stored["StorageDescriptor"]["Location"] == "s3://data/orders/"
    assert body == b"user_id,spend\nu1,2.5\n"
    assert [o["Key"] for o in listed] == ["orders/part-0.csv"]
    assert network_attempts == []


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("addressing", ADDRESSING, ids=str)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_s3_is_served_at_any_endpoint_in_either_addressing_style(
    activation: str, endpoint: str | None, addressing: str | None, network_attempts: list[Any]
) -> None:
    config = Config(s3={"addressing_style": addressing}) if addressing else None
    with ACTIVATIONS[activation]():
        s3 = boto3.client("s3", region_name=REGION, endpoint_url=endpoint, config=config)
        put_data(s3, bucket="ads-data", key="q/1.csv")
        s3.put_object(Bucket="ads-data", Key="q/2.csv", Body=b"more")

        at_aws = boto3.client("s3", region_name=REGION)  # one state, whatever the endpoint
        assert buckets(at_aws) == ["ads-data"]
        assert (
            at_aws.get_object(Bucket="ads-data", Key="q/1.csv")["Body"]
            .read()
            .startswith(b"user_id,spend")
        )
        listed = s3.list_objects_v2(Bucket="ads-data")["Contents"]
        assert [o["Key"] for o in listed] == ["q/1.csv", "q/2.csv"]
        s3.delete_object(Bucket="ads-data", Key="q/2.csv")
        assert [o["Key"] for o in at_aws.list_objects_v2(Bucket="ads-data")["Contents"]] == [
            "q/1.csv"
        ]

    assert network_attempts == []


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_glue_is_served_at_any_endpoint(
    activation: str, endpoint: str | None, network_attempts: list[Any]
) -> None:
    with ACTIVATIONS[activation]():
        glue = boto3.client("glue", region_name=REGION, endpoint_url=endpoint)
        create_glue_table(glue)

        at_aws = boto3.client("glue", region_name=REGION)
        assert tables(at_aws) == ["sales.orders"]
        assert tables(glue) == ["sales.orders"]

    assert network_attempts == []


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("service", ["glue", "s3"])
def test_unsigned_glue_and_s3_requests_are_served_by_their_client_s_service(
    service: str, network_attempts: list[Any]
) -> None:
    unsigned = Config(signature_version=UNSIGNED)
    with mock_cleanrooms():
        client = boto3.client(
            service, region_name=REGION, endpoint_url="http://localhost:1234", config=unsigned
        )
        if service == "glue":
            client.create_database(DatabaseInput={"Name": "sales"})
            found = [
                d["Name"]
                for d in boto3.client("glue", region_name=REGION).get_databases()["DatabaseList"]
            ]
            assert found == ["sales"]
        else:
            client.create_bucket(Bucket="public-data")
            assert buckets(boto3.client("s3", region_name=REGION)) == ["public-data"]

    assert network_attempts == []


@pytest.mark.usefixtures("no_credentials")
def test_glue_and_s3_act_as_the_account_clean_rooms_acts_as() -> None:
    with mock_cleanrooms() as mock:
        own_glue, own_s3 = glue_and_s3()
        keys = {"aws_access_key_id": MEMBER_A, "aws_secret_access_key": "secret"}
        their_glue, their_s3 = glue_and_s3(**keys)
        create_glue_table(their_glue)
        put_data(their_s3, bucket="member-data")

        assert tables(their_glue) == ["sales.orders"]
        assert tables(own_glue) == []
        assert buckets(their_s3) == ["member-data"]
        assert buckets(own_s3) == []
        creator = mock.client(MEMBER_A).create_collaboration(
            name="n",
            description="d",
            creatorDisplayName="c",
            members=[],
            creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
            queryLogStatus="ENABLED",
        )["collaboration"]["creatorAccountId"]
        assert creator == MEMBER_A


@pytest.mark.usefixtures("no_credentials")
def test_configured_tables_read_the_glue_tables_made_under_mock_cleanrooms_alone() -> None:
    with mock_cleanrooms():
        glue = boto3.client(
            "glue", region_name="eu-west-1", aws_access_key_id=MEMBER_A, aws_secret_access_key="s"
        )
        create_glue_table(glue)

        info = read_glue_table(MEMBER_A, "eu-west-1", "sales", "orders")

    assert [c.name for c in info.columns] == ["user_id", "spend"]
    assert info.location == "s3://data/orders/"
    assert info.skip_header_line_count == 1


def test_not_mocked_error_lists_the_services_served() -> None:
    with mock_cleanrooms(), pytest.raises(NotMockedError) as caught:
        boto3.client("athena", region_name=REGION).list_work_groups()

    message = str(caught.value)
    for served in ("Clean Rooms", "STS", "AWS Glue", "Amazon S3"):
        assert served in message
    assert "athena is not mocked" in message


# ---- the outermost activation owns the state --------------------------------------------------


def make_state() -> None:
    glue, s3 = glue_and_s3()
    create_glue_table(glue)
    put_data(s3)


def assert_empty() -> None:
    glue, s3 = glue_and_s3()
    assert tables(glue) == []
    assert buckets(s3) == []


@pytest.mark.usefixtures("no_credentials")
def test_each_activation_starts_without_the_glue_and_s3_state_of_the_last() -> None:
    with mock_cleanrooms():
        make_state()
    with mock_cleanrooms():
        assert_empty()


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("kept_by", ["mock_cleanrooms", "mock_aws"])
def test_state_an_earlier_activation_kept_is_not_seen_by_the_next(kept_by: str) -> None:
    earlier = mock_cleanrooms() if kept_by == "mock_cleanrooms" else mock_aws()
    earlier.start()
    make_state()
    earlier.stop(remove_data=False)

    with mock_cleanrooms():
        assert_empty()


@pytest.mark.usefixtures("no_credentials")
def test_a_pytest_class_s_setup_state_reaches_its_test() -> None:
    @mock_cleanrooms
    class TestWithSetup:
        def setup_method(self, method: Any) -> None:
            make_state()

        def test_sees_it(self) -> None:
            assert tables(boto3.client("glue", region_name=REGION)) == ["sales.orders"]

    case = TestWithSetup()
    case.setup_method(None)
    case.test_sees_it()
    with mock_cleanrooms():
        assert_empty()


@pytest.mark.usefixtures("no_credentials")
def test_moto_is_reset_only_when_something_of_it_was_used(monkeypatch: pytest.MonkeyPatch) -> None:
    resets: list[str] = []
    reset = BackendDict.__dict__["reset"].__func__

    def counted(cls: type) -> None:
        resets.append(", ".join(sorted(b.service_name for b in BackendDict._instances)))
        reset(cls)

    with mock_cleanrooms():  # the process's first mock reads Clean Rooms' regions from moto
        pass
    monkeypatch.setattr(BackendDict, "reset", classmethod(counted))

    with mock_cleanrooms():  # what `with mock_cleanrooms(): pass` costs: no moto reset
        pass
    assert resets == []
    with mock_cleanrooms():
        boto3.client("glue", region_name=REGION).get_databases()
    [used] = resets  # one reset, at the end, of what was used (moto's IAM looks keys up)
    assert "glue" in used.split(", ")
    with mock_cleanrooms():
        pass
    assert resets == [used]


# ---- nesting: the outermost activation of either style owns Glue and S3 ------------------------

NESTINGS = [
    ("mock_aws", "mock_cleanrooms"),
    ("mock_cleanrooms", "mock_aws"),
    ("mock_cleanrooms", "mock_cleanrooms"),
    ("mock_cleanrooms", "mock_aws", "mock_cleanrooms"),
    ("mock_aws", "mock_cleanrooms", "mock_aws"),
]


def level(kinds: tuple[str, ...], depth: int = 0) -> None:
    """At each level: make a table and a bucket of its own, run the levels inside, and check
    that every level's state outlived the inner activations."""
    glue, s3 = glue_and_s3()
    assert len(tables(glue)) == depth, "an activation lost the state of the one outside it"
    create_glue_table(glue, database=f"level{depth}")
    s3.create_bucket(Bucket=f"level-{depth}")
    if depth + 1 < len(kinds):
        with ACTIVATIONS[kinds[depth + 1]]():
            level(kinds, depth + 1)
    assert tables(glue) == [f"level{d}.orders" for d in range(len(kinds))]
    assert buckets(s3) == [f"level-{d}" for d in range(len(kinds))]


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("kinds", NESTINGS, ids=[" in ".join(reversed(n)) for n in NESTINGS])
def test_nested_activations_keep_the_outermost_glue_and_s3_state(kinds: tuple[str, ...]) -> None:
    with ACTIVATIONS[kinds[0]]():
        level(kinds)

    with mock_cleanrooms():  # the outermost end discarded it
        assert_empty()


# ---- server mode -----------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[CleanRoomsServer]:
    with CleanRoomsServer(port=0) as running:
        yield running


@pytest.mark.parametrize("addressing", [None, "path"], ids=str)
def test_the_server_answers_glue_and_s3_clients(
    server: CleanRoomsServer, addressing: str | None
) -> None:
    config = Config(s3={"addressing_style": addressing}) if addressing else None
    as_member = {"aws_access_key_id": MEMBER_A, "aws_secret_access_key": "secret"}
    glue, s3 = (
        boto3.client(
            service, region_name=REGION, endpoint_url=server.url, config=config, **as_member
        )
        for service in ("glue", "s3")
    )
    create_glue_table(glue)
    put_data(s3)

    stored = glue.get_table(DatabaseName="sales", Name="orders")["Table"]
    assert stored["StorageDescriptor"]["Location"] == "s3://data/orders/"
    assert s3.get_object(Bucket="data", Key="orders/part-0.csv")["Body"].read() == (
        b"user_id,spend\nu1,2.5\n"
    )
    creator = {"aws_access_key_id": CREATOR, "aws_secret_access_key": "secret"}
    their_glue = boto3.client("glue", region_name=REGION, endpoint_url=server.url, **creator)
    assert tables(their_glue) == []  # another account's catalog

    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("POST", "/_cleanrooms_mock/reset")
        assert connection.getresponse().status == 200
    finally:
        connection.close()
    assert tables(glue) == []
    assert buckets(s3) == []
