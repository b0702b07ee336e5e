"""The analysis templates' section of a seed document (format: :mod:`cleanrooms_mock.seeding`).

A region's ``analysisTemplates[]`` entry is ``accountId`` (the member who created it) plus the
input members of CreateAnalysisTemplate, named as in the installed botocore model
(``membershipIdentifier``: an id of the document or of the state, ``name``, ``format``,
``source``, ``analysisParameters``, ``schema``, ...), plus ``id``, ``createTime`` and
``updateTime``. Entries are replayed once the region's memberships and associations exist, as
their creators' calls, checked as CreateAnalysisTemplate checks them but for the tables being
schemas now (the document records what was accepted then: an association may have gone since).
"""

from __future__ import annotations

import copy
from typing import Any

from ...seeding.core import Loader
from ...seeding.owned import OwnedPlan, OwnedSection
from ..resources import new_id
from .entities import AnalysisTemplate

__all__ = ["SECTION", "create", "dump", "plan", "settle"]

#: The key of a region entry that holds its analysis templates.
SECTION = "analysisTemplates"
_CREATE = "CreateAnalysisTemplate"


def _inputs(template: AnalysisTemplate) -> dict[str, Any]:
    """Its CreateAnalysisTemplate inputs, the tables its ``schema`` references as found then."""
    return {
        "membershipIdentifier": template.membership.id,
        **copy.deepcopy(template.attributes),
        "schema": {"referencedTables": list(template.referenced_tables)},
    }


_SECTION = OwnedSection(
    _CREATE, "AnalysisTemplate", None, (), "the analysis template's", AnalysisTemplate, _inputs
)
#: Check a region's ``analysisTemplates`` list (problems go to ``planner``).
plan = _SECTION.plan
#: Apply the document's timestamps (``updateTime`` defaults to ``createTime``).
settle = _SECTION.settle
#: The region's live analysis templates as document entries, in the order they were made.
dump = _SECTION.dump


def create(loader: Loader, planned: list[OwnedPlan]) -> None:
    """In document order, create each template as its creator, with an id of its own (given
    or new): a replayed template's tables are not checked to be schemas now."""
    for entry in planned:
        creator = loader.view(entry.account, entry.region)
        entry.created = loader.run(
            entry.path, creator, _CREATE, entry.params, fixed_id=entry.id or new_id()
        )
