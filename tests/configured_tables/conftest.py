"""Fixtures of the configured-table tests: moto's Glue, where data owners create tables, and
the data owner's Clean Rooms client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ct_support import OWNER, create_glue_table, glue_client
from helpers import client
from moto import mock_aws


@pytest.fixture
def glue() -> Iterator[Any]:
    """A Glue client of the data owner's account, inside moto's mock_aws (fresh catalog)."""
    with mock_aws():
        yield glue_client()


@pytest.fixture
def owner(glue: Any) -> Any:
    """The data owner's Clean Rooms client; its Glue Data Catalog has ``sales.orders``."""
    create_glue_table(glue)
    return client(OWNER)
