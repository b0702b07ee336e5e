"""Is a Clean Rooms mock active? A counter and its lock, importing nothing of the package.

:mod:`.mock` counts activations here; the botocore hook, the moto patches and seeding only ask
:func:`active`, so none of them imports the mock (which imports them).
"""

from __future__ import annotations

import threading

__all__ = ["active", "depth", "lock"]

#: Guards :data:`depth` and what an activation starts and stops.
lock = threading.RLock()
#: How many activations are running (they nest).
depth = 0


def active() -> bool:
    """Whether a ``mock_cleanrooms`` activation is running."""
    return depth > 0
