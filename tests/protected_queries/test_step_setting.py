"""The ``step_protected_queries`` setting, given every way users give settings, checked when
given: ``mock_cleanrooms(...)``, the marker, the ini option, ``CleanRoomsServer`` (``serve
--step-protected-queries``) and ``/_cleanrooms_mock/options``."""

from __future__ import annotations

import json
import urllib.request

import pytest

from cleanrooms_mock import CleanRoomsMock, mock_cleanrooms
from cleanrooms_mock.domain.options import options
from cleanrooms_mock.server import CleanRoomsServer


@pytest.mark.parametrize("value", ["yes", 1, "true"])
def test_a_value_that_is_not_true_or_false_is_refused_when_given(value: object) -> None:
    with pytest.raises((TypeError, ValueError), match="step_protected_queries"):
        mock_cleanrooms(step_protected_queries=value)  # type: ignore[arg-type]


def test_an_activation_sets_it_and_its_end_puts_it_back() -> None:
    assert options.step_protected_queries is False
    with mock_cleanrooms(step_protected_queries=True):
        assert options.step_protected_queries is True
    assert options.step_protected_queries is False


@pytest.mark.cleanrooms(step_protected_queries=True)
def test_the_marker_sets_it(cleanrooms_mock: CleanRoomsMock) -> None:
    assert cleanrooms_mock.options == {"step_protected_queries": True}
    assert options.step_protected_queries is True


def test_the_ini_option_sets_it_and_a_bad_value_stops_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ncleanrooms_step_protected_queries = true\n")
    pytester.makepyfile(
        "from cleanrooms_mock.domain.options import options\n\n"
        "def test_it(cleanrooms_mock):\n"
        "    assert options.step_protected_queries is True\n"
    )
    assert pytester.runpytest_subprocess("-p", "no:cacheprovider").ret == 0

    pytester.makeini("[pytest]\ncleanrooms_step_protected_queries = sometimes\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stderr.fnmatch_lines(
        ["*cleanrooms_step_protected_queries ini option must be true or false, not 'sometimes'*"]
    )


def test_the_server_starts_with_it_and_the_admin_api_shows_it() -> None:
    with (
        CleanRoomsServer(port=0, step_protected_queries=True) as server,
        urllib.request.urlopen(f"{server.url}/_cleanrooms_mock/options") as answer,
    ):
        shown = json.load(answer)["options"]["step_protected_queries"]

    assert shown == {"value": True, "default": False}
