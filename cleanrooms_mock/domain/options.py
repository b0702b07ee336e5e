"""How strict the mock is where users may choose: options that live and reset like the quotas.

Each option is on by default, so the mock answers as AWS does; turning one off is for suites
that move from a looser mock (moto's own Clean Rooms) one step at a time. They are process-wide
settings of the mock (like :data:`.quotas.quotas`): an activation sets them
(``mock_cleanrooms(verify_glue_tables=False)``), and its end, a reset or moto's next
``mock_aws()`` puts them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DEFAULT_OPTIONS", "Options", "options"]


@dataclass
class Options:
    """The mock's options (README "Configured tables").

    ``verify_glue_tables``: CreateConfiguredTable and UpdateConfiguredTable read the Glue Data
    Catalog of the caller's account (moto's Glue) for the table a ``glue`` or ``athena``
    reference names and the columns ``allowedColumns`` lists, and refuse what is not there, as
    AWS reads the table with the caller's credentials. Off, they store the reference as given,
    as moto's own Clean Rooms does; every other rule still applies.
    """

    verify_glue_tables: bool = True

    def reset(self) -> None:
        """Back to the defaults."""
        self.update(DEFAULT_OPTIONS)

    def update(self, values: Mapping[str, Any]) -> None:
        """Set the options named in ``values``."""
        for name, value in Options.checked(values).items():
            setattr(self, name, value)

    @staticmethod
    def checked(values: Mapping[str, Any]) -> dict[str, bool]:
        """``values`` as options; an unknown name or a value other than true/false is refused
        (ValueError, naming the known options)."""
        for name, value in values.items():
            if name not in DEFAULT_OPTIONS:
                known = ", ".join(DEFAULT_OPTIONS)
                raise ValueError(f"Unknown cleanrooms-mock option {name!r}; known options: {known}")
            if not isinstance(value, bool):
                raise ValueError(f"Option {name!r} must be true or false, not {value!r}")
        return dict(values)


DEFAULT_OPTIONS: dict[str, bool] = dict(vars(Options()))
options = Options()
