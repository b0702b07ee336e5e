"""Fixtures of the configured-table rule tests: moto's Glue, where data owners create tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ct_support import glue_client
from moto import mock_aws


@pytest.fixture
def glue() -> Iterator[Any]:
    """A Glue client of the data owner's account, inside moto's mock_aws (fresh catalog)."""
    with mock_aws():
        yield glue_client()
