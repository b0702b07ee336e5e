"""Glue types, values and data files of the tables :func:`.create_table` makes.

What each Glue type Clean Rooms supports accepts as a value, and how rows are written as CSV
(Open CSV or Lazy Simple SerDe), Parquet (DuckDB, imported on first use) or JSON lines; sources
in :mod:`cleanrooms_mock.glue_tables`.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["CSV_SERDES", "GlueType", "glue_type"]

#: The SerDe libraries a CSV table can be read with, by short name (case does not matter).
CSV_SERDES = {
    "opencsvserde": "org.apache.hadoop.hive.serde2.OpenCSVSerde",
    "lazysimpleserde": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
}
_TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
_TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
_TIMESTAMP_TEXT = "%Y-%m-%d %H:%M:%S.%f"  # yyyy-MM-dd HH:mm:ss.SSSSSS ("Data formats")


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
