"""Tags, shared by every taggable resource: the tagging rules and the three tag operations.

A resource is tagged through its ARN, by its owner (:func:`.access.tagged_resource`): a family
with taggable resources adds its ARN's resource type there.
"""

from __future__ import annotations

from collections.abc import Mapping

from .access import tagged_resource
from .errors import ValidationError
from .store import Scope, lock

__all__ = ["TagOps", "check_tags"]

#: Tag keys with this prefix are reserved for AWS (AWS tagging rules).
_RESERVED_TAG_PREFIX = "aws:"
_MAX_TAGS = 200  # TagMap's "max" in the model: also the limit on a resource's tags in all


def check_tags(tags: Mapping[str, str], existing: Mapping[str, str] | None = None) -> None:
    """Tag keys may not start with ``aws:``; a resource holds at most 200 tags."""
    if not tags:
        return
    for key in tags:
        if key.lower().startswith(_RESERVED_TAG_PREFIX):
            raise ValidationError.for_field(
                "tags", f"Tag keys starting with '{_RESERVED_TAG_PREFIX}' are reserved.", key
            )
    total = len({**(existing or {}), **tags})
    if total > _MAX_TAGS:
        raise ValidationError.for_field(
            "tags", f"A resource can have at most {_MAX_TAGS} tags; this would make {total}."
        )


class TagOps(Scope):
    """ListTagsForResource, TagResource, UntagResource."""

    def list_tags_for_resource(self, *, resource_arn: str) -> dict[str, str]:
        """ListTagsForResource on a collaboration or membership ARN of this account."""
        return dict(tagged_resource(self, resource_arn).tags)

    def tag_resource(self, *, resource_arn: str, tags: Mapping[str, str]) -> None:
        """TagResource: add or overwrite tags."""
        with lock:
            resource = tagged_resource(self, resource_arn)
            check_tags(tags, resource.tags)
            resource.tags.update(tags)

    def untag_resource(self, *, resource_arn: str, tag_keys: list[str]) -> None:
        """UntagResource: remove tags; keys the resource does not have are ignored."""
        with lock:
            resource = tagged_resource(self, resource_arn)
            for key in tag_keys:
                resource.tags.pop(key, None)
