"""How strict the mock is where users may choose: options that live and reset like the quotas.

``verify_glue_tables`` is on by default, so the mock answers as AWS does; turning it off is for
suites that move from a looser mock (moto's own Clean Rooms) one step at a time.
``step_protected_queries`` is off by default, so a test reads a finished query at once; turning
it on is for testing polling and cancellation code. They are process-wide
settings of the mock (like :data:`.quotas.quotas`): an activation sets them
(``mock_cleanrooms(verify_glue_tables=False)``), and its end, a reset or moto's next
``mock_aws()`` puts them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .adjustable import Adjustable

__all__ = ["DEFAULT_OPTIONS", "Options", "options"]

DEFAULT_OPTIONS: dict[str, bool] = {"verify_glue_tables": True, "step_protected_queries": False}


class Options(Adjustable):
    """The mock's options (README "Configured tables"), set and checked as
    :class:`.adjustable.Adjustable` says: true or false, else ValueError naming the options.

    ``verify_glue_tables``: CreateConfiguredTable and UpdateConfiguredTable read the Glue Data
    Catalog of the caller's account (moto's Glue) for the table a ``glue`` or ``athena``
    reference names and the columns ``allowedColumns`` lists, and refuse what is not there, as
    AWS reads the table with the caller's credentials. Off, they store the reference as given,
    as moto's own Clean Rooms does; every other rule still applies.

    ``step_protected_queries``: a protected query moves one status per read (GetProtectedQuery
    or ListProtectedQueries): SUBMITTED, STARTED, then SUCCESS or FAILED (CANCELLING, then
    CANCELLED, once cancelled). Off, the first read finds it finished.
    """

    unknown = "Unknown cleanrooms-mock option {name!r}; known options: {known}"
    verify_glue_tables: bool
    step_protected_queries: bool

    def __init__(self) -> None:
        self.reset()

    def defaults(self) -> Mapping[str, bool]:
        return DEFAULT_OPTIONS

    def check_value(self, name: str, value: Any) -> None:
        if not isinstance(value, bool):
            raise ValueError(f"Option {name!r} must be true or false, not {value!r}")


options = Options()
