"""Reading an instance: every error names the JSON path a coordinator must fix.

Shape and types are checked by the pydantic models; the rules that span fields
(unique ids, a window that ends after it starts, a conflict between two different
orgs) are checked here, so that whatever reaches a solver can be trusted.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from pydantic import ValidationError

from openwarp.core.errors import InvalidInput
from openwarp.core.mutualaid.model import Instance


def json_path(loc: Iterable[int | str]) -> str:
    """Render a location such as ``("requests", 3, "needs", 0)`` as ``requests[3].needs[0]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(instance)"


def load_instance(raw: str | bytes) -> Instance:
    """Parse and validate an instance from JSON text; raise `InvalidInput` naming the path."""
    try:
        instance = Instance.model_validate_json(raw)
    except ValidationError as exc:
        raise _first_error(exc) from None
    check_instance(instance)
    return instance


def instance_from_data(data: object) -> Instance:
    """Validate an already-decoded instance (the hub builds dicts) with the same strict rules.

    Going through JSON keeps one set of rules: strict mode treats Python and JSON
    inputs differently (a list is not a tuple, a string is not a datetime).
    """
    try:
        raw = orjson.dumps(data)
    except TypeError as exc:
        raise InvalidInput(f"not JSON-serialisable: {exc}", field="(instance)") from None
    return load_instance(raw)


def _first_error(exc: ValidationError) -> InvalidInput:
    errors = exc.errors()
    first = errors[0]
    message = first["msg"]
    if first["type"] == "json_invalid":
        return InvalidInput(message, field="(instance)")
    if first["type"] == "timezone_aware":
        message += " (add a UTC offset such as Z or +01:00)"
    more = len(errors) - 1
    if more:
        message += f" (and {more} more error{'s' if more > 1 else ''})"
    return InvalidInput(message, field=json_path(first["loc"]))


def check_instance(instance: Instance) -> None:
    """Check the rules that span fields; raise `InvalidInput` at the first broken one."""
    seen: dict[str, int] = {}
    for i, responder in enumerate(instance.responders):
        if responder.id in seen:
            raise InvalidInput(
                f"duplicate responder id {responder.id!r} (also responders[{seen[responder.id]}])",
                field=f"responders[{i}].id",
            )
        seen[responder.id] = i
        if responder.available_to < responder.available_from:
            raise InvalidInput(
                "available_to is before available_from", field=f"responders[{i}].available_to"
            )
        for w, (start, end) in enumerate(responder.windows):
            if end < start:
                raise InvalidInput(
                    "a window ends before it starts", field=f"responders[{i}].windows[{w}]"
                )
    seen = {}
    for i, request in enumerate(instance.requests):
        if request.id in seen:
            raise InvalidInput(
                f"duplicate request id {request.id!r} (also requests[{seen[request.id]}])",
                field=f"requests[{i}].id",
            )
        seen[request.id] = i
    responder_ids = {r.id for r in instance.responders}
    request_ids = {r.id for r in instance.requests}
    for i, (request_id, responder_id) in enumerate(instance.excluded):
        if request_id not in request_ids or responder_id not in responder_ids:
            raise InvalidInput(
                f"excluded pair names an unknown request or responder "
                f"({request_id!r}, {responder_id!r})",
                field=f"excluded[{i}]",
            )
    orgs = {r.id: r.org for r in instance.responders}
    for i, package in enumerate(instance.packages):
        for member in package.members:
            if orgs.get(member) != package.org:
                raise InvalidInput(
                    f"package member {member!r} is not a responder of {package.org!r}",
                    field=f"packages[{i}].members",
                )
    for i, (a, b) in enumerate(instance.conflicts):
        if a == b:
            raise InvalidInput(
                f"an org cannot be in conflict with itself ({a!r})", field=f"conflicts[{i}]"
            )
