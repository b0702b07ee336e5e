"""Listings, and the opaque, tamper-evident pagination tokens that page them.

A list operation returns a :class:`Listing`: index entries in creation order and which of them
to keep. The dispatcher pages it (:meth:`Listing.page`) with the request's ``maxResults`` and
``nextToken`` and the token's scope (operation, caller, every other input). A token names that
scope and the position to resume after, signed with a per-process key: a forged token, or one
replayed in another scope, is refused with the ValidationException the real service answers for
a bad ``nextToken``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import ValidationError

__all__ = ["DEFAULT_PAGE_SIZE", "Listing", "paginate"]

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
        raise ValidationError.for_field(
            "nextToken", "Member must be a valid pagination token.", token
        )
    position = data.get("pos")
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise ValidationError.for_field(
            "nextToken", "Member must be a valid pagination token.", token
        )
    return position


def paginate(
    entries: Sequence[tuple[int, T]],
    operation: str,
    max_results: int | None,
    next_token: str | None,
    keep: Callable[[T], bool] = lambda item: True,
) -> tuple[list[T], str | None]:
    """One page of the kept items of ``entries`` (sorted by sequence) and the next page's token.

    A token remembers the sequence number of the last item returned, so a page costs a binary
    search plus the items it walks, not a scan of everything before it, and items added or
    removed between pages neither repeat nor shift the walk.
    """
    after = decode_token(operation, next_token) if next_token else -1
    size = max_results or DEFAULT_PAGE_SIZE
    page: list[T] = []
    last = after
    for index in range(bisect_right(entries, after, key=lambda entry: entry[0]), len(entries)):
        seq, item = entries[index]
        if not keep(item):
            continue
        if len(page) == size:  # one more item exists: the caller gets a token for it
            return page, encode_token(operation, last)
        page.append(item)
        last = seq
    return page, None


def _keep_all(item: object) -> bool:
    return True


@dataclass(frozen=True)
class Listing(Generic[T]):
    """What a list operation returns: ``(seq, item)`` entries sorted by ``seq``, and which to
    keep (the live ones the caller may see, under the operation's filters)."""

    entries: Sequence[tuple[int, T]]
    keep: Callable[[T], bool] = _keep_all

    def page(
        self, scope: str, max_results: int | None, next_token: str | None
    ) -> tuple[list[T], str | None]:
        """One page and the next page's token (see :func:`paginate`)."""
        return paginate(self.entries, scope, max_results, next_token, self.keep)
