"""The ``cleanrooms_table`` fixture: a Glue table with rows in S3, as Clean Rooms reads tables.

Each test makes a table the way a test of a data pipeline would, then reads the Glue table and
the S3 objects back through boto3 as the account that owns them: the catalog entry (SerDe,
formats, parameters, location, partitions) and the bytes of every file. Every kind of mistake
in the arguments is refused before anything is made, with several inputs each.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import duckdb
import pytest
from botocore.exceptions import ClientError
from helpers import CREATOR, MEMBER_A, REGION
from moto import mock_aws

from cleanrooms_mock import CleanRoomsMock, mock_cleanrooms
from cleanrooms_mock.glue_tables import GlueTable, create_table

TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
CUSTOMERS = {"user_id": "string", "spend": "double", "visits": "int"}


def client(service: str, account: str = CREATOR, region: str = REGION) -> Any:
    """A client acting as ``account`` (a 12-digit access key is that account)."""
    return boto3.client(
        service, region_name=region, aws_access_key_id=account, aws_secret_access_key="secret"
    )


def glue_table(table: GlueTable) -> dict[str, Any]:
    found: dict[str, Any] = client("glue", table.account, table.region).get_table(
        DatabaseName=table.database, Name=table.table
    )["Table"]
    return found


def body(table: GlueTable, key: str | None = None) -> bytes:
    s3 = client("s3", table.account, table.region)
    data: bytes = s3.get_object(Bucket=table.bucket, Key=key or table.key)["Body"].read()
    return data


def text(table: GlueTable, key: str | None = None) -> str:
    return body(table, key).decode("utf-8")


# ---- what is made -----------------------------------------------------------------------------


def test_a_csv_table_is_cataloged_and_written_as_clean_rooms_reads_csv(
    cleanrooms_table: Any,
) -> None:
    table = cleanrooms_table(CUSTOMERS, [("u1", 12.5, 3), ("u2", None, 0)], name="customers")

    stored = glue_table(table)
    storage = stored["StorageDescriptor"]
    assert stored["TableType"] == "EXTERNAL_TABLE"
    assert stored["Parameters"] == {"classification": "csv", "skip.header.line.count": "1"}
    assert storage["Columns"] == [{"Name": n, "Type": t} for n, t in CUSTOMERS.items()]
    assert storage["SerdeInfo"] == {
        "SerializationLibrary": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
        "Parameters": {"separatorChar": ",", "quoteChar": '"'},
    }
    assert (storage["InputFormat"], storage["OutputFormat"]) == (TEXT_INPUT, TEXT_OUTPUT)
    assert storage["Location"] == table.location
    assert table.location == (
        "s3://cleanrooms-data-123456789012-us-east-1/cleanrooms_data/customers/"
    )
    # the location is the folder of the data files, exactly ("Preparing data tables in S3")
    assert table.keys == ("cleanrooms_data/customers/part-00000.csv",)
    assert text(table) == "user_id,spend,visits\nu1,12.5,3\nu2,,0\n"
    assert (table.database, table.table, table.format) == ("cleanrooms_data", "customers", "csv")
    assert table.columns == CUSTOMERS
    assert table.partition_keys == {}
    assert table.configured_table is None
    assert table.table_reference == {
        "glue": {"databaseName": "cleanrooms_data", "tableName": "customers"}
    }


def test_open_csv_quotes_what_needs_quoting(cleanrooms_table: Any) -> None:
    values = [("a,b",), ('say "hi"',), ("back\\slash",), ("",), (None,)]

    table = cleanrooms_table({"note": "string"}, values)

    lines = text(table).splitlines()
    # a lone empty field is quoted ("" is an empty string; the Open CSV SerDe has no NULL)
    assert lines == ["note", '"a,b"', '"say ""hi"""', "back\\slash", '""', '""']
    assert list(csv.reader(io.StringIO(text(table))))[1:4] == [
        ["a,b"],
        ['say "hi"'],
        ["back\\slash"],
    ]


def test_the_lazy_simple_serde_writes_null_as_backslash_n(cleanrooms_table: Any) -> None:
    table = cleanrooms_table(
        CUSTOMERS, [("u1", None, 3), ("u2", 1.0, None)], csv_serde="LazySimpleSerDe"
    )

    serde = glue_table(table)["StorageDescriptor"]["SerdeInfo"]
    assert serde == {
        "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        "Parameters": {"field.delim": ",", "serialization.format": ","},
    }
    assert glue_table(table)["Parameters"]["skip.header.line.count"] == "1"
    assert text(table) == "user_id,spend,visits\nu1,\\N,3\nu2,1.0,\\N\n"


def test_a_parquet_table_holds_typed_columns(cleanrooms_table: Any, tmp_path: Path) -> None:
    columns = {
        "user_id": "string",
        "amount": "decimal(10,2)",
        "seen": "timestamp",
        "day": "date",
        "active": "boolean",
        "visits": "bigint",
        "score": "float",
        "code": "char(2)",
    }
    rows = [
        ("u1", "12.3", "2024-01-02 03:04:05", "2024-01-02", True, 2**40, 0.5, "ab"),
        ("u2", None, None, None, None, None, None, None),
    ]

    table = cleanrooms_table(columns, rows, format="parquet")

    stored = glue_table(table)
    storage = stored["StorageDescriptor"]
    assert stored["Parameters"] == {"classification": "parquet"}
    assert storage["SerdeInfo"] == {
        "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        "Parameters": {"serialization.format": "1"},
    }
    assert storage["InputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    assert (
        storage["OutputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
    )
    assert table.key.endswith("/part-00000.parquet")
    path = tmp_path / "part.parquet"
    path.write_bytes(body(table))
    read = duckdb.connect()
    assert read.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall() == [
        (
            "u1",
            Decimal("12.30"),
            datetime.datetime(2024, 1, 2, 3, 4, 5),
            datetime.date(2024, 1, 2),
            True,
            2**40,
            0.5,
            "ab",
        ),
        ("u2", *(None,) * 7),
    ]
    types = [
        row[1]
        for row in read.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    ]
    assert types == [
        "VARCHAR",
        "DECIMAL(10,2)",
        "TIMESTAMP",
        "DATE",
        "BOOLEAN",
        "BIGINT",
        "FLOAT",
        "VARCHAR",
    ]


def test_a_json_table_holds_one_object_per_line(cleanrooms_table: Any) -> None:
    table = cleanrooms_table(
        {"user_id": "string", "amount": "decimal(6,2)", "seen": "timestamp", "ok": "boolean"},
        [
            {"user_id": "u1", "amount": 7, "seen": "2024-05-01T10:00:00", "ok": "false"},
            {"user_id": "é", "amount": None, "seen": None, "ok": True},
        ],
        format="json",
    )

    stored = glue_table(table)
    assert stored["Parameters"] == {"classification": "json"}
    assert stored["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == (
        "org.openx.data.jsonserde.JsonSerDe"
    )
    assert table.key.endswith("/part-00000.json")
    lines = text(table).splitlines()
    assert lines[0].split('"amount": ')[1].startswith("7.00,")  # a number with its scale
    assert [json.loads(line, parse_float=Decimal) for line in lines] == [
        {
            "user_id": "u1",
            "amount": Decimal("7.00"),
            "seen": "2024-05-01 10:00:00.000000",
            "ok": False,
        },
        {"user_id": "é", "amount": None, "seen": None, "ok": True},
    ]


AWARE = datetime.datetime(
    2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
)


@pytest.mark.parametrize(
    ("glue_type", "given", "written"),
    [
        ("int", "42", "42"),
        ("int", -(2**31), "-2147483648"),
        ("tinyint", " 127 ", "127"),
        ("bigint", 2**63 - 1, "9223372036854775807"),
        ("double", Decimal("1.25"), "1.25"),
        ("double", 3, "3.0"),
        ("double", "1e-3", "0.001"),
        ("decimal(6,2)", "3.5", "3.50"),
        ("decimal(6,2)", 7, "7.00"),
        ("decimal(6,2)", 0.1, "0.10"),
        ("decimal", "1234567890", "1234567890"),
        ("boolean", "TRUE", "true"),
        ("boolean", False, "false"),
        ("date", "2024-02-29", "2024-02-29"),
        ("date", datetime.date(1999, 12, 31), "1999-12-31"),
        ("timestamp", "2024-01-02T03:04:05", "2024-01-02 03:04:05.000000"),
        ("timestamp", AWARE, "2024-01-02 01:04:05.000006"),  # the UTC wall clock
        ("varchar(3)", "abc", "abc"),
        ("char(2)", "ab", "ab"),
        ("Decimal (6, 2)", "1", "1.00"),  # Glue's type names in any case and spacing
    ],
)
def test_values_are_converted_per_glue_type(
    cleanrooms_table: Any, glue_type: str, given: Any, written: str
) -> None:
    table = cleanrooms_table({"value": glue_type}, [(given,)])

    assert text(table) == f"value\n{written}\n"
    stored = glue_table(table)["StorageDescriptor"]["Columns"]
    assert stored == [{"Name": "value", "Type": re.sub(r"\s+", "", glue_type.lower())}]


def test_dicts_and_tuples_make_the_same_file(cleanrooms_table: Any) -> None:
    as_tuples = cleanrooms_table(CUSTOMERS, [("u1", 1.5, 2)], name="tuples")
    as_dicts = cleanrooms_table(
        CUSTOMERS, [{"visits": 2, "user_id": "u1", "spend": 1.5}], name="dicts"
    )

    assert body(as_tuples) == body(as_dicts)


def test_a_partitioned_table_has_a_glue_partition_per_folder(cleanrooms_table: Any) -> None:
    rows = [
        ("u1", 1.0, 1, "2024-01-01", "web"),
        ("u2", 2.0, 2, "2024-01-02", "a/b=c"),
        ("u3", 3.0, 3, "2024-01-01", "web"),
    ]

    table = cleanrooms_table(
        CUSTOMERS, rows, name="visits", partition_keys={"day": "date", "channel": "string"}
    )

    prefix = "cleanrooms_data/visits/"
    assert table.keys == (
        f"{prefix}day=2024-01-01/channel=web/part-00000.csv",
        f"{prefix}day=2024-01-02/channel=a%2Fb%3Dc/part-00000.csv",  # Hive's escaping
    )
    assert text(table, table.keys[0]) == "user_id,spend,visits\nu1,1.0,1\nu3,3.0,3\n"
    assert text(table, table.keys[1]) == "user_id,spend,visits\nu2,2.0,2\n"
    stored = glue_table(table)
    assert stored["PartitionKeys"] == [
        {"Name": "day", "Type": "date"},
        {"Name": "channel", "Type": "string"},
    ]
    partitions = client("glue").get_partitions(DatabaseName="cleanrooms_data", TableName="visits")
    found = sorted(
        (p["Values"], p["StorageDescriptor"]["Location"]) for p in partitions["Partitions"]
    )
    assert found == [
        (["2024-01-01", "web"], f"{table.location}day=2024-01-01/channel=web/"),
        (["2024-01-02", "a/b=c"], f"{table.location}day=2024-01-02/channel=a%2Fb%3Dc/"),
    ]
    assert table.partition_keys == {"day": "date", "channel": "string"}
    with pytest.raises(ValueError, match="has 2 objects"):
        _ = table.key


def test_a_table_without_rows(cleanrooms_table: Any) -> None:
    plain = cleanrooms_table(CUSTOMERS)
    partitioned = cleanrooms_table(CUSTOMERS, partition_keys={"day": "date"})

    assert text(plain) == "user_id,spend,visits\n"  # the header: a table with no rows
    assert partitioned.keys == ()
    assert (
        client("glue").get_partitions(
            DatabaseName=partitioned.database, TableName=partitioned.table
        )["Partitions"]
        == []
    )


def test_tables_get_free_names_and_share_a_bucket(cleanrooms_table: Any) -> None:
    first, second = cleanrooms_table(CUSTOMERS), cleanrooms_table(CUSTOMERS)
    elsewhere = cleanrooms_table(CUSTOMERS, database="crm")

    assert (first.table, second.table, elsewhere.table) == ("table_1", "table_2", "table_1")
    assert first.bucket == second.bucket == elsewhere.bucket
    assert [b["Name"] for b in client("s3").list_buckets()["Buckets"]] == [first.bucket]


def test_account_region_and_bucket_can_be_given(cleanrooms_table: Any) -> None:
    table = cleanrooms_table(
        CUSTOMERS, [("u1", 1.0, 1)], account=MEMBER_A, region="eu-west-1", bucket="member-data"
    )

    assert (table.account, table.region, table.bucket) == (MEMBER_A, "eu-west-1", "member-data")
    assert glue_table(table)["StorageDescriptor"]["Location"] == (
        "s3://member-data/cleanrooms_data/table_1/"
    )
    assert client("glue", CREATOR, "eu-west-1").get_databases()["DatabaseList"] == []
    assert client("glue", MEMBER_A, REGION).get_databases()["DatabaseList"] == []
    located = client("s3", MEMBER_A, "eu-west-1").get_bucket_location(Bucket="member-data")
    assert located["LocationConstraint"] == "eu-west-1"


@pytest.mark.cleanrooms(account="444455556666", region="ap-northeast-1")
def test_the_marker_s_account_and_region_are_the_default(cleanrooms_table: Any) -> None:
    table = cleanrooms_table(CUSTOMERS, [("u1", 1.0, 1)])

    assert (table.account, table.region) == ("444455556666", "ap-northeast-1")
    assert table.bucket == "cleanrooms-data-444455556666-ap-northeast-1"
    assert text(table).startswith("user_id,spend,visits\n")


def test_it_works_inside_mock_aws_too(cleanrooms_table: Any) -> None:
    with mock_aws():
        table = cleanrooms_table(CUSTOMERS, [("u1", 1.0, 1)], format="json")

        assert json.loads(text(table)) == {"user_id": "u1", "spend": 1.0, "visits": 1}


def test_it_needs_an_active_mock() -> None:
    with pytest.raises(RuntimeError, match="needs an active mock"):
        create_table(mock_cleanrooms(), CUSTOMERS, [("u1", 1.0, 1)])


# ---- the configured table ----------------------------------------------------------------------


def test_a_table_can_be_configured_in_clean_rooms(
    cleanrooms_mock: CleanRoomsMock, cleanrooms_client: Any, cleanrooms_table: Any
) -> None:
    cleanrooms_mock.inject("ThrottlingException", "create_configured_table")  # not the fixture's

    table = cleanrooms_table(
        CUSTOMERS,
        [("u1", 1.0, 1, "2024-01-01")],  # the partition key's value last
        name="customers",
        partition_keys={"day": "date"},
        configure=True,
    )
    narrowed = cleanrooms_table(
        CUSTOMERS, name="narrow", configure={"allowedColumns": ["user_id"], "description": "d"}
    )

    configured = table.configured_table
    assert configured is not None
    assert configured["name"] == "customers"
    assert configured["tableReference"] == table.table_reference
    assert configured["allowedColumns"] == ["user_id", "spend", "visits", "day"]
    assert configured["analysisMethod"] == "DIRECT_QUERY"
    assert configured["arn"].startswith(f"arn:aws:cleanrooms:{REGION}:{CREATOR}:configuredtable/")
    assert narrowed.configured_table is not None
    assert narrowed.configured_table["allowedColumns"] == ["user_id"]
    assert narrowed.configured_table["description"] == "d"
    cleanrooms_mock.clear_faults()
    got = cleanrooms_client.get_configured_table(configuredTableIdentifier=configured["id"])
    assert got["configuredTable"]["tableReference"] == table.table_reference


@pytest.mark.parametrize(
    ("configure", "error"),
    [
        ({"allowedColumns": ["nope"]}, ClientError),  # not a column of the Glue table
        ({"analysisMethod": "SOMETIMES"}, ClientError),  # the service checks enums
    ],
)
def test_a_refused_configured_table_takes_its_glue_table_back(
    cleanrooms_mock: CleanRoomsMock, cleanrooms_table: Any, configure: Any, error: type
) -> None:
    with pytest.raises(error):
        cleanrooms_table(CUSTOMERS, [("u1", 1.0, 1)], name="customers", configure=configure)

    glue = boto3.client("glue", region_name=REGION)
    assert [t["Name"] for t in glue.get_tables(DatabaseName="cleanrooms_data")["TableList"]] == []
    s3 = boto3.client("s3", region_name=REGION)
    bucket = f"cleanrooms-data-{CREATOR}-{REGION}"
    assert s3.list_objects_v2(Bucket=bucket).get("Contents", []) == []
    again = cleanrooms_table(CUSTOMERS, [("u1", 1.0, 1)], name="customers", configure=True)
    assert again.configured_table is not None


# ---- mistakes: refused before anything is made -------------------------------------------------


def nothing_was_made() -> None:
    assert client("glue").get_databases()["DatabaseList"] == []
    assert client("s3").list_buckets()["Buckets"] == []


def refused(
    cleanrooms_table: Any, error: type[Exception], match: str, *args: Any, **kw: Any
) -> None:
    with pytest.raises(error, match=match):
        cleanrooms_table(*args, **kw)
    nothing_was_made()


@pytest.mark.parametrize("data_format", ["csvv", "avro", "orc", "", 1, None])
def test_an_unknown_format_is_refused(cleanrooms_table: Any, data_format: Any) -> None:
    refused(
        cleanrooms_table,
        ValueError,
        r"format must be one of csv, parquet, json",
        CUSTOMERS,
        format=data_format,
    )


@pytest.mark.parametrize(
    ("glue_type", "error", "match"),
    [
        ("strin", ValueError, r"unknown Glue type 'strin'; use one of string, varchar\(n\)"),
        ("text", ValueError, r"unknown Glue type 'text'"),
        ("varchar", ValueError, r"varchar needs a length from 1 to 65535"),
        ("varchar(0)", ValueError, r"varchar needs a length"),
        ("char(256)", ValueError, r"char needs a length from 1 to 255"),
        ("decimal(40,2)", ValueError, r"decimal\(p,s\) needs a precision p from 1 to 38"),
        ("decimal(4,5)", ValueError, r"scale s from 0 to p"),
        ("int(3)", ValueError, r"int takes no length"),
        ("binary", ValueError, r"AWS Clean Rooms does not support the Glue type binary"),
        ("interval", ValueError, r"does not support the Glue type interval"),
        ("array<string>", ValueError, r"the nested type 'array<string>' is not written"),
        ("struct<a:int>", ValueError, r"nested type"),
        (str, TypeError, r"a Glue type must be a string"),
        (None, TypeError, r"a Glue type must be a string"),
    ],
)
def test_an_unknown_or_unsupported_glue_type_is_refused(
    cleanrooms_table: Any, glue_type: Any, error: type[Exception], match: str
) -> None:
    refused(
        cleanrooms_table,
        error,
        r"columns\['kind'\]: .*" + match,
        {"user_id": "string", "kind": glue_type},
    )


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ({"user_id": "u1", "spend": 1.0}, r"rows\[1\] has no value for visits: every column"),
        ({"user_id": "u1"}, r"rows\[1\] has no value for spend, visits"),
        ({}, r"rows\[1\] has no value for user_id, spend, visits"),
        (
            {"user_id": "u1", "spend": 1.0, "visits": 1, "vists": 2},
            r"rows\[1\] has 'vists', which the table does not have; its columns are user_id, "
            r"spend, visits",
        ),
        ({"user_id": "u1", "spend": 1.0, "visits": 1, "day": "2024-01-01"}, r"has 'day'"),
        (("u1", 1.0), r"rows\[1\] has 2 values; the table has 3 \(user_id, spend, visits"),
        (("u1", 1.0, 1, 2), r"rows\[1\] has 4 values; the table has 3"),
    ],
)
def test_a_row_with_a_missing_or_extra_column_is_refused(
    cleanrooms_table: Any, row: Any, match: str
) -> None:
    refused(cleanrooms_table, ValueError, match, CUSTOMERS, [("u0", 0.0, 0), row])


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        ("u1,1.0,1", r"rows must be a list of dicts or tuples"),
        ({"user_id": "u1"}, r"rows must be a list of dicts or tuples"),
        (42, r"rows must be a list"),
        (["u1,1.0,1"], r"rows\[0\] must be a dict \(column -> value\) or a tuple"),
        ([None], r"rows\[0\] must be a dict"),
    ],
)
def test_rows_that_are_not_rows_are_refused(cleanrooms_table: Any, rows: Any, match: str) -> None:
    refused(cleanrooms_table, TypeError, match, CUSTOMERS, rows)


@pytest.mark.parametrize(
    ("glue_type", "value", "match"),
    [
        ("int", "abc", r"'abc' does not fit: give an int"),
        ("int", 1.5, r"give an int"),
        ("int", True, r"give an int"),
        ("tinyint", 300, r"it is outside -128 to 127"),
        ("bigint", 2**63, r"outside"),
        ("double", "lots", r"give a float or an int"),
        ("double", float("nan"), r"give a finite number"),
        ("float", 1e39, r"outside the range of a 32-bit float"),
        ("decimal(10,2)", "1.234", r"more than 2 digits after the point"),
        ("decimal(4,2)", 123, r"more than 2 digits before the point"),
        ("decimal(10,2)", "12,5", r"give a Decimal"),
        ("boolean", "yes", r"give a bool, or 'true' or 'false'"),
        ("boolean", 1, r"give a bool"),
        ("date", datetime.datetime(2024, 1, 1), r"this is a datetime: use \.date\(\)"),
        ("date", "01/02/2024", r"give a datetime.date or a str like '2024-01-31'"),
        ("timestamp", datetime.date(2024, 1, 1), r"give a datetime.datetime"),
        ("timestamp", "yesterday", r"give a datetime.datetime"),
        ("varchar(8)", "x" * 9, r"longer than 8 characters"),
        ("string", 5, r"give a str"),
    ],
)
def test_a_value_that_does_not_fit_its_type_is_refused(
    cleanrooms_table: Any, glue_type: str, value: Any, match: str
) -> None:
    refused(
        cleanrooms_table,
        ValueError,
        rf"rows\[0\], column 'value' \({re.escape(glue_type)}\): .*" + match,
        {"value": glue_type},
        [(value,)],
    )


@pytest.mark.parametrize(
    ("account", "error", "match"),
    [
        (
            "12345",
            ValueError,
            r"cleanrooms_table\(account=\.\.\.\) must be a 12-digit AWS account ID",
        ),
        ("1234567890123", ValueError, r"12-digit"),
        ("12345678901a", ValueError, r"12-digit"),
        ("", ValueError, r"12-digit"),
        (123456789012, TypeError, r"as a string.*quote it"),
    ],
)
def test_an_account_that_is_not_12_digits_is_refused(
    cleanrooms_table: Any, account: Any, error: type[Exception], match: str
) -> None:
    refused(cleanrooms_table, error, match, CUSTOMERS, account=account)


@pytest.mark.parametrize("region", ["us-east-7", "cn-north-1", "EU-WEST-1"])
def test_a_region_without_clean_rooms_is_refused(cleanrooms_table: Any, region: str) -> None:
    refused(
        cleanrooms_table,
        ValueError,
        r"cleanrooms_table\(region=\.\.\.\): AWS Clean Rooms has no endpoint",
        CUSTOMERS,
        region=region,
    )


@pytest.mark.parametrize(
    ("columns", "error", "match"),
    [
        ({}, ValueError, r"columns: a table needs at least one column"),
        ({"UserId": "string"}, ValueError, r"column name 'UserId' must be 1 to 128 characters"),
        ({"user id!": "string"}, ValueError, r"column name 'user id!'"),
        ({"": "string"}, ValueError, r"column name ''"),
        ({1: "string"}, TypeError, r"a column name must be a string"),
        ([("user_id", "string")], TypeError, r"columns must map column names to Glue types"),
        ("user_id string", TypeError, r"columns must map"),
    ],
)
def test_bad_columns_are_refused(
    cleanrooms_table: Any, columns: Any, error: type[Exception], match: str
) -> None:
    refused(cleanrooms_table, error, match, columns)


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        (
            {"partition_keys": {"user_id": "string"}},
            ValueError,
            r"user_id: a name is a column or a partition key, not both",
        ),
        ({"partition_keys": {"Day": "date"}}, ValueError, r"partition_keys: column name 'Day'"),
        (
            {"partition_keys": {"day": "datetime"}},
            ValueError,
            r"partition_keys\['day'\]: unknown Glue type",
        ),
        (
            {"csv_serde": "RegexSerDe"},
            ValueError,
            r"csv_serde must be 'OpenCSVSerde' or 'LazySimpleSerDe'",
        ),
        ({"csv_serde": "org.example.OpenCSVSerde"}, ValueError, r"csv_serde must be"),
        ({"csv_serde": 1}, TypeError, r"csv_serde must be"),
        (
            {"format": "parquet", "csv_serde": "OpenCSVSerde"},
            ValueError,
            r"csv_serde is for format='csv' only",
        ),
        (
            {"format": "json", "csv_serde": "LazySimpleSerDe"},
            ValueError,
            r"a json table has its own SerDe",
        ),
        ({"database": "sales-"}, ValueError, r"database 'sales-' cannot be named in Clean Rooms"),
        ({"database": "x" * 129}, ValueError, r"1 to 128 characters"),
        ({"database": 5}, TypeError, r"database must be a string"),
        (
            {"name": "orders!"},
            ValueError,
            r"name 'orders!' cannot be named in Clean Rooms.*GlueTableName",
        ),
        ({"name": ""}, ValueError, r"name '' cannot be named"),
        ({"bucket": "My_Bucket"}, ValueError, r"bucket 'My_Bucket' is not an S3 bucket name"),
        ({"bucket": "ab"}, ValueError, r"not an S3 bucket name"),
        ({"bucket": "a..b"}, ValueError, r"not an S3 bucket name"),
        ({"configure": "yes"}, TypeError, r"configure must be True, False or a mapping"),
        ({"configure": {1: "x"}}, TypeError, r"configure must be"),
    ],
)
def test_other_bad_arguments_are_refused(
    cleanrooms_table: Any, options: dict[str, Any], error: type[Exception], match: str
) -> None:
    refused(cleanrooms_table, error, match, CUSTOMERS, [("u1", 1.0, 1)], **options)


@pytest.mark.parametrize(
    ("value", "options", "match"),
    [
        ("a,b", {"csv_serde": "LazySimpleSerDe"}, r"the Lazy Simple SerDe reads no quotes"),
        ("two\nlines", {"csv_serde": "LazySimpleSerDe"}, r"cannot be written"),
        ("two\nlines", {}, r"the Open CSV SerDe reads no line breaks"),
        ("carriage\rreturn", {}, r"no line breaks"),
    ],
)
def test_a_value_a_csv_serde_cannot_read_is_refused(
    cleanrooms_table: Any, value: str, options: dict[str, Any], match: str
) -> None:
    refused(
        cleanrooms_table,
        ValueError,
        r"rows\[0\], column 'user_id': .*" + match,
        CUSTOMERS,
        [(value, 1.0, 1)],
        **options,
    )


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        ([("u1", 1.0, 1, None, "web")], r"rows\[0\]: partition key 'day' cannot be NULL"),
        (
            [("u1", 1.0, 1, "2024-01-01", "web"), ("u2", 1.0, 1, "2024-01-01", None)],
            r"rows\[1\]: partition key 'channel' cannot be NULL",
        ),
        (
            [{"user_id": "u1", "spend": 1.0, "visits": 1, "day": None, "channel": None}],
            r"rows\[0\]: partition key 'day'",
        ),
    ],
)
def test_a_null_partition_key_is_refused(cleanrooms_table: Any, rows: Any, match: str) -> None:
    keys = {"day": "date", "channel": "string"}
    refused(cleanrooms_table, ValueError, match, CUSTOMERS, rows, partition_keys=keys)


def test_a_table_that_exists_is_refused_and_its_objects_are_kept(cleanrooms_table: Any) -> None:
    first = cleanrooms_table(CUSTOMERS, [("u1", 1.0, 1)], name="orders")

    with pytest.raises(
        ValueError,
        match=r"table cleanrooms_data\.ORDERS already exists in the Glue Data Catalog of "
        r"account 123456789012 in us-east-1; give another name",
    ):
        cleanrooms_table(CUSTOMERS, [("u2", 2.0, 2)], name="ORDERS")

    assert text(first) == "user_id,spend,visits\nu1,1.0,1\n"
    listed = client("s3").list_objects_v2(Bucket=first.bucket)["Contents"]
    assert [o["Key"] for o in listed] == list(first.keys)


def test_another_account_s_bucket_is_refused(cleanrooms_table: Any) -> None:
    theirs = cleanrooms_table(CUSTOMERS, account=MEMBER_A, bucket="shared-name")

    with pytest.raises(ValueError, match=r"bucket 'shared-name' belongs to another account"):
        cleanrooms_table(CUSTOMERS, bucket="shared-name")

    assert client("glue").get_databases()["DatabaseList"] == []
    assert text(theirs) == "user_id,spend,visits\n"
