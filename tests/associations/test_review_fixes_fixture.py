"""Every ``cleanrooms_table`` argument is checked before anything is made (the fresh-user
review of issues 12/13, finding 2): misspelt or mistyped ``configure``/``associate`` inputs,
and ``configure=False`` with ``associate``, leave no Glue database, bucket or configured table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from assoc_support import PUBLISHER, Collaboration
from botocore.exceptions import ParamValidationError

from cleanrooms_mock.mock import client_acting_as

COLUMNS = {"user_id": "string", "spend": "double"}


def nothing_was_made() -> None:
    """The publisher has no Glue database, no bucket and no configured table."""
    glue = client_acting_as("glue", PUBLISHER, "us-east-1")
    s3 = client_acting_as("s3", PUBLISHER, "us-east-1")
    cleanrooms = client_acting_as("cleanrooms", PUBLISHER, "us-east-1")
    assert glue.get_databases()["DatabaseList"] == []
    assert s3.list_buckets()["Buckets"] == []
    assert cleanrooms.list_configured_tables()["configuredTableSummaries"] == []


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"nmae": "spend"}, r"Unknown parameter in input: \"nmae\""),
        ({"Name": "spend"}, r"Unknown parameter in input: \"Name\""),
        ({"role_arn": "arn:aws:iam::222222222222:role/r"}, "role_arn"),
        ({"name": 5}, r"Invalid type for parameter name"),
        ({"description": ["d"]}, r"Invalid type for parameter description"),
        ({"tags": "team=ads"}, r"Invalid type for parameter tags"),
    ],
    ids=["misspelt", "capitalised", "snake-case", "int-name", "list-description", "str-tags"],
)
def test_a_wrong_association_input_is_refused_before_anything_is_made(
    collab: Collaboration,
    cleanrooms_table: Callable[..., Any],
    extra: dict[str, Any],
    match: str,
) -> None:
    associate = {"collaborationId": collab.id, **extra}

    with pytest.raises(ValueError, match=r"^associate: not valid CreateConfiguredTableAssociation"):
        cleanrooms_table(COLUMNS, account=PUBLISHER, associate=associate)
    with pytest.raises(ParamValidationError, match=match):  # what boto3 would raise
        cleanrooms_table(COLUMNS, account=PUBLISHER, associate=associate)
    nothing_was_made()


@pytest.mark.parametrize(
    ("configure", "match"),
    [
        ({"allowedColumn": ["user_id"]}, r"Unknown parameter in input: \"allowedColumn\""),
        ({"selected_analysis_methods": []}, "selected_analysis_methods"),
        ({"allowedColumns": "user_id"}, r"Invalid type for parameter allowedColumns"),
        ({"analysisMethod": 1}, r"Invalid type for parameter analysisMethod"),
    ],
    ids=["misspelt", "snake-case", "str-columns", "int-method"],
)
def test_a_wrong_configure_input_is_refused_before_anything_is_made(
    collab: Collaboration,
    cleanrooms_table: Callable[..., Any],
    configure: dict[str, Any],
    match: str,
) -> None:
    for associate in (None, collab.id):
        with pytest.raises(ValueError, match=r"^configure: not valid CreateConfiguredTable "):
            cleanrooms_table(COLUMNS, account=PUBLISHER, configure=configure, associate=associate)
        with pytest.raises(ParamValidationError, match=match):
            cleanrooms_table(COLUMNS, account=PUBLISHER, configure=configure, associate=associate)
    nothing_was_made()


@pytest.mark.parametrize("associate", ["collaboration id", "mapping"])
def test_configure_false_with_associate_is_a_contradiction(
    collab: Collaboration, cleanrooms_table: Callable[..., Any], associate: str
) -> None:
    given: Any = collab.id if associate == "collaboration id" else {"collaborationId": collab.id}

    with pytest.raises(
        ValueError, match=r"configure=False contradicts associate: .* leave configure out"
    ):
        cleanrooms_table(COLUMNS, account=PUBLISHER, configure=False, associate=given)
    nothing_was_made()


@pytest.mark.parametrize("configure", [None, True, {"allowedColumns": ["user_id"]}])
def test_associate_configures_unless_told_otherwise(
    collab: Collaboration, cleanrooms_table: Callable[..., Any], configure: Any
) -> None:
    options = {} if configure is None else {"configure": configure}

    table = cleanrooms_table(COLUMNS, account=PUBLISHER, associate=collab.id, **options)

    assert table.configured_table is not None
    assert table.association is not None
    assert table.association["configuredTableId"] == table.configured_table["id"]


def test_configure_left_out_configures_nothing(cleanrooms_table: Callable[..., Any]) -> None:
    table = cleanrooms_table(COLUMNS, account=PUBLISHER)

    assert table.configured_table is None
    assert table.association is None
