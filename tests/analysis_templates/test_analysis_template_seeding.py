"""Analysis templates in state documents: dumped, reloaded, refused when wrong
(``domain/analysis_templates/seed.py``)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from assoc_support import CREATOR, PUBLISHER, Collaboration
from template_support import JOINED, PARAMETERS, create

from cleanrooms_mock import CleanRoomsMock, SeedError

#: What a reloaded template shows as it was.
_KEPT = (
    "id",
    "name",
    "description",
    "source",
    "schema",
    "analysisParameters",
    "createTime",
    "updateTime",
)


def _restart(mock: CleanRoomsMock) -> None:
    """A new activation of the same mock: empty, as a new test or server would start."""
    mock.stop()
    mock.start()


def _state(mock: CleanRoomsMock, collab: Collaboration) -> tuple[dict[str, Any], dict[str, Any]]:
    template = create(
        collab,
        CREATOR,
        JOINED,
        analysisParameters=PARAMETERS,
        description="buyers",
        tags={"team": "insights"},
    )
    return mock.dump(), template


def test_a_dump_reloads_to_the_same_answers(
    cleanrooms_mock: CleanRoomsMock, with_tables: Collaboration
) -> None:
    state, template = _state(cleanrooms_mock, with_tables)
    [entry] = state["regions"]["us-east-1"]["analysisTemplates"]
    assert entry["accountId"] == CREATOR
    assert entry["membershipIdentifier"] == with_tables.memberships[CREATOR]
    assert entry["source"] == {"text": JOINED}
    assert entry["schema"] == {"referencedTables": ["customers", "orders"]}
    assert entry["tags"] == {"team": "insights"}

    _restart(cleanrooms_mock)
    cleanrooms_mock.load(state)

    reloaded = with_tables[PUBLISHER].get_collaboration_analysis_template(
        collaborationIdentifier=with_tables.id, analysisTemplateArn=template["arn"]
    )["collaborationAnalysisTemplate"]
    assert {k: reloaded[k] for k in _KEPT} == {k: template[k] for k in _KEPT}
    assert cleanrooms_mock.dump() == state


def test_a_template_whose_table_has_gone_still_reloads(
    cleanrooms_mock: CleanRoomsMock, with_tables: Collaboration
) -> None:
    state, template = _state(cleanrooms_mock, with_tables)
    region = state["regions"]["us-east-1"]
    region["configuredTableAssociations"] = [
        a for a in region["configuredTableAssociations"] if a["name"] != "orders"
    ]

    _restart(cleanrooms_mock)
    cleanrooms_mock.load(state)

    assert with_tables[CREATOR].get_analysis_template(
        membershipIdentifier=with_tables.memberships[CREATOR],
        analysisTemplateIdentifier=template["id"],
    )["analysisTemplate"]["schema"] == {"referencedTables": ["customers", "orders"]}


@pytest.mark.parametrize(
    ("change", "path", "says"),
    [
        (lambda e: e.pop("accountId"), "analysisTemplates[0].accountId", "is required"),
        (lambda e: e.update(colour="red"), "analysisTemplates[0].colour", "unknown key"),
        (lambda e: e.update(analysisRule={}), "analysisTemplates[0].analysisRule", "unknown"),
        (lambda e: e.update(format="COBOL"), "analysisTemplates[0].format", "enum value set"),
        (lambda e: e.update(analysisParameters=[]), "analysisTemplates[0]", "not declared"),
        (lambda e: e.update(createTime="yesterday"), "analysisTemplates[0].createTime", ""),
    ],
)
def test_a_wrong_entry_is_refused_and_nothing_loads(
    cleanrooms_mock: CleanRoomsMock, with_tables: Collaboration, change: Any, path: str, says: str
) -> None:
    state, _ = _state(cleanrooms_mock, with_tables)
    broken = copy.deepcopy(state)
    change(broken["regions"]["us-east-1"]["analysisTemplates"][0])
    _restart(cleanrooms_mock)

    with pytest.raises(SeedError) as caught:
        cleanrooms_mock.load(broken)

    assert any(path in p.path and says in p.message for p in caught.value.problems), [
        (p.path, p.message) for p in caught.value.problems
    ]
    assert cleanrooms_mock.dump()["regions"] == {}
