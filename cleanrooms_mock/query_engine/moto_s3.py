"""A table's objects, read from moto's S3 in-process: the one part of the engine that knows moto.

Clean Rooms reads a configured table's files from the table owner's S3 bucket at query time
("Prepare data tables in AWS Clean Rooms": "AWS Clean Rooms accesses the dataset at query run
time"). Under moto that bucket lives in ``moto.s3.models.s3_backends[account]["aws"]``; this
module reads it there, without a socket and without creating a backend as a side effect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["bucket_owner", "moto_objects", "moto_s3_backend", "split_location"]


def split_location(location: str) -> tuple[str, str]:
    """``s3://bucket/prefix/`` as ``(bucket, prefix)``; the prefix ends with ``/`` unless empty.

    Raises ValueError for a location that is not an ``s3://`` URL (the caller fails the query
    with ``INVALID_RESOURCE``: the table's Glue location is not one Clean Rooms reads).
    """
    if not location.startswith(("s3://", "s3a://")):
        raise ValueError(f"the table's location {location!r} is not an s3:// location")
    bucket, _, prefix = location.split("://", 1)[1].partition("/")
    if not bucket:
        raise ValueError(f"the table's location {location!r} names no bucket")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return bucket, prefix


def moto_s3_backend(account_id: str, partition: str = "aws") -> Any | None:
    """``account_id``'s S3 backend in moto, or None where it has none yet (none is created:
    BackendDict makes one on first ``[...]`` access, so ``dict.get`` is used). moto keys it by
    partition (``"aws"``) since 5.0.x releases after 5.0.0, and ``"global"`` in 5.0.0."""
    from moto.s3.models import s3_backends

    regions: dict[str, Any] | None = dict.get(s3_backends, account_id)
    if regions is None:
        return None
    found = dict.get(regions, partition)
    return found if found is not None else dict.get(regions, "global")


def bucket_owner(bucket: str, partition: str = "aws") -> str | None:
    """The account whose S3 in moto holds ``bucket``, or None when no account has it (S3 bucket
    names are global: one account at most). No backend is created to find it."""
    from moto.s3.models import s3_backends

    for account_id in list(dict.keys(s3_backends)):
        backend = moto_s3_backend(account_id, partition)
        if backend is not None and bucket in backend.buckets:
            return str(account_id)
    return None


def moto_objects(
    account_id: str, location: str, partition: str = "aws"
) -> Callable[[], list[tuple[str, bytes]]]:
    """A reader of the objects under ``location`` in ``account_id``'s S3 in moto.

    The reader returns ``(key relative to the location, bytes)`` for each object, in key order,
    latest versions only (a deleted key is gone). It raises ValueError when the bucket does not
    exist (the caller fails the query with ``INVALID_RESOURCE``, as AWS cannot read the table).
    ``location`` is checked now (:func:`split_location`).
    """
    bucket_name, prefix = split_location(location)

    def read() -> list[tuple[str, bytes]]:
        from moto.s3.models import FakeKey

        backend = moto_s3_backend(account_id, partition)
        bucket = backend.buckets.get(bucket_name) if backend is not None else None
        if bucket is None:
            raise ValueError(f"the bucket {bucket_name} of the table's location does not exist")
        found = []
        for key in sorted(bucket.keys.keys()):
            if not key.startswith(prefix):
                continue
            latest = bucket.keys.get(key)
            if isinstance(latest, FakeKey):
                found.append((key[len(prefix) :], bytes(latest.value)))
        return found

    return read
