"""Schema column types read from Glue are normalised as the ``cleanrooms_table`` fixture writes
them (the fresh-user review of issues 12/13, finding 3): lower case, no blanks; a type that is
none (blank, not ASCII) shows as ``string``, the type of a column whose source type is unseen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from assoc_support import CREATOR, MEASURER, PUBLISHER, Collaboration

from cleanrooms_mock.mock import client_acting_as


def _retype(table: Any, column_type: str) -> None:
    """The table's ``spend`` column retyped in the Glue Data Catalog (glue.update_table)."""
    glue = client_acting_as("glue", PUBLISHER, "us-east-1")
    current = glue.get_table(DatabaseName=table.database, Name=table.table)["Table"]
    storage = current["StorageDescriptor"]
    storage["Columns"] = [
        {**c, "Type": column_type} if c["Name"] == "spend" else c for c in storage["Columns"]
    ]
    glue.update_table(
        DatabaseName=table.database,
        TableInput={
            "Name": current["Name"],
            "TableType": current["TableType"],
            "Parameters": current.get("Parameters", {}),
            "PartitionKeys": current.get("PartitionKeys", []),
            "StorageDescriptor": storage,
        },
    )


@pytest.mark.parametrize(
    ("glue_type", "shown"),
    [
        ("STRING", "string"),
        ("Double", "double"),
        ("DECIMAL(10, 2)", "decimal(10,2)"),
        ("VarChar( 16 )", "varchar(16)"),
        ("ARRAY<STRUCT<a:INT>>", "array<struct<a:int>>"),
        ("map<string, bigint>", "map<string,bigint>"),
        (" ", "string"),
        ("", "string"),
        ("décimal(10,2)", "string"),
        ("(10,2)", "string"),
    ],
)
def test_schema_types_are_the_glue_types_normalised(
    collab: Collaboration, cleanrooms_table: Callable[..., Any], glue_type: str, shown: str
) -> None:
    table = cleanrooms_table(
        {"user_id": "string", "spend": "double"},
        name="spend",
        account=PUBLISHER,
        associate=collab.id,
    )

    _retype(table, glue_type)

    for reader in (CREATOR, MEASURER, PUBLISHER):
        columns = collab.schema(reader, "spend")["columns"]
        assert columns == [
            {"name": "user_id", "type": "string"},
            {"name": "spend", "type": shown},
        ]
    listed = collab[CREATOR].batch_get_schema(collaborationIdentifier=collab.id, names=["spend"])
    assert listed["schemas"][0]["columns"][1] == {"name": "spend", "type": shown}
