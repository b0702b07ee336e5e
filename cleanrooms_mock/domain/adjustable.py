"""Process-wide settings of the mock that users adjust and resets put back: the quotas
(:mod:`.quotas`) and the options (:mod:`.options`), set, checked and reset alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = ["Adjustable"]


class Adjustable:
    """Named values with defaults, each one an attribute of the instance.

    A subclass gives the names and their defaults (:meth:`defaults`), how a value is checked
    (:meth:`check_value`) and the message for an unknown name (:attr:`unknown`). Assigning an
    attribute is checked as :meth:`checked` checks (ValueError, nothing changes).
    """

    #: The ValueError message for a name that is not a setting: ``{name!r}`` and ``{known}``
    #: (the names, comma-separated, in the order of :meth:`defaults`).
    unknown: ClassVar[str]

    def defaults(self) -> Mapping[str, Any]:
        """Each setting's name and default value."""
        raise NotImplementedError

    def check_value(self, name: str, value: Any) -> None:
        """Raise ValueError, saying what is accepted, when ``value`` cannot be ``name``'s."""
        raise NotImplementedError

    def __setattr__(self, name: str, value: Any) -> None:
        self.checked({name: value})
        super().__setattr__(name, value)

    def reset(self) -> None:
        """Back to the defaults."""
        self.update(self.defaults())

    def update(self, values: Mapping[str, Any]) -> None:
        """Set the settings named in ``values`` (checked first: all or nothing)."""
        for name, value in self.checked(values).items():
            super().__setattr__(name, value)

    def checked(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` as settings; ValueError for an unknown name or a bad value."""
        defaults = self.defaults()
        for name, value in values.items():
            if name not in defaults:
                raise ValueError(self.unknown.format(name=name, known=", ".join(defaults)))
            self.check_value(name, value)
        return dict(values)

    def snapshot(self) -> dict[str, Any]:
        """Every setting's current value, in the order of :meth:`defaults`."""
        return {name: getattr(self, name) for name in self.defaults()}
