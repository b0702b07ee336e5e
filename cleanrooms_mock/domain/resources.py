"""What every resource shares: random ids, ARNs, timestamps."""

from __future__ import annotations

from datetime import datetime, timezone

from .._ids import new_id

__all__ = ["arn", "new_id", "now"]


def now() -> datetime:
    return datetime.now(timezone.utc)


def arn(region: str, account_id: str, resource: str) -> str:
    # The partition in place, not by a call: every answer describes a resource or two.
    if region.startswith("cn-"):
        partition = "aws-cn"
    elif region.startswith("us-gov-"):
        partition = "aws-us-gov"
    else:
        partition = "aws"
    return f"arn:{partition}:cleanrooms:{region}:{account_id}:{resource}"
