"""Tags, shared by every taggable resource: the tagging rules and the three tag operations.

A resource is tagged through its ARN: a collaboration by its creator, a membership by its
member. A family with taggable resources adds its ARN's resource type to :meth:`TagOps._taggable`.
"""

from __future__ import annotations

from collections.abc import Mapping

from .collaborations.entities import Collaboration
from .errors import NotFound, ValidationError
from .memberships.entities import Membership
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
        return dict(self._taggable(resource_arn).tags)

    def tag_resource(self, *, resource_arn: str, tags: Mapping[str, str]) -> None:
        """TagResource: add or overwrite tags."""
        with lock:
            resource = self._taggable(resource_arn)
            check_tags(tags, resource.tags)
            resource.tags.update(tags)

    def untag_resource(self, *, resource_arn: str, tag_keys: list[str]) -> None:
        """UntagResource: remove tags; keys the resource does not have are ignored."""
        with lock:
            resource = self._taggable(resource_arn)
            for key in tag_keys:
                resource.tags.pop(key, None)

    def _taggable(self, resource_arn: str) -> Collaboration | Membership:
        parts = resource_arn.split(":", 5)
        resource = parts[5] if len(parts) == 6 else ""
        kind, _, resource_id = resource.partition("/")
        resource_type = {"collaboration": "COLLABORATION", "membership": "MEMBERSHIP"}.get(kind)
        if resource_type is None:
            raise ValidationError.for_field(
                "resourceArn",
                "Member must be the ARN of a taggable Clean Rooms resource.",
                resource_arn,
            )
        found: Collaboration | Membership | None
        if kind == "collaboration":
            collaboration = self.store.table(Collaboration).get(resource_id)
            mine = collaboration is not None and collaboration.creator_account_id == self.account_id
            found = collaboration if mine else None
        else:
            membership = self.store.table(Membership).get(resource_id)
            mine = membership is not None and membership.account_id == self.account_id
            found = membership if mine else None
        if found is None or found.arn != resource_arn:
            raise NotFound(resource_type, resource_arn)
        return found
