"""cleanrooms-mock: a faithful, offline AWS Clean Rooms for boto3 tests, in the style of moto.

Importing the package registers the mock with botocore and with moto's ``mock_aws``; nothing is
intercepted until a mock is active.
"""

from __future__ import annotations

from .mock import CleanRoomsMock, NotMockedError, install, mock_cleanrooms
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
