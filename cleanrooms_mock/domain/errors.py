"""The errors the service raises, one class per error shape of the Clean Rooms model.

They carry only domain facts (which field, which resource, which quota); turning them into an
HTTP status and a body is done once, from the model's error shapes, by the protocol. The root
class and ``ValidationException`` (with its :class:`FieldError` entries) are the protocol's (its
input validation raises them too) and are re-exported here, so the domain imports every error it
raises from this one module.
"""

from __future__ import annotations

from ..protocol.errors import CleanRoomsError, FieldError, InternalServerError, ValidationError

__all__ = [
    "AccessDenied",
    "CleanRoomsError",
    "Conflict",
    "FieldError",
    "InternalServerError",
    "NotFound",
    "QuotaExceeded",
    "Throttled",
    "ValidationError",
]


class AccessDenied(CleanRoomsError):
    """The caller may not act on the resource (also how cross-account not-found looks)."""

    code = "AccessDeniedException"

    def __init__(self, message: str, reason: str = "INSUFFICIENT_PERMISSIONS") -> None:
        super().__init__(message, reason=reason)


class NotFound(CleanRoomsError):
    """A resource the caller names does not exist (in the caller's own account)."""

    code = "ResourceNotFoundException"

    def __init__(self, resource_type: str, resource_id: str, message: str | None = None) -> None:
        label = resource_type.replace("_", " ").capitalize()
        super().__init__(
            message or f"{label} {resource_id} not found.",
            resourceId=resource_id,
            resourceType=resource_type,
        )


class Conflict(CleanRoomsError):
    """The request contradicts the resource's current state."""

    code = "ConflictException"

    def __init__(
        self,
        message: str,
        reason: str,
        resource_type: str | None = None,
        resource_id: str | None = None,
    ) -> None:
        super().__init__(message, reason=reason, resourceType=resource_type, resourceId=resource_id)


class QuotaExceeded(CleanRoomsError):
    """A service quota would be exceeded."""

    code = "ServiceQuotaExceededException"

    def __init__(self, quota_name: str, quota_value: float, message: str | None = None) -> None:
        super().__init__(
            message or f"Request would exceed the quota '{quota_name}' of {quota_value:g}.",
            quotaName=quota_name,
            quotaValue=float(quota_value),
        )


class Throttled(CleanRoomsError):
    """Request rate too high (raised by fault injection)."""

    code = "ThrottlingException"
