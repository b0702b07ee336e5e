"""Checks of the settings users give: each fails when given, saying how to fix it.

A mistake in an account, a region, a quota, an option, a port or a state file is reported by
the call or the command line that takes it, never later as a ``ClientError`` from the mock or as
a server that cannot save its state at shutdown. Every check returns the value it accepts and raises
``TypeError`` (wrong kind of value) or ``ValueError`` (right kind, wrong value) with a message
that starts with the setting's name, so the caller adds where it was given (a marker, an ini
option, a command-line argument).
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import uuid
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TypeVar

from .accounts import is_account_id
from .defaults import DEFAULT_ACCOUNT_ID

__all__ = [
    "as_argument",
    "check_account",
    "check_flag",
    "check_port",
    "check_quotas",
    "check_region",
    "cleanrooms_regions",
    "listen_hint",
    "port_argument",
    "state_argument",
    "state_file",
]

T = TypeVar("T")

_PORT_TEXT = re.compile(r"[+-]?[0-9]+")
_LAST_PORT = 65535
_PORTS = "1-65535, or 0 for a free port"


def check_account(value: object, setting: str = "account") -> str:
    """``value`` if it is an AWS account ID: a string of 12 ASCII digits.

    The rule is the Clean Rooms model's ``AccountId`` shape (length 12, digits). Raises TypeError
    for anything but a string (an ``int`` loses leading zeros) and ValueError otherwise.
    """
    if not isinstance(value, str):
        raise TypeError(
            f"{setting} must be a 12-digit AWS account ID as a string, like "
            f"{DEFAULT_ACCOUNT_ID!r}, not the {type(value).__name__} {value!r}"
            + (" (quote it: an int loses leading zeros)" if isinstance(value, int) else "")
        )
    if not is_account_id(value):
        raise ValueError(
            f"{setting} must be a 12-digit AWS account ID like {DEFAULT_ACCOUNT_ID!r}, "
            f"not {value!r}"
        )
    return value


def cleanrooms_regions() -> list[str]:
    """The regions where AWS Clean Rooms has an endpoint, sorted.

    They are the regions moto's ``BackendDict`` builds Clean Rooms backends for, from botocore's
    endpoint data (every partition): the list behind the mock's ``UnsupportedRegion``.
    """
    return sorted(_regions())


@cache
def _regions() -> frozenset[str]:
    """What ``region in cleanrooms_backends[account]`` (the test a request's region passes)
    accepts: the same for every account, and fixed for the process (moto caches it too)."""
    from .domain.backend import cleanrooms_backends

    return frozenset(cleanrooms_backends[DEFAULT_ACCOUNT_ID].regions)


def check_region(value: object, setting: str = "region") -> str:
    """``value`` if AWS Clean Rooms has an endpoint there (see :func:`cleanrooms_regions`).

    A region accepted here is never answered ``UnsupportedRegion``. Raises TypeError for a
    non-string, ValueError naming the regions for any other region.
    """
    if not isinstance(value, str):
        raise TypeError(f"{setting} must be a region name like 'us-east-1', not {value!r}")
    if value not in _regions():
        raise ValueError(
            f"{setting}: AWS Clean Rooms has no endpoint in region {value!r}; use one of "
            f"{', '.join(cleanrooms_regions())}"
        )
    return value


def check_quotas(value: object, setting: str = "quotas") -> dict[str, int]:
    """``value`` as quota settings: a mapping of known quota names to non-negative integers.

    Names and defaults are :class:`.domain.quotas.Quotas`' (the "Quotas in AWS Clean Rooms"
    page of the user guide). Raises TypeError for a non-mapping, ValueError for an unknown name
    or a bad value.
    """
    from .domain.quotas import quotas

    if not isinstance(value, Mapping):
        raise TypeError(
            f"{setting} must be a mapping of quota names to integers, like "
            f"{{'memberships_per_account': 2}}, not {value!r}"
        )
    try:
        return quotas.checked(value)
    except ValueError as error:
        raise ValueError(f"{setting}: {error}") from None


def check_flag(value: object, setting: str) -> bool:
    """``value`` if it is ``True`` or ``False`` (an option such as ``verify_glue_tables``).

    Raises TypeError for anything else: a string such as ``"false"`` is true in Python, and
    ``0``/``1`` hide a mistake.
    """
    if not isinstance(value, bool):
        raise TypeError(f"{setting} must be True or False, not {value!r}")
    return value


def check_port(value: object, setting: str = "port") -> int:
    """``value`` if it is a TCP port (0-65535; 0 asks the system for a free one).

    Raises TypeError for a non-integer (``True`` included), ValueError outside the range.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{setting} must be an integer: {_PORTS}, not {value!r}")
    if not 0 <= value <= _LAST_PORT:
        raise ValueError(f"{setting} must be {_PORTS}, not {value}")
    return value


def _port_number(text: str) -> int:
    if not _PORT_TEXT.fullmatch(text):
        raise ValueError(f"{text!r} is not a port number: use {_PORTS}")
    return check_port(int(text))


def as_argument(check: Callable[[str], T]) -> Callable[[str], T]:
    """``check`` as an argparse ``type``: its ValueError or TypeError becomes a usage error."""

    def parse(text: str) -> T:
        try:
            return check(text)
        except (TypeError, ValueError) as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


#: ``--port``'s argparse type: ASCII digits, then :func:`check_port`.
port_argument = as_argument(_port_number)


def state_file(path: str | os.PathLike[str]) -> Path:
    """``path`` as a state file the server can load at start and save, atomically, at stop.

    Checked: a known extension (``.json``; ``.yaml``/``.yml`` only when PyYAML is importable),
    an existing folder the process can create files in (the save writes a temporary file there
    and renames it over ``path``), and, when ``path`` exists, a readable file. Whether its
    content loads is checked by loading it at start. Raises ValueError saying how to fix it.
    """
    from .seeding.core import _YAML_SUFFIXES, _yaml

    target = Path(os.fspath(path))
    suffix = target.suffix.lower()
    if suffix != ".json" and suffix not in _YAML_SUFFIXES:
        raise ValueError(
            f"state file {str(path)!r}: unknown file type {suffix or '(none)'!r}; "
            "name it *.json (or *.yaml / *.yml with PyYAML installed)"
        )
    if suffix in _YAML_SUFFIXES and _yaml() is None:
        raise ValueError(
            f"state file {str(path)!r}: a YAML state file needs PyYAML: pip install pyyaml, "
            "or name the file *.json"
        )
    folder = target.parent
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ValueError(
            f"state file {str(path)!r}: the folder {str(folder)!r} {problem}; create the folder "
            "first or choose a file in an existing one"
        )
    if target.exists():
        if not target.is_file():  # a folder, a device, a FIFO (which open() would wait on)
            raise ValueError(
                f"state file {str(path)!r} is not a regular file; give the name of a file"
            )
        try:
            with target.open("rb"):
                pass
        except OSError as error:
            raise ValueError(
                f"state file {str(path)!r} cannot be read ({error.strerror}); fix its "
                "permissions or choose another file"
            ) from None
    _check_writable(folder, path)
    return target


#: ``--state``'s argparse type: :func:`state_file`.
state_argument = as_argument(state_file)


def _check_writable(folder: Path, path: str | os.PathLike[str]) -> None:
    """Create and remove a file in ``folder``, as the save at stop will (os.access would not
    tell the truth for root, or on a read-only file system)."""
    probe = folder / f".cleanrooms-mock-{uuid.uuid4().hex}.probe"
    try:
        descriptor = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise ValueError(
            f"state file {str(path)!r}: cannot write in its folder {str(folder)!r} "
            f"({error.strerror}); choose a folder this process can write to"
        ) from None
    os.close(descriptor)
    os.unlink(probe)


def listen_hint(error: OSError) -> str:
    """What to do when the server cannot listen, by the error binding its socket gave."""
    if error.errno == errno.EADDRINUSE:
        return (
            "another process uses this port: choose another (--port PORT), or --port 0 for a "
            "free one, and point clients at the URL the server prints (--endpoint-url, or "
            "AWS_ENDPOINT_URL_CLEANROOMS for Clean Rooms alone, or AWS_ENDPOINT_URL for every "
            "service: the server answers STS and moto's other services too)"
        )
    if error.errno == errno.EACCES:
        return "ports below 1024 need privileges: choose a port above 1023, or --port 0"
    return (
        "--host must be an address of this machine: 127.0.0.1 (this machine only, the "
        "default), 0.0.0.0 or :: (every interface)"
    )
