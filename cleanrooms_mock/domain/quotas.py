"""Service quotas: AWS Clean Rooms' documented defaults, adjustable from Python as on AWS.

Each family declares its quotas (name, default, AWS quota name) in its ``family.py``
(:class:`.family.Quota`); the settings here are built from them on first use, in data order.
What each quota counts is a counter of the region's store, named after the quota
(:meth:`.store.RegionStore.count`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from .adjustable import Adjustable
from .errors import QuotaExceeded
from .family import Quota, families

# DEFAULT_QUOTAS too, made on first use (the module's __getattr__).
__all__ = ["MAX_QUOTA", "Quotas", "quota_exceeded", "quotas"]

#: The largest quota value accepted: 2**31 - 1, a Java int, far above any AWS Clean Rooms quota
#: (the user guide's "Quotas in AWS Clean Rooms": the largest default is in the hundreds), so a
#: typo such as 99999999999999999999999 fails when given.
MAX_QUOTA = 2**31 - 1


@functools.cache
def _declared() -> dict[str, Quota]:
    """The families' quotas by name, in data order (found on first use: the families'
    operations import this module)."""
    return {quota.name: quota for family in families() for quota in family.quotas}


@functools.cache
def _defaults() -> dict[str, int]:
    return {name: quota.default for name, quota in _declared().items()}


class Quotas(Adjustable):
    """Service quotas enforced by the mock (per account and region, as AWS counts them).

    Defaults are AWS Clean Rooms' documented defaults; change them on a running mock with
    ``mock_cleanrooms(quotas={...})`` or by assigning attributes of :data:`quotas` (checked as
    :meth:`checked` checks: ValueError for an unknown name, a value that is not a non-negative
    integer, or one above :data:`MAX_QUOTA`; the message lists the known quotas in data order).
    """

    unknown = "Unknown Clean Rooms quota {name!r}; known quotas: {known}"

    def defaults(self) -> Mapping[str, int]:
        return _defaults()

    def check_value(self, name: str, value: Any) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"Quota {name!r} must be a non-negative integer, not {value!r}")
        if value > MAX_QUOTA:
            raise ValueError(
                f"Quota {name!r} must be at most {MAX_QUOTA} (2**31 - 1, far above any AWS "
                f"Clean Rooms quota), not {value!r}"
            )

    def __getattr__(self, name: str) -> int:
        """A quota not set yet: the first read of any fills in every default (an attribute
        once set is read directly, without this)."""
        if name.startswith("_") or name not in _defaults() or name in vars(self):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.update({key: value for key, value in _defaults().items() if key not in vars(self)})
        value: int = vars(self)[name]
        return value


def __getattr__(name: str) -> dict[str, int]:
    """``DEFAULT_QUOTAS``: each quota's name and default, in data order (on first use)."""
    if name == "DEFAULT_QUOTAS":
        return dict(_defaults())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


quotas = Quotas()


def quota_exceeded(name: str) -> QuotaExceeded:
    """The ServiceQuotaExceededException for quota ``name`` at its current value."""
    return QuotaExceeded(_declared()[name].aws_name, getattr(quotas, name))
