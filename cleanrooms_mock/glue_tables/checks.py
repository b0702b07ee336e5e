"""The checks of ``cleanrooms_table``'s arguments, run before anything is made (split from
:mod:`cleanrooms_mock.glue_tables`): each raises ValueError or TypeError saying how to fix it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..protocol.errors import a_or_an
from .formats import (
    _JSON,
    _LAZY_SIMPLE_CSV,
    _OPEN_CSV,
    _PARQUET,
    CSV_SERDES,
    GlueType,
    Rows,
    _Format,
    _Unfit,
    _value,
    glue_type,
)

if TYPE_CHECKING:
    pass


#: The Glue database tables go to unless told otherwise.
DEFAULT_DATABASE = "cleanrooms_data"
#: The file formats :func:`create_table` writes.
FORMATS = ("csv", "parquet", "json")
_USAGE = "cleanrooms_table(%s=...)"


# ---- checks ----------------------------------------------------------------------------------


def _check_format(data_format: object, csv_serde: object) -> _Format:
    if not isinstance(data_format, str) or data_format.lower() not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {data_format!r}")
    data_format = data_format.lower()
    if data_format != "csv":
        if csv_serde is not None:
            raise ValueError(
                f"csv_serde is for format='csv' only; {a_or_an(data_format)} table has its own "
                "SerDe"
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
    from ..protocol.model import service_model

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
