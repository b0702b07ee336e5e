"""What every resource shares: random ids, ARNs, timestamps."""

from __future__ import annotations

from datetime import datetime, timezone

from .._ids import new_id

__all__ = ["arn", "new_id", "now"]


def now() -> datetime:
    return datetime.now(timezone.utc)


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def arn(region: str, account_id: str, resource: str) -> str:
    return f"arn:{_partition(region)}:cleanrooms:{region}:{account_id}:{resource}"
