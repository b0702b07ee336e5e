"""Service quotas: AWS Clean Rooms' documented defaults, adjustable from Python as on AWS.

The settings live here; what each quota counts is a counter of the region's store, named after
the quota (:meth:`.store.RegionStore.count`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .errors import QuotaExceeded

__all__ = ["DEFAULT_QUOTAS", "MAX_QUOTA", "Quotas", "quota_exceeded", "quotas"]

#: The largest quota value accepted: 2**31 - 1, a Java int, far above any AWS Clean Rooms quota
#: (the user guide's "Quotas in AWS Clean Rooms": the largest default is in the hundreds), so a
#: typo such as 99999999999999999999999 fails when given.
MAX_QUOTA = 2**31 - 1


@dataclass
class Quotas:
    """Service quotas enforced by the mock (per account and region, as AWS counts them).

    Defaults are AWS Clean Rooms' documented defaults; change them on a running mock with
    ``mock_cleanrooms(quotas={...})`` or by assigning attributes of :data:`quotas` (checked as
    :meth:`checked` checks: ValueError for an unknown name or a bad value).
    """

    collaborations_per_account: int = 10
    members_per_collaboration: int = 5
    memberships_per_account: int = 100
    configured_tables_per_account: int = 250
    allowed_columns_per_configured_table: int = 100
    analysis_rule_kilobytes: int = 100

    def __setattr__(self, name: str, value: Any) -> None:
        Quotas.checked({name: value})
        super().__setattr__(name, value)

    def reset(self) -> None:
        """Back to the defaults."""
        self.update(DEFAULT_QUOTAS)

    def update(self, values: Mapping[str, int]) -> None:
        """Set the quotas named in ``values``."""
        for name, value in Quotas.checked(values).items():
            setattr(self, name, value)

    @staticmethod
    def checked(values: Mapping[str, int]) -> dict[str, int]:
        """``values`` as quota settings; ValueError for an unknown name, a value that is not a
        non-negative integer, or one above :data:`MAX_QUOTA` (the message lists the known quotas
        in the order of :class:`Quotas`: families in data order)."""
        for name, value in values.items():
            if name not in DEFAULT_QUOTAS:
                known = ", ".join(DEFAULT_QUOTAS)
                raise ValueError(f"Unknown Clean Rooms quota {name!r}; known quotas: {known}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"Quota {name!r} must be a non-negative integer, not {value!r}")
            if value > MAX_QUOTA:
                raise ValueError(
                    f"Quota {name!r} must be at most {MAX_QUOTA} (2**31 - 1, far above any AWS "
                    f"Clean Rooms quota), not {value!r}"
                )
        return dict(values)


#: From the fields, not an instance: making one checks its values against this.
DEFAULT_QUOTAS: dict[str, int] = {
    quota.name: quota.default for quota in fields(Quotas) if isinstance(quota.default, int)
}
quotas = Quotas()

# The quotas' names in the Clean Rooms user guide ("Quotas in AWS Clean Rooms"), reported as
# ServiceQuotaExceededException.quotaName.
_QUOTA_NAMES = {
    "collaborations_per_account": "Collaborations created per account",
    "members_per_collaboration": "Members invited per collaboration",
    "memberships_per_account": "Memberships per account",
    "configured_tables_per_account": "Configured tables per account",
    "allowed_columns_per_configured_table": "Columns per configured table allowlist",
    # Not adjustable on AWS ("Maximum size of JSON for an analysis rule"); quotaValue in KB.
    "analysis_rule_kilobytes": "Analysis rule size",
}


def quota_exceeded(name: str) -> QuotaExceeded:
    """The ServiceQuotaExceededException for quota ``name`` at its current value."""
    return QuotaExceeded(_QUOTA_NAMES[name], getattr(quotas, name))
