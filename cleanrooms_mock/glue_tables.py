"""Glue tables with rows in S3, made for tests: what the ``cleanrooms_table`` fixture does.

:func:`create_table` creates, as one account in one region, an AWS Glue database and table whose
location is a folder of an S3 bucket in moto, writes the rows it is given there (CSV, Parquet or
JSON lines; one object per partition), and can configure the table in Clean Rooms
(``create_configured_table``). Every call goes through boto3 clients acting as the account, so it
works under ``mock_cleanrooms`` alone and inside ``mock_aws``.

Tables are made the way AWS's documentation asks for Clean Rooms:

* the table's location is the folder of its data files, exactly ("Preparing data tables in
  Amazon S3": a parent folder makes the table look empty); a partitioned table's files are in
  Hive's ``key=value`` folders under it, each a Glue partition;
* column types are the Glue Data Catalog types Clean Rooms supports ("Data formats for AWS
  Clean Rooms": bigint, boolean, char, date, decimal, double, float, int, smallint, string,
  timestamp, varchar; binary and interval are not supported); text files write timestamps as
  ``yyyy-MM-dd HH:mm:ss.SSSSSS``, as that page requires;
* CSV is read by the Open CSV SerDe (the "OpenCSV" format of that page, which both SQL queries
  and PySpark jobs read) or the Lazy Simple SerDe (Athena's default for CSV), with a header row
  and the table property ``skip.header.line.count`` = 1 (Athena's "CSV SerDe libraries");
  Parquet by ``ParquetHiveSerDe`` with the ``MapredParquet`` formats; JSON lines by the OpenX
  ``JsonSerDe``, as Glue's crawlers catalog them. Parquet files are written by DuckDB, imported
  only when a Parquet table is made.

Every argument is checked before anything is created: a mistake raises ``TypeError`` or
``ValueError`` naming the argument (the row and column for a value) and leaves Glue and S3 as
they were.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from moto.core.models import botocore_stubber

from .faults import faults
from .mock import client_acting_as
from .settings import check_account, check_region

if TYPE_CHECKING:
    from .mock import CleanRoomsMock

__all__ = ["DEFAULT_DATABASE", "FORMATS", "GlueTable", "create_table", "glue_type"]

#: The Glue database tables go to unless told otherwise.
DEFAULT_DATABASE = "cleanrooms_data"
#: The file formats :func:`create_table` writes.
FORMATS = ("csv", "parquet", "json")
#: The SerDe libraries a CSV table can be read with, by short name (case does not matter).
CSV_SERDES = {
    "opencsvserde": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
    "lazysimpleserde": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
}
_TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
_TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
_TIMESTAMP_TEXT = "%Y-%m-%d %H:%M:%S.%f"  # yyyy-MM-dd HH:mm:ss.SSSSSS ("Data formats")
#: How argument errors name the argument (the fixture is how most users call create_table).
_USAGE = "cleanrooms_table(%s=...)"
#: Partitions per BatchCreatePartition call (the Glue model's PartitionInputList maximum).
_PARTITIONS_PER_CALL = 100


# ---- Glue types ------------------------------------------------------------------------------

_INTEGER_BITS = {"tinyint": 8, "smallint": 16, "int": 32, "integer": 32, "bigint": 64}
_SIMPLE = {
    "string": "VARCHAR",
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}
#: Hive's limits: varchar(1-65535), char(1-255), decimal(1-38, 0-precision).
_LENGTH_LIMITS = {"varchar": 65535, "char": 255}
_TYPE_TEXT = re.compile(r"([a-z]+)(?:\((\d+)(?:,(\d+))?\))?")
_KNOWN_TYPES = (
    "string, varchar(n), char(n), tinyint, smallint, int, bigint, float, double, decimal(p,s), "
    "boolean, date, timestamp"
)


@dataclass(frozen=True)
class GlueType:
    """A column type as the Glue Data Catalog stores it (``decimal(10,2)``), parsed."""

    text: str
    base: str
    length: int | None = None  # varchar(n), char(n)
    precision: int = 10  # decimal (Hive's default precision and scale: 10, 0)
    scale: int = 0

    @property
    def duckdb(self) -> str:
        """The DuckDB type of a Parquet column of this type."""
        if self.base == "decimal":
            return f"DECIMAL({self.precision},{self.scale})"
        return _SIMPLE.get(self.base, "VARCHAR")  # varchar(n), char(n): Parquet has no length


def glue_type(text: object, where: str) -> GlueType:
    """``text`` parsed as a Glue column type Clean Rooms supports; ``where`` names it in errors.

    Raises TypeError for a non-string, ValueError for a type Clean Rooms does not support
    (binary, interval: "Data formats for AWS Clean Rooms"), a nested type (array, map, struct:
    make those tables with boto3's glue client) or a type Glue does not have.
    """
    if not isinstance(text, str):
        raise TypeError(f"{where}: a Glue type must be a string like 'string', not {text!r}")
    compact = re.sub(r"\s+", "", text.lower())
    match = _TYPE_TEXT.fullmatch(compact)
    base = match.group(1) if match else re.split(r"[<(]", compact)[0]
    if base in ("binary", "interval"):
        raise ValueError(
            f"{where}: AWS Clean Rooms does not support the Glue type {base} (user guide, "
            f"'Data formats for AWS Clean Rooms'); use one of {_KNOWN_TYPES}"
        )
    if base in ("array", "map", "struct"):
        raise ValueError(
            f"{where}: the nested type {text!r} is not written by this fixture; create such a "
            f"table with boto3's glue client, or use one of {_KNOWN_TYPES}"
        )
    if match is None or (base not in _SIMPLE and base not in _LENGTH_LIMITS and base != "decimal"):
        raise ValueError(f"{where}: unknown Glue type {text!r}; use one of {_KNOWN_TYPES}")
    first, second = match.group(2), match.group(3)
    if base in _LENGTH_LIMITS:
        limit = _LENGTH_LIMITS[base]
        if first is None or second is not None or not 1 <= int(first) <= limit:
            raise ValueError(f"{where}: {base} needs a length from 1 to {limit}: {base}(n)")
        return GlueType(compact, base, length=int(first))
    if base == "decimal":
        precision = int(first) if first is not None else 10
        scale = int(second) if second is not None else 0
        if not 1 <= precision <= 38 or not 0 <= scale <= precision:
            raise ValueError(
                f"{where}: decimal(p,s) needs a precision p from 1 to 38 and a scale s from 0 to "
                f"p, not {text!r}"
            )
        return GlueType(compact, base, precision=precision, scale=scale)
    if first is not None:
        raise ValueError(f"{where}: {base} takes no length, not {text!r}")
    return GlueType(compact, base)


# ---- values ----------------------------------------------------------------------------------


class _Unfit(Exception):
    """A value that does not fit its column's type; the message says what would."""


def _value(kind: GlueType, value: Any) -> Any:
    """``value`` as the Python value of a ``kind`` column (None: NULL); raises _Unfit."""
    if value is None:
        return None
    base = kind.base
    if base in ("string", "varchar", "char"):
        if not isinstance(value, str):
            raise _Unfit("give a str")
        if kind.length is not None and len(value) > kind.length:
            raise _Unfit(f"it is longer than {kind.length} characters")
        return value
    if base in _INTEGER_BITS:
        return _integer(value, _INTEGER_BITS[base])
    if base in ("float", "double"):
        return _float(value, base)
    if base == "decimal":
        return _decimal(value, kind)
    if base == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise _Unfit("give a bool, or 'true' or 'false'")
    if base == "date":
        return _date(value)
    return _timestamp(value)


def _integer(value: Any, bits: int) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?[0-9]+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Unfit("give an int")
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    if not low <= value <= high:
        raise _Unfit(f"it is outside {low} to {high}")
    return value


def _float(value: Any, base: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise _Unfit("give a float or an int")
    try:
        number = float(value)
    except ValueError:
        raise _Unfit("give a float or an int") from None
    if not math.isfinite(number):
        raise _Unfit("give a finite number (NaN and infinities have no CSV or JSON form here)")
    if base == "float" and abs(number) > 3.4028234663852886e38:
        raise _Unfit("it is outside the range of a 32-bit float")
    return number


def _decimal(value: Any, kind: GlueType) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise _Unfit("give a Decimal, an int or a str like '12.34'")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise _Unfit("give a Decimal, an int or a str like '12.34'") from None
    if not number.is_finite():
        raise _Unfit("give a finite number")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > kind.scale:
        raise _Unfit(f"it has more than {kind.scale} digits after the point")
    digits = len(str(abs(int(number)))) if int(number) else 0
    if digits > kind.precision - kind.scale:
        raise _Unfit(f"it has more than {kind.precision - kind.scale} digits before the point")
    return number.quantize(Decimal(1).scaleb(-kind.scale))


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        raise _Unfit("give a datetime.date (this is a datetime: use .date())")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Unfit("give a datetime.date or a str like '2024-01-31'")


def _timestamp(value: Any) -> datetime.datetime:
    wanted = "give a datetime.datetime or a str like '2024-01-31 12:30:00'"
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _Unfit(wanted) from None
    else:
        raise _Unfit(wanted)
    if moment.tzinfo is not None:  # Glue's timestamp has no time zone: the UTC wall clock
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment


def _text(value: Any) -> str:
    """A converted value as text files (CSV, partition folders) carry it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        return value.strftime(_TIMESTAMP_TEXT)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value) if not isinstance(value, float) else repr(value)


# ---- files -----------------------------------------------------------------------------------

#: Rows as the writers take them: (position in the caller's ``rows``, converted values).
Rows = list[tuple[int, list[Any]]]


def _opencsv(names: Sequence[str], _: Sequence[GlueType], rows: Rows) -> bytes:
    """CSV with a header row, quoted where needed (``""`` for a quote: the Open CSV SerDe's
    default escape character is the quote character); NULL is an empty field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for number, row in rows:
        texts = ["" if v is None else _text(v) for v in row]
        _refuse(names, number, texts, "\n\r", "the Open CSV SerDe reads no line breaks in values")
        writer.writerow(texts)
    return out.getvalue().encode("utf-8")


def _lazy_simple_csv(names: Sequence[str], _: Sequence[GlueType], rows: Rows) -> bytes:
    """Comma-separated lines with a header row, nothing quoted; NULL is ``\\N`` (the Lazy
    Simple SerDe's ``serialization.null.format``)."""
    lines = [",".join(names)]
    for number, row in rows:
        texts = ["\\N" if v is None else _text(v) for v in row]
        _refuse(
            names,
            number,
            texts,
            ",\n\r",
            "the Lazy Simple SerDe reads no quotes: use "
            "csv_serde='OpenCSVSerde' for values with commas",
        )
        lines.append(",".join(texts))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _json_lines(names: Sequence[str], _: Sequence[GlueType], rows: Rows) -> bytes:
    """One JSON object per line; decimals as JSON numbers with their scale, dates and
    timestamps as text."""

    def encode(value: Any) -> str:
        if value is None or isinstance(value, (bool, int, float, str)):
            return json.dumps(value, ensure_ascii=False)
        return format(value, "f") if isinstance(value, Decimal) else json.dumps(_text(value))

    lines = (
        "{"
        + ", ".join(f"{json.dumps(n)}: {encode(v)}" for n, v in zip(names, row, strict=True))
        + "}\n"
        for _, row in rows
    )
    return "".join(lines).encode("utf-8")


def _parquet(names: Sequence[str], types: Sequence[GlueType], rows: Rows) -> bytes:
    """A Parquet file written by DuckDB (through a temporary file: DuckDB's COPY writes files)."""
    import duckdb  # only when a Parquet table is made

    columns = ", ".join(f'"{n}" {t.duckdb}' for n, t in zip(names, types, strict=True))
    connection = duckdb.connect()
    try:
        connection.execute(f"CREATE TABLE t ({columns})")
        if rows:
            marks = ", ".join("?" for _ in names)
            connection.executemany(f"INSERT INTO t VALUES ({marks})", [row for _, row in rows])
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "part.parquet").replace("'", "''")
            connection.execute(f"COPY t TO '{path}' (FORMAT parquet)")
            with open(path, "rb") as written:
                return written.read()
    finally:
        connection.close()


def _refuse(names: Sequence[str], number: int, texts: list[str], bad: str, why: str) -> None:
    for name, text in zip(names, texts, strict=True):
        if any(c in text for c in bad):
            raise ValueError(f"rows[{number}], column {name!r}: {text!r} cannot be written: {why}")


Writer = Callable[[Sequence[str], Sequence[GlueType], Rows], bytes]


@dataclass(frozen=True)
class _Format:
    """How one file format is cataloged in Glue and written to S3."""

    extension: str
    serde: str
    input_format: str
    output_format: str
    serde_parameters: Mapping[str, str]
    parameters: Mapping[str, str]
    write: Writer


def _csv_format(serde: str, serde_parameters: Mapping[str, str], write: Writer) -> _Format:
    """A CSV text table with a header row (``skip.header.line.count`` 1) read by ``serde``."""
    table = {"classification": "csv", "skip.header.line.count": "1"}
    return _Format("csv", serde, _TEXT_INPUT, _TEXT_OUTPUT, serde_parameters, table, write)


_OPEN_CSV = _csv_format(
    CSV_SERDES["opencsvserde"], {"separatorChar": ",", "quoteChar": '"'}, _opencsv
)
_LAZY_SIMPLE_CSV = _csv_format(
    CSV_SERDES["lazysimpleserde"],
    {"field.delim": ",", "serialization.format": ","},
    _lazy_simple_csv,
)
_PARQUET = _Format(
    "parquet",
    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    {"serialization.format": "1"},
    {"classification": "parquet"},
    _parquet,
)
_JSON = _Format(
    "json",
    "org.openx.data.jsonserde.JsonSerDe",
    _TEXT_INPUT,
    _TEXT_OUTPUT,
    {},
    {"classification": "json"},
    _json_lines,
)


# ---- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlueTable:
    """What :func:`create_table` made: where the table is and what it holds.

    ``columns`` and ``partition_keys`` map names to Glue types as the catalog stores them;
    ``keys`` are the S3 objects written (one per partition; none for a partitioned table
    without rows); ``configured_table`` is what ``create_configured_table`` answered
    (``configuredTable``), when the table was configured.
    """

    account: str
    region: str
    database: str
    table: str
    location: str
    bucket: str
    keys: tuple[str, ...]
    columns: dict[str, str]
    partition_keys: dict[str, str]
    format: str
    configured_table: dict[str, Any] | None = None

    @property
    def table_reference(self) -> dict[str, Any]:
        """The ``tableReference`` that names this table in ``create_configured_table``."""
        return {"glue": {"databaseName": self.database, "tableName": self.table}}

    @property
    def key(self) -> str:
        """The one S3 object of a table written as one object; ValueError otherwise."""
        if len(self.keys) != 1:
            raise ValueError(f"table {self.table} has {len(self.keys)} objects: read .keys")
        return self.keys[0]


def create_table(
    mock: CleanRoomsMock,
    columns: Mapping[str, str],
    rows: Iterable[Mapping[str, Any] | Sequence[Any]] = (),
    *,
    name: str | None = None,
    database: str = DEFAULT_DATABASE,
    partition_keys: Mapping[str, str] | None = None,
    format: str = "csv",
    csv_serde: str | None = None,
    account: str | None = None,
    region: str | None = None,
    bucket: str | None = None,
    configure: bool | Mapping[str, Any] = False,
) -> GlueTable:
    """Create a Glue table with ``rows`` in S3, as ``account`` in ``region``; see the module.

    ``columns`` and ``partition_keys`` map column names (lower case: Glue stores them so, and
    Clean Rooms' ``ColumnName`` allows ``[a-z0-9_ -]``) to Glue types. ``rows`` are dicts
    (column -> value) or tuples (columns, then partition keys, in order); every value is
    converted to its column's type (None is NULL). ``name`` defaults to the first free
    ``table_<n>`` of ``database``; ``format`` is ``csv``, ``parquet`` or ``json``;
    ``csv_serde`` (CSV only) ``OpenCSVSerde`` (the default) or ``LazySimpleSerDe``; ``account``
    and ``region`` default to the mock's; ``bucket`` to ``cleanrooms-data-<account>-<region>``
    (made if missing). The objects go to ``s3://<bucket>/<database>/<table>/``, the table's
    location. ``configure=True`` also creates a configured table for it
    (``analysisMethod`` ``DIRECT_QUERY``, ``allowedColumns`` every column and partition key,
    named as the table); a mapping of CreateConfiguredTable inputs by model name changes or
    adds to those.

    Raises RuntimeError without an active mock; TypeError or ValueError, before anything is
    created, for a bad argument; a ``ClientError`` from ``create_configured_table`` is Clean
    Rooms' answer (botocore's ``ParamValidationError`` for inputs it refuses), raised after the
    Glue table and its objects are deleted again (the database and bucket stay).
    """
    if not mock.active() and not botocore_stubber.enabled:
        raise RuntimeError(
            "create_table needs an active mock (mock_cleanrooms, or moto's mock_aws): without "
            "one its Glue and S3 calls would go to AWS"
        )
    account = check_account(mock.account if account is None else account, _USAGE % "account")
    region = check_region(mock.region if region is None else region, _USAGE % "region")
    catalog = _check_format(format, csv_serde)
    table_columns = _check_columns(columns, "columns")
    keys = _check_columns(partition_keys or {}, "partition_keys", allow_empty=True)
    shared = sorted(set(table_columns) & set(keys))
    if shared:
        raise ValueError(f"{', '.join(shared)}: a name is a column or a partition key, not both")
    _check_name(database, "database", "GlueDatabaseName")
    if name is not None:
        _check_name(name, "name", "GlueTableName")
    bucket = _check_bucket(bucket if bucket is not None else f"cleanrooms-data-{account}-{region}")
    settings = _check_configure(configure)
    converted = _rows(rows, table_columns, keys)

    glue = client_acting_as("glue", account, region)
    s3 = client_acting_as("s3", account, region)
    name = _free_name(glue, database, name, account, region)
    prefix = f"{database}/{name}/"
    objects = {
        f"{prefix}{_partition_folder(keys, values)}part-00000.{catalog.extension}": (
            values,
            catalog.write(list(table_columns), list(table_columns.values()), part),
        )
        for values, part in _partitions(converted, len(table_columns), bool(keys))
    }

    _ensure_bucket(s3, bucket, region)
    for key, (_, body) in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    location = f"s3://{bucket}/{prefix}"
    storage = _storage(catalog, table_columns, location)
    _ensure_database(glue, database)
    glue.create_table(
        DatabaseName=database,
        TableInput={
            "Name": name,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": dict(catalog.parameters),
            "PartitionKeys": [{"Name": k, "Type": t.text} for k, t in keys.items()],
            "StorageDescriptor": storage,
        },
    )
    if keys:
        _create_partitions(glue, database, name, storage, keys, [v for v, _ in objects.values()])
    result = GlueTable(
        account=account,
        region=region,
        database=database,
        table=name,
        location=location,
        bucket=bucket,
        keys=tuple(objects),
        columns={c: t.text for c, t in table_columns.items()},
        partition_keys={k: t.text for k, t in keys.items()},
        format=catalog.extension,
    )
    if settings is None:
        return result
    inputs = {
        "name": name,
        "tableReference": result.table_reference,
        "allowedColumns": [*table_columns, *keys],
        "analysisMethod": "DIRECT_QUERY",
        **settings,
    }
    try:
        with faults.suspended():  # set-up, not the code under test
            created = mock.client(account, region).create_configured_table(**inputs)
    except Exception:
        # Clean Rooms refused the configured table (or botocore its inputs): take back the Glue
        # table and its objects, so that the same call, corrected, can run again.
        glue.delete_table(DatabaseName=database, Name=name)
        for key in objects:
            s3.delete_object(Bucket=bucket, Key=key)
        raise
    return dataclasses.replace(result, configured_table=created["configuredTable"])


# ---- checks ----------------------------------------------------------------------------------


def _check_format(data_format: object, csv_serde: object) -> _Format:
    if not isinstance(data_format, str) or data_format.lower() not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {data_format!r}")
    data_format = data_format.lower()
    if data_format != "csv":
        if csv_serde is not None:
            raise ValueError(
                f"csv_serde is for format='csv' only; a {data_format} table has its own SerDe"
            )
        return _PARQUET if data_format == "parquet" else _JSON
    if csv_serde is None:
        return _OPEN_CSV
    usage = f"csv_serde must be 'OpenCSVSerde' or 'LazySimpleSerDe', not {csv_serde!r}"
    if not isinstance(csv_serde, str):
        raise TypeError(usage)
    short = csv_serde.rpartition(".")[2].lower()
    if short not in CSV_SERDES or ("." in csv_serde and csv_serde != CSV_SERDES[short]):
        raise ValueError(usage)
    return _OPEN_CSV if short == "opencsvserde" else _LAZY_SIMPLE_CSV


def _unfit_name(value: str, shape: str) -> str | None:
    """What ``value`` must be to fit the Clean Rooms model's string shape ``shape`` (its
    pattern and length); None when it fits."""
    from .protocol.model import service_model

    metadata = service_model().shape_for(shape).metadata
    longest, pattern = int(metadata["max"]), metadata["pattern"]
    if value and len(value) <= longest and re.fullmatch(pattern, value):
        return None
    return f"1 to {longest} characters matching {pattern} (the model's {shape})"


def _check_name(value: object, argument: str, shape: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a string, not {value!r}")
    problem = _unfit_name(value, shape)
    if problem:
        raise ValueError(
            f"{argument} {value!r} cannot be named in Clean Rooms: it must be {problem}"
        )


def _check_columns(
    columns: object, argument: str, allow_empty: bool = False
) -> dict[str, GlueType]:
    if not isinstance(columns, Mapping):
        raise TypeError(
            f"{argument} must map column names to Glue types, like "
            f"{{'user_id': 'string'}}, not {columns!r}"
        )
    if not columns and not allow_empty:
        raise ValueError(f"{argument}: a table needs at least one column")
    checked: dict[str, GlueType] = {}
    for column, text in columns.items():
        if not isinstance(column, str):
            raise TypeError(f"{argument}: a column name must be a string, not {column!r}")
        problem = _unfit_name(column, "ColumnName")
        if problem:
            raise ValueError(
                f"{argument}: column name {column!r} must be {problem}; Glue stores column "
                "names in lower case"
            )
        checked[column] = glue_type(text, f"{argument}[{column!r}]")
    return checked


def _check_bucket(bucket: object) -> str:
    if not isinstance(bucket, str):
        raise TypeError(f"bucket must be a string, not {bucket!r}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket) or ".." in bucket:
        raise ValueError(
            f"bucket {bucket!r} is not an S3 bucket name: 3 to 63 lower-case letters, digits, "
            "dots and hyphens, starting and ending with a letter or digit"
        )
    return bucket


def _check_configure(configure: object) -> dict[str, Any] | None:
    if configure is False:
        return None
    if configure is True:
        return {}
    if isinstance(configure, Mapping) and all(isinstance(k, str) for k in configure):
        return dict(configure)
    raise TypeError(
        "configure must be True, False or a mapping of CreateConfiguredTable inputs by model "
        f"name (like {{'allowedColumns': ['user_id']}}), not {configure!r}"
    )


def _rows(rows: object, columns: Mapping[str, GlueType], keys: Mapping[str, GlueType]) -> Rows:
    """Each row's position and values, converted: columns, then partition keys."""
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Iterable):
        raise TypeError(f"rows must be a list of dicts or tuples, not {rows!r}")
    kinds = {**columns, **keys}
    names = list(kinds)
    converted: Rows = []
    for number, row in enumerate(rows):
        values = _row_values(row, number, names)
        out: list[Any] = []
        for column, value in zip(names, values, strict=True):
            try:
                out.append(_value(kinds[column], value))
            except _Unfit as unfit:
                raise ValueError(
                    f"rows[{number}], column {column!r} ({kinds[column].text}): {value!r} does "
                    f"not fit: {unfit}"
                ) from None
            if column in keys and value is None:
                raise ValueError(
                    f"rows[{number}]: partition key {column!r} cannot be NULL (give a value)"
                )
        converted.append((number, out))
    return converted


def _row_values(row: object, number: int, names: list[str]) -> list[Any]:
    if isinstance(row, Mapping):
        missing = [n for n in names if n not in row]
        extra = [str(n) for n in row if n not in names]
        if missing:
            raise ValueError(
                f"rows[{number}] has no value for {', '.join(missing)}: every column and "
                "partition key needs one (None for NULL)"
            )
        if extra:
            raise ValueError(
                f"rows[{number}] has {', '.join(map(repr, extra))}, which the table does not "
                f"have; its columns are {', '.join(names)}"
            )
        return [row[n] for n in names]
    if isinstance(row, Sequence) and not isinstance(row, (str, bytes)):
        if len(row) != len(names):
            raise ValueError(
                f"rows[{number}] has {len(row)} values; the table has {len(names)} "
                f"({', '.join(names)}: columns, then partition keys)"
            )
        return list(row)
    raise TypeError(
        f"rows[{number}] must be a dict (column -> value) or a tuple in column order, not {row!r}"
    )


# ---- Glue and S3 -----------------------------------------------------------------------------


def _partitions(rows: Rows, width: int, partitioned: bool) -> Iterable[tuple[list[str], Rows]]:
    """(partition values as text, its rows without them) in first-seen order; an unpartitioned
    table is one partition, even without rows (its file has only the header or schema)."""
    if not partitioned:
        return [([], rows)]
    groups: dict[tuple[str, ...], Rows] = {}
    for number, row in rows:
        groups.setdefault(tuple(_text(v) for v in row[width:]), []).append((number, row[:width]))
    return [(list(values), part) for values, part in groups.items()]


#: Characters Hive escapes in a partition folder name (``FileUtils.escapePathName``).
_HIVE_ESCAPED = frozenset("\"#%'*/:=?\\\x7f{[]^") | {chr(c) for c in range(1, 32)}


def _partition_folder(keys: Mapping[str, GlueType], values: list[str]) -> str:
    def escape(text: str) -> str:
        return "".join(f"%{ord(c):02X}" if c in _HIVE_ESCAPED else c for c in text)

    return "".join(f"{escape(k)}={escape(v)}/" for k, v in zip(keys, values, strict=True))


def _storage(catalog: _Format, columns: Mapping[str, GlueType], location: str) -> dict[str, Any]:
    return {
        "Columns": [{"Name": c, "Type": t.text} for c, t in columns.items()],
        "Location": location,
        "InputFormat": catalog.input_format,
        "OutputFormat": catalog.output_format,
        "SerdeInfo": {
            "SerializationLibrary": catalog.serde,
            "Parameters": dict(catalog.serde_parameters),
        },
    }


def _create_partitions(
    glue: Any,
    database: str,
    table: str,
    storage: Mapping[str, Any],
    keys: Mapping[str, GlueType],
    values: list[list[str]],
) -> None:
    """One Glue partition per list of values, its location the folder of its object."""
    inputs = [
        {
            "Values": v,
            "StorageDescriptor": {
                **storage,
                "Location": storage["Location"] + _partition_folder(keys, v),
            },
        }
        for v in values
    ]
    for start in range(0, len(inputs), _PARTITIONS_PER_CALL):
        answer = glue.batch_create_partition(
            DatabaseName=database,
            TableName=table,
            PartitionInputList=inputs[start : start + _PARTITIONS_PER_CALL],
        )
        if answer.get("Errors"):
            raise RuntimeError(f"Glue refused partitions of {table}: {answer['Errors']}")


def _free_name(glue: Any, database: str, name: str | None, account: str, region: str) -> str:
    """``name`` if ``database`` has no such table yet (ValueError if it has); else the first
    free ``table_<n>``."""
    taken = {t["Name"].lower() for t in _tables(glue, database)}
    if name is not None:
        if name.lower() in taken:
            raise ValueError(
                f"name: table {database}.{name} already exists in the Glue Data Catalog of "
                f"account {account} in {region}; give another name"
            )
        return name
    return next(f"table_{n}" for n in range(1, len(taken) + 2) if f"table_{n}" not in taken)


def _tables(glue: Any, database: str) -> list[dict[str, Any]]:
    try:
        pages = glue.get_paginator("get_tables").paginate(DatabaseName=database)
        return [t for page in pages for t in page["TableList"]]
    except glue.exceptions.EntityNotFoundException:
        return []


def _ensure_database(glue: Any, database: str) -> None:
    with contextlib.suppress(glue.exceptions.AlreadyExistsException):
        glue.create_database(DatabaseInput={"Name": database})


def _ensure_bucket(s3: Any, bucket: str, region: str) -> None:
    """Create ``bucket`` in ``region`` unless the account has it; ValueError if another
    account's bucket has the name (S3 bucket names are global)."""
    options: dict[str, Any] = {}
    if region != "us-east-1":
        options["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(Bucket=bucket, **options)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    except s3.exceptions.BucketAlreadyExists:
        raise ValueError(
            f"bucket {bucket!r} belongs to another account (S3 bucket names are global); give "
            "another bucket="
        ) from None
