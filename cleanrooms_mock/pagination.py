"""Opaque, tamper-evident pagination tokens for every list operation.

A token names the operation it was issued for and the position to resume from, signed with a
per-process key: a forged token, or one replayed against another operation, is refused with
the ValidationException the real service answers for a bad ``nextToken``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from typing import TypeVar

from .exceptions import ValidationError

__all__ = ["DEFAULT_PAGE_SIZE", "paginate"]

#: Page size when the caller gives no ``maxResults`` ("the service chooses a default number").
DEFAULT_PAGE_SIZE = 50

_KEY = secrets.token_bytes(32)
T = TypeVar("T")


def _sign(payload: bytes) -> str:
    return hmac.new(_KEY, payload, hashlib.sha256).hexdigest()[:32]


def encode_token(operation: str, position: int) -> str:
    payload = json.dumps({"op": operation, "pos": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode() + "." + _sign(payload)


def decode_token(operation: str, token: str) -> int:
    """The position a token resumes at; ValidationException for anything not issued by us."""
    encoded, _, signature = token.partition(".")
    try:
        payload = base64.urlsafe_b64decode(encoded.encode())
        valid = hmac.compare_digest(_sign(payload), signature)
        data = json.loads(payload) if valid else None
    except (ValueError, TypeError):
        data = None
    if not isinstance(data, dict) or data.get("op") != operation:
        raise ValidationError.for_field("nextToken", "Member must be a valid pagination token.")
    position = data.get("pos")
    if not isinstance(position, int) or position < 0:
        raise ValidationError.for_field("nextToken", "Member must be a valid pagination token.")
    return position


def paginate(
    items: Sequence[T], operation: str, max_results: int | None, next_token: str | None
) -> tuple[list[T], str | None]:
    """One page of ``items`` and the token for the next, if any."""
    start = decode_token(operation, next_token) if next_token else 0
    size = max_results or DEFAULT_PAGE_SIZE
    page = list(items[start : start + size])
    end = start + size
    return page, (encode_token(operation, end) if end < len(items) else None)
