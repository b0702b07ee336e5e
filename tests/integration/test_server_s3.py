"""Other services' answers through `cleanrooms-mock serve` carry moto's representation headers.

An answer that sends no body by protocol (HEAD, 304 Not Modified) still describes the object a
GET would send: S3 HeadObject's Content-Length is the object's size, which readers such as
awswrangler (aws-sdk-pandas) use to plan their ranged GETs.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.helpers import CREATOR, REGION
from tests.test_server import Server, server, shared_server

__all__ = ["server", "shared_server"]  # the server tests' fixtures: a server per module

BUCKET = "sales-data"


@pytest.fixture
def s3(server: Server) -> Any:
    client = server.client(CREATOR, "s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"region,amount\nnorth,3\n", "text/csv"),
        (b"\x00" * 70_000, "application/octet-stream"),
        (b"", "application/json"),
    ],
    ids=["csv", "binary-70k", "empty"],
)
def test_head_object_reports_what_get_object_reports(
    s3: Any, body: bytes, content_type: str
) -> None:
    s3.put_object(Bucket=BUCKET, Key="orders/part-0", Body=body, ContentType=content_type)

    head = s3.head_object(Bucket=BUCKET, Key="orders/part-0")
    get = s3.get_object(Bucket=BUCKET, Key="orders/part-0")

    assert head["ContentLength"] == len(body) == get["ContentLength"]
    assert get["Body"].read() == body
    for name in ("ContentType", "ETag", "LastModified"):
        assert head[name] == get[name]
    assert head["ContentType"] == content_type


def _moto_heads_ranges() -> bool:
    """Whether the installed moto answers a ranged HeadObject itself (moto 5.0.0 answers 416)."""
    import boto3
    from botocore.exceptions import ClientError
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET)
        client.put_object(Bucket=BUCKET, Key="k", Body=b"0123456789")
        try:
            client.head_object(Bucket=BUCKET, Key="k", Range="bytes=2-5")
        except ClientError:
            return False
    return True


def test_a_ranged_head_reports_the_range_and_the_connection_keeps_serving(s3: Any) -> None:
    if not _moto_heads_ranges():
        pytest.skip("this moto refuses a ranged HeadObject in-process too (416)")
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"0123456789")

    head = s3.head_object(Bucket=BUCKET, Key="k", Range="bytes=2-5")
    # the same client (a kept connection) reads the next answer where it starts
    ranged = s3.get_object(Bucket=BUCKET, Key="k", Range="bytes=2-5")

    assert head["ContentLength"] == 4 == ranged["ContentLength"]
    assert ranged["Body"].read() == b"2345"
    assert s3.head_bucket(Bucket=BUCKET)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_not_found_not_modified_and_no_content_have_no_body(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="k", Body=b"payload")
    etag = s3.head_object(Bucket=BUCKET, Key="k")["ETag"]

    with pytest.raises(s3.exceptions.ClientError) as not_modified:
        s3.get_object(Bucket=BUCKET, Key="k", IfNoneMatch=etag)
    deleted = s3.delete_object(Bucket=BUCKET, Key="k")
    with pytest.raises(s3.exceptions.ClientError) as missing:
        s3.head_object(Bucket=BUCKET, Key="k")

    assert not_modified.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert "content-length" not in deleted["ResponseMetadata"]["HTTPHeaders"]
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


# ---- awswrangler (aws-sdk-pandas) against the endpoint --------------------------------------


@pytest.fixture
def wrangler(server: Server, monkeypatch: pytest.MonkeyPatch) -> Any:
    """awswrangler with boto3's default session pointed at the server as CREATOR, and its
    2-second polling delay removed (a query is done at its first read)."""
    wr = pytest.importorskip("awswrangler")
    from awswrangler.cleanrooms import _utils

    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREATOR)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setattr(_utils, "_QUERY_WAIT_POLLING_DELAY", 0)
    return wr


def test_awswrangler_reads_parquet_through_the_server(s3: Any, wrangler: Any) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"region": ["north", "south", "north"], "amount": [3, 5, 2]})
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    s3.put_object(Bucket=BUCKET, Key="wide/part-0.parquet", Body=buffer.getvalue())

    read = wrangler.s3.read_parquet(f"s3://{BUCKET}/wide/")

    assert read.to_dict(orient="records") == frame.to_dict(orient="records")


def test_awswrangler_runs_a_protected_query_through_the_server(
    server: Server, s3: Any, wrangler: Any
) -> None:
    cleanrooms, glue = server.client(CREATOR), server.client(CREATOR, "glue")
    s3.put_object(
        Bucket=BUCKET,
        Key="orders/part-0.csv",
        Body=b"region,amount\nnorth,3\nsouth,5\nnorth,2\n",
    )
    s3.create_bucket(Bucket="query-results")
    glue.create_database(DatabaseInput={"Name": "sales"})
    glue.create_table(
        DatabaseName="sales",
        TableInput={
            "Name": "orders",
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {"classification": "csv", "skip.header.line.count": "1"},
            "StorageDescriptor": {
                "Columns": [
                    {"Name": "region", "Type": "string"},
                    {"Name": "amount", "Type": "int"},
                ],
                "Location": f"s3://{BUCKET}/orders/",
                "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "SerdeInfo": {
                    "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                    "Parameters": {"field.delim": ","},
                },
            },
        },
    )
    collaboration = cleanrooms.create_collaboration(
        name="solo",
        description="one member",
        creatorDisplayName="Analyst",
        creatorMemberAbilities=["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
        members=[],
        queryLogStatus="DISABLED",
    )["collaboration"]
    membership = cleanrooms.create_membership(
        collaborationIdentifier=collaboration["id"], queryLogStatus="DISABLED"
    )["membership"]["id"]
    table = cleanrooms.create_configured_table(
        name="orders",
        tableReference={"glue": {"databaseName": "sales", "tableName": "orders"}},
        allowedColumns=["region", "amount"],
        analysisMethod="DIRECT_QUERY",
    )["configuredTable"]["id"]
    cleanrooms.create_configured_table_analysis_rule(
        configuredTableIdentifier=table,
        analysisRuleType="CUSTOM",
        analysisRulePolicy={
            "v1": {
                "custom": {"allowedAnalyses": ["ANY_QUERY"], "allowedAnalysisProviders": [CREATOR]}
            }
        },
    )
    association = cleanrooms.create_configured_table_association(
        membershipIdentifier=membership,
        configuredTableIdentifier=table,
        name="orders",
        roleArn=f"arn:aws:iam::{CREATOR}:role/cleanrooms-read",
    )["configuredTableAssociation"]["id"]
    cleanrooms.create_configured_table_association_analysis_rule(
        membershipIdentifier=membership,
        configuredTableAssociationIdentifier=association,
        analysisRuleType="CUSTOM",
        analysisRulePolicy={"v1": {"custom": {"allowedResultReceivers": [CREATOR]}}},
    )

    frame = wrangler.cleanrooms.read_sql_query(
        sql="SELECT region, SUM(amount) AS total FROM orders GROUP BY region ORDER BY region",
        membership_id=membership,
        output_bucket="query-results",
        output_prefix="wrangled",
        keep_files=False,
    )

    assert frame.to_dict(orient="records") == [
        {"region": "north", "total": 5},
        {"region": "south", "total": 5},
    ]
    assert s3.list_objects_v2(Bucket="query-results", Prefix="wrangled/")["KeyCount"] == 0
