"""Reading a rest-json request: scalars from the URI, query string and headers; the JSON body.

:meth:`.model.Operation.parse` walks an operation's input members by location and reads each
with these; every malformed request earns the error an AWS front end answers with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from botocore.model import Shape

from .errors import SerializationError, UnsupportedMediaType
from .shapes import FieldError

__all__ = ["MAX_REQUEST_BYTES", "load_json", "parse_json", "require_json", "scalar"]

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
#: The largest request body served. AWS documents no Clean Rooms figure; 10 MiB is the payload
#: limit of AWS's API front doors (API Gateway), far above any valid Clean Rooms input.
MAX_REQUEST_BYTES = 10 * 1024 * 1024


def scalar(text: str, shape: Shape, name: str, errors: list[FieldError]) -> Any:
    """``text`` (a URI label, query value or header) as ``shape``'s type; a FieldError if not."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        # Plain ASCII digits only: Python's int() would also take "1_0", " 7" or "٣".
        if _INTEGER_TEXT.fullmatch(text):
            return int(text)
        errors.append(FieldError(name, "Member must be an integer", text))
    elif kind == "boolean":
        if text in ("true", "false"):
            return text == "true"
        errors.append(FieldError(name, "Member must be a boolean", text))
    elif kind in ("double", "float"):
        try:
            return float(text)
        except ValueError:
            errors.append(FieldError(name, "Member must be a number", text))
    return text


def require_json(headers: Mapping[str, str]) -> None:
    """Raise UnsupportedMediaType unless the (lower-cased) headers declare a JSON body."""
    declared = headers.get("content-type", "")
    if declared == "application/json":  # what every SDK sends
        return
    media_type = declared.split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType(
            f"Unsupported Content-Type '{declared}': this operation takes an application/json body."
            if declared
            else "Missing Content-Type: this operation takes an application/json body."
        )


class _NotJSON(ValueError):
    """What Python's decoder reads but JSON does not have, or what it cannot read."""


def _no_constant(name: str) -> Any:
    raise _NotJSON(f"{name} is not a JSON value (JSON has no NaN or Infinity)")


#: Python's decoder, without the NaN, Infinity and -Infinity it accepts beyond RFC 8259.
_decoder = json.JSONDecoder(parse_constant=_no_constant)


def parse_json(data: str | bytes) -> Any:
    """``data`` as JSON (RFC 8259); ValueError when it is not JSON.

    Stricter than :func:`json.loads` where that accepts what JSON has not: ``NaN``,
    ``Infinity`` and ``-Infinity`` are refused; arrays or objects nested deeper than the
    parser can follow (its RecursionError) and integers of more digits than Python converts
    (``sys.get_int_max_str_digits()``) are a ValueError saying so. Syntax errors are
    :class:`json.JSONDecodeError` (a ValueError) with their line and column; bytes in an
    encoding JSON does not allow raise UnicodeDecodeError (also a ValueError).
    """
    if isinstance(data, bytes):
        # An object whose first two bytes are "{" and not NUL is UTF-8 (no BOM starts with
        # "{", and UTF-16/32 put NULs beside it): what json.detect_encoding would say, without
        # its checks. Every request botocore sends takes this way.
        if data[:1] == b"{" and data[1:2] not in (b"\x00", b""):
            data = data.decode("utf-8", "surrogatepass")
        else:
            data = data.decode(json.detect_encoding(data), "surrogatepass")
    try:
        return _decoder.decode(data)
    except RecursionError:
        raise _NotJSON("arrays and objects are nested too deeply") from None
    except (json.JSONDecodeError, _NotJSON):
        raise
    except ValueError:  # the only other one: Python's limit on the digits of an int
        raise _NotJSON("a number has more digits than can be read") from None


def load_json(body: bytes) -> dict[str, Any]:
    """The body as a JSON object (empty: ``{}``); SerializationError when it is not one
    (:func:`parse_json`: not JSON, NaN or Infinity, nested too deeply)."""
    if not body:
        return {}
    try:
        document = parse_json(body)
    except json.JSONDecodeError:
        raise SerializationError("The request body is not valid JSON.") from None
    except ValueError as error:  # UnicodeDecodeError too
        raise SerializationError(f"The request body is not valid JSON: {error}.") from None
    if not isinstance(document, dict):
        raise SerializationError("The request body must be a JSON object.")
    return document
