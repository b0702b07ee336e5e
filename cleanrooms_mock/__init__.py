"""cleanrooms-mock: a faithful, offline AWS Clean Rooms for boto3 tests, in the style of moto.

Importing the package registers the mock with botocore and with moto's ``mock_aws``; nothing is
intercepted until a mock is active.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .mock import CleanRoomsMock, NotMockedError, install, mock_cleanrooms

if TYPE_CHECKING:
    from .models import CleanRoomsBackend, cleanrooms_backends, quotas

__all__ = [
    "CleanRoomsBackend",
    "CleanRoomsMock",
    "NotMockedError",
    "__version__",
    "cleanrooms_backends",
    "mock_cleanrooms",
    "quotas",
]

__version__ = "0.1.0"

install()

_FROM_MODELS = frozenset({"CleanRoomsBackend", "cleanrooms_backends", "quotas"})


def __getattr__(name: str) -> Any:
    """The domain's objects, imported on first use (the import of the package stays cheap)."""
    if name in _FROM_MODELS:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
