"""The project's own exception hierarchy.

Services raise these; each edge maps them to a stable API error code or a CLI
exit code, so the message a user sees is decided once, close to the rule.
"""


class OpenWarpError(Exception):
    """Base for every error openwarp raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInput(OpenWarpError):
    """The input cannot be used as given; `field` names the part at fault."""

    code = "invalid"


class Conflict(OpenWarpError):
    """The input clashes with something that already exists."""

    code = "conflict"


class NotFound(OpenWarpError):
    code = "not_found"


class PermissionDenied(OpenWarpError):
    code = "forbidden"


class AuthenticationFailed(OpenWarpError):
    code = "unauthenticated"
