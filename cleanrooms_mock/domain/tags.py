"""Tags, shared by every taggable resource: the tagging rules and the three tag operations.

A resource is tagged through its ARN, by its owner (:func:`.access.tagged_resource`): a family
with taggable resources adds its ARN's resource type there, and its candidates to
:func:`taggable_resources` (what other AWS APIs, the Resource Groups Tagging API, see).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from .access import Tagged, tagged_resource
from .associations.entities import ConfiguredTableAssociation
from .collaborations.entities import Collaboration
from .configured_tables.entities import ConfiguredTable
from .errors import CleanRoomsError, ValidationError
from .memberships.entities import Membership
from .store import Scope, lock

__all__ = ["TagOps", "TaggableResource", "check_tags", "taggable_resources"]

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
        """ListTagsForResource on a collaboration, membership or configured table ARN this
        account owns."""
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
            if resource.tags:
                self.store.untagged.add(resource.arn)
            for key in tag_keys:
                resource.tags.pop(key, None)


class TaggableResource(NamedTuple):
    """A resource as :func:`taggable_resources` yields it."""

    arn: str
    #: A copy of its tags.
    tags: dict[str, str]
    #: True if it carries tags or ever carried one: the Resource Groups Tagging API's
    #: GetResources lists "all the tagged or previously tagged resources" (API reference).
    ever_tagged: bool


def taggable_resources(scope: Scope) -> Iterator[TaggableResource]:
    """Every resource whose tags ``scope``'s account may read and change in its region.

    What other AWS APIs see of Clean Rooms (the Resource Groups Tagging API,
    :mod:`cleanrooms_mock.integration.tagging_api`): the candidates are all the account's view
    holds, and the rule is TagResource's own (:func:`.access.tagged_resource`: a collaboration
    for its creator while it exists, a membership or configured table for its owner), applied
    as each one is reached, so one deleted meanwhile is left out. A new taggable family adds its
    candidates.
    """
    store, account = scope.store, scope.account_id
    with lock:
        candidates: list[Tagged] = [entry[1] for entry in store.table(Collaboration).index(account)]
        candidates.extend(entry[1] for entry in store.table(Membership).index(account))
        candidates.extend(entry[1] for entry in store.table(ConfiguredTable).index(account))
        candidates.extend(e[1] for e in store.table(ConfiguredTableAssociation).index(account))
    for candidate in candidates:
        try:
            resource = tagged_resource(scope, candidate.arn)
        except CleanRoomsError:
            continue
        with lock:
            tags = dict(resource.tags)
        yield TaggableResource(resource.arn, tags, bool(tags) or resource.arn in store.untagged)
