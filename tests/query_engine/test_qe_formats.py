"""The engine reads a table's files as Glue describes them: each format, partitions, bad data.

Tables come from the ``cleanrooms_table`` fixture (which writes Glue tables and their objects
to moto, as a data owner would) or from bytes, for the settings the fixture does not write.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from qe_support import LAZY_SIMPLE, OPEN_CSV, OWNER, query, source_of, table_of_bytes

from cleanrooms_mock.query_engine import moto_objects, split_location, storage_format

PEOPLE = {"email": "string", "age": "int", "spend": "decimal(10,2)", "joined": "date"}
ROWS = [
    ("a@example.com", 31, "12.50", "2024-01-31"),
    ("b@example.com", None, "0.10", "2023-12-01"),
    ("c@example.com", 40, None, None),
]
EXPECTED = [
    ("a@example.com", 31, Decimal("12.50"), datetime.date(2024, 1, 31)),
    ("b@example.com", None, Decimal("0.10"), datetime.date(2023, 12, 1)),
    ("c@example.com", 40, None, None),
]


@pytest.mark.parametrize(
    ("data_format", "serde"),
    [("csv", "OpenCSVSerde"), ("csv", "LazySimpleSerDe"), ("parquet", None), ("json", None)],
)
def test_each_format_the_fixture_writes_reads_back_typed(
    cleanrooms_table: Any, data_format: str, serde: str | None
) -> None:
    table = cleanrooms_table(
        PEOPLE, ROWS, name="people", format=data_format, csv_serde=serde, account=OWNER
    )

    outcome = query("SELECT * FROM people ORDER BY email", source_of(table))

    assert outcome.error is None
    assert [name for name, _ in outcome.columns] == list(PEOPLE)
    assert list(outcome.rows) == EXPECTED


def test_a_partitioned_table_shows_its_partition_keys_as_columns(cleanrooms_table: Any) -> None:
    table = cleanrooms_table(
        {"email": "string", "spend": "double"},
        [("a@x", 1.5, "eu", 2024), ("b@x", 2.0, "us", 2024), ("c@x", 4.0, "eu", 2023)],
        name="sales",
        partition_keys={"region": "string", "year": "int"},
        account=OWNER,
    )

    outcome = query(
        "SELECT region, year, SUM(spend) AS total FROM sales GROUP BY region, year "
        "ORDER BY region, year",
        source_of(table),
    )

    assert outcome.records() == [
        {"region": "eu", "year": 2023, "total": 4.0},
        {"region": "eu", "year": 2024, "total": 1.5},
        {"region": "us", "year": 2024, "total": 2.0},
    ]


def test_only_the_allowed_columns_are_visible(cleanrooms_table: Any) -> None:
    table = cleanrooms_table(PEOPLE, ROWS, name="people", account=OWNER)
    people = source_of(table, allowed=["email", "age"])

    assert query("SELECT * FROM people", people).columns == (
        ("email", "VARCHAR"),
        ("age", "INTEGER"),
    )
    for sql in ("SELECT spend FROM people", "SELECT email FROM people WHERE joined > '2024-01-01'"):
        outcome = query(sql, people)
        assert outcome.error is not None
        assert outcome.error.code == "MALFORMED_QUERY"
        assert outcome.error.message.startswith("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column")


def test_csv_without_a_header_row_reads_every_line() -> None:
    table = table_of_bytes(
        "scores",
        [("name", "string"), ("score", "int")],
        {"data.csv": b"ann,3\nbob,5\n"},
        serde=LAZY_SIMPLE,
        serde_parameters={"field.delim": ","},
    )

    assert query("SELECT SUM(score) AS s, COUNT(*) AS n FROM scores", table).rows == ((8, 2),)


def test_csv_header_lines_are_skipped_as_the_table_property_says() -> None:
    body = b"name,score\nann,3\nbob,5\n"
    columns = [("name", "string"), ("score", "int")]
    for lines, expected in (("1", ("ann", "bob")), ("2", ("bob",)), ("0", ("name", "ann", "bob"))):
        table = table_of_bytes(
            "scores", columns, {"d.csv": body}, table_parameters={"skip.header.line.count": lines}
        )
        outcome = query("SELECT name FROM scores", table)
        assert tuple(row[0] for row in outcome.rows) == expected


def test_text_that_does_not_parse_as_its_type_is_null_and_short_lines_are_padded() -> None:
    # Hive's text SerDes read an unparsable value as NULL, a missing field as NULL, and ignore
    # fields past the last column.
    table = table_of_bytes(
        "t",
        [("a", "int"), ("b", "string"), ("c", "date")],
        {"d.csv": b"1,x,2024-01-02\nnot a number,y,soon\n3\n4,z,2024-02-03,extra\n"},
    )

    assert query("SELECT a, b, c FROM t", table).rows == (
        (1, "x", datetime.date(2024, 1, 2)),
        (None, "y", None),
        (3, None, None),
        (4, "z", datetime.date(2024, 2, 3)),
    )


def test_open_csv_reads_quoted_fields_with_separators_and_quotes() -> None:
    body = b'id,note\n1,"a, b"\n2,"he said ""hi"""\n3,plain\n'
    table = table_of_bytes(
        "notes",
        [("id", "int"), ("note", "string")],
        {"n.csv": body},
        table_parameters={"skip.header.line.count": "1"},
    )

    assert query("SELECT note FROM notes ORDER BY id", table).rows == (
        ("a, b",),
        ('he said "hi"',),
        ("plain",),
    )


def test_open_csv_separator_and_quote_characters_come_from_the_serde() -> None:
    table = table_of_bytes(
        "notes",
        [("id", "int"), ("note", "string")],
        {"n.csv": b"1;'x;y'\n2;z\n"},
        serde_parameters={"separatorChar": ";", "quoteChar": "'"},
    )

    assert query("SELECT note FROM notes ORDER BY id", table).rows == (("x;y",), ("z",))


def test_lazy_simple_serde_reads_its_delimiter_and_null_text_and_no_quotes() -> None:
    table = table_of_bytes(
        "t",
        [("a", "string"), ("b", "int")],
        {"x.txt": b'say "hi"|1\n\\N|\\N\n'},
        serde=LAZY_SIMPLE,
        serde_parameters={"field.delim": "|"},
    )

    # Spark sorts NULL first in ascending order; the engine keeps Spark's order.
    assert query("SELECT a, b FROM t ORDER BY b", table).rows == ((None, None), ('say "hi"', 1))


def test_markers_empty_objects_and_hidden_files_are_not_data() -> None:
    table = table_of_bytes(
        "t",
        [("a", "int")],
        {
            "": b"",
            "sub/": b"",
            "part-0.csv": b"1\n2\n",
            "empty.csv": b"",
            "_SUCCESS": b"done",
            ".part-0.csv.crc": b"xx",
            "sub/part-1.csv": b"3\n",
        },
    )

    assert query("SELECT SUM(a) AS s FROM t", table).rows == ((6,),)


def test_a_table_without_files_is_empty_with_its_columns() -> None:
    table = table_of_bytes("t", [("a", "int"), ("b", "string")], {})

    outcome = query("SELECT a, b FROM t", table)

    assert outcome.error is None
    assert outcome.columns == (("a", "INTEGER"), ("b", "VARCHAR"))
    assert outcome.rows == ()


@pytest.mark.parametrize(
    ("objects", "serde"),
    [
        ({"d.json": b'{"a": 1}\nnot json\n'}, "org.openx.data.jsonserde.JsonSerDe"),
        ({"d.json": b'{"a": 1'}, "org.openx.data.jsonserde.JsonSerDe"),
        (
            {"d.parquet": b"PAR1 this is not a parquet file PAR1"},
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        ),
    ],
)
def test_files_that_are_not_of_the_tables_format_fail_the_query_as_an_invalid_resource(
    objects: dict[str, bytes], serde: str
) -> None:
    table = table_of_bytes("t", [("a", "int")], objects, serde=serde)

    outcome = query("SELECT a FROM t", table)

    assert outcome.error is not None
    assert outcome.error.code == "INVALID_RESOURCE"
    assert outcome.error.message.startswith("The data of")


@pytest.mark.parametrize(
    ("serde", "message"),
    [
        ("org.apache.hadoop.hive.serde2.avro.AvroSerDe", "not one AWS Clean Rooms reads"),
        ("com.example.MySerDe", "not one AWS Clean Rooms reads"),
    ],
)
def test_a_serde_clean_rooms_does_not_read_is_refused(serde: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        storage_format(serde)


def test_storage_formats_follow_the_glue_table() -> None:
    assert storage_format(OPEN_CSV).escape == '"'
    assert storage_format(OPEN_CSV, {"escapeChar": "\\"}).escape == "\\"
    assert storage_format(LAZY_SIMPLE).delimiter == "\x01"  # Hive's default
    assert storage_format(LAZY_SIMPLE, {"serialization.format": "\t"}).delimiter == "\t"
    assert storage_format(None, {}, {"classification": "json"}).kind == "json"
    assert storage_format(None, {}, {}, "MapredParquetInputFormat").kind == "parquet"
    with pytest.raises(ValueError, match=r"skip\.header\.line\.count"):
        storage_format(OPEN_CSV, {}, {"skip.header.line.count": "one"})


def test_objects_are_read_from_the_owners_s3_in_moto(cleanrooms_table: Any) -> None:
    table = cleanrooms_table({"a": "int"}, [(1,)], name="t", account=OWNER)
    read = moto_objects(OWNER, table.location)

    assert read() == [("part-00000.csv", b"a\n1\n")]
    with pytest.raises(ValueError, match="does not exist"):
        moto_objects(OWNER, "s3://no-such-bucket/t/")()
    with pytest.raises(ValueError, match="does not exist"):
        moto_objects("999999999999", table.location)()  # another account's S3 has no bucket


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("s3://b/x/y/", ("b", "x/y/")),
        ("s3://b/x/y", ("b", "x/y/")),
        ("s3://b", ("b", "")),
        ("s3a://b/k/", ("b", "k/")),
    ],
)
def test_locations_split_into_bucket_and_folder(location: str, expected: tuple[str, str]) -> None:
    assert split_location(location) == expected


@pytest.mark.parametrize("location", ["https://b/x", "b/x", "s3:///x", ""])
def test_a_location_that_is_not_s3_is_refused(location: str) -> None:
    with pytest.raises(ValueError, match="location"):
        split_location(location)


@pytest.mark.parametrize("dialect", ["spark", "redshift"])
@pytest.mark.parametrize(
    "sql",
    [
        "SELECT p.spend FROM people p",
        "SELECT people.spend FROM people",
        "SELECT p.email FROM people p WHERE p.joined > '2024-01-01'",
    ],
)
def test_a_column_not_allowed_is_unresolved_also_named_with_its_table(
    cleanrooms_table: Any, sql: str, dialect: str
) -> None:
    table = cleanrooms_table(PEOPLE, ROWS, name="people", account=OWNER)
    people = source_of(table, allowed=["email", "age"])

    outcome = query(sql, people, dialect=dialect)

    assert outcome.error is not None
    assert outcome.error.code == "MALFORMED_QUERY"
    column = "spend" if "spend" in sql else "joined"
    if dialect == "redshift":
        assert outcome.error.message == f"Column '{column}' could not be resolved"
    else:
        assert outcome.error.message.startswith(
            "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name "
            f"`{column}` cannot be resolved. Did you mean one of the following? ["
        )
