"""The pytest plugin (entry point ``pytest11``), loaded by pytest once the package is installed.

Loading it imports cleanrooms_mock before any test creates a boto3 session, so Clean Rooms calls
are always ours, under ``mock_cleanrooms`` and inside moto's ``mock_aws``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .mock import CleanRoomsMock, mock_cleanrooms

__all__ = ["cleanrooms_mock"]


@pytest.fixture
def cleanrooms_mock() -> Iterator[CleanRoomsMock]:
    """An active Clean Rooms mock for the test, empty at its start and discarded at its end."""
    with mock_cleanrooms() as mock:
        yield mock
