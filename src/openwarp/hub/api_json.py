"""Large or hot API answers written straight out with orjson.

django-ninja checks every answer against its schema before writing it; for
thousands of plain rows, or an answer asked for on every lookup, that check
costs more than the work. Such operations build exactly their schema's shape
and return `written_json(...)`: the schema still documents them, and times,
dates and ids come out as in every other answer (ninja's own encoder).
"""

from __future__ import annotations

import orjson
from django.http import HttpResponse
from ninja.responses import NinjaJSONEncoder

_ENCODER = NinjaJSONEncoder()


def written_json(body: object, status: int = 200) -> HttpResponse:
    content = orjson.dumps(body, default=_ENCODER.default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    return HttpResponse(content, status=status, content_type="application/json")
