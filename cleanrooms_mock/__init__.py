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
    from .seeding import SeedError
    from .server import CleanRoomsServer

__all__ = [
    "CleanRoomsBackend",
    "CleanRoomsMock",
    "CleanRoomsServer",
    "NotMockedError",
    "SeedError",
    "__version__",
    "cleanrooms_backends",
    "mock_cleanrooms",
    "quotas",
]

__version__ = "0.1.0"

install()

#: Names imported on first use, by module: ``import cleanrooms_mock`` stays cheap.
_LAZY = {
    "CleanRoomsBackend": "domain.backend",
    "cleanrooms_backends": "domain.backend",
    "quotas": "domain.quotas",
    "SeedError": "seeding",
    "CleanRoomsServer": "server",
}


def __getattr__(name: str) -> Any:
    """The domain's objects, the seeding error and the server, imported on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    """The module's names, the ones imported on first use included."""
    return sorted({*globals(), *_LAZY})
