"""cleanrooms-mock: a faithful, offline AWS Clean Rooms for boto3 tests, in the style of moto.

Importing the package registers the mock with botocore and with moto's ``mock_aws``; nothing is
intercepted until a mock is active.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .mock import CleanRoomsMock, NotMockedError, install, mock_cleanrooms

if TYPE_CHECKING:
    from .domain.backend import CleanRoomsBackend, cleanrooms_backends
    from .domain.quotas import quotas

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


def __getattr__(name: str) -> Any:
    """The domain's objects, imported on first use (the import of the package stays cheap)."""
    if name in ("CleanRoomsBackend", "cleanrooms_backends"):
        from .domain import backend

        return getattr(backend, name)
    if name == "quotas":
        from .domain import quotas as settings

        return settings.quotas
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
