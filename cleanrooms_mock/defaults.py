"""Who calls, and where, when a request says nothing: moto's defaults, shared by every layer."""

from __future__ import annotations

__all__ = ["DEFAULT_ACCOUNT_ID", "DEFAULT_REGION"]

#: moto's default account, used when nothing else names the caller.
DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"
