"""What a requester owes its lenders: one line per deployment, as a CSV export.

A line charges the agreed day rate (the person's own, or the package's when the
lender chose a pre-costed package) for each day on which time was logged, plus the
expenses logged. Who sees which lines is `policy.mutualaid.reimbursement_scope`:
the requester's security lead and the hub see all, a lender's security lead only
its own, and anyone else is told the request does not exist.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse

from openwarp.core.errors import NotFound
from openwarp.hub.members.policy import Viewer
from openwarp.hub.members.policy.mutualaid import (
    reimbursement_line_visible,
    reimbursement_scope,
)
from openwarp.hub.mutualaid.models import AidRequest, CostBasis, Deployment

HEADER = (
    "lender",
    "person",
    "need",
    "days",
    "hours",
    "cost_basis",
    "day_rate",
    "expenses",
    "total",
    "withdrawn",
)


@dataclass(frozen=True)
class Line:
    lender: str
    person: str
    need: str
    days: int
    hours: Decimal
    cost_basis: str
    day_rate: Decimal
    expenses: Decimal
    withdrawn: bool

    @property
    def total(self) -> Decimal:
        return self.day_rate * self.days + self.expenses


def _line(deployment: Deployment) -> Line:
    entries = list(deployment.entries.all())
    basis = (
        f"package: {deployment.package.name}"
        if deployment.cost_basis == CostBasis.PACKAGE and deployment.package
        else "day rate"
    )
    return Line(
        lender=deployment.person.organisation.name,
        person=deployment.person.title,
        need=str(deployment.offer.need),
        days=len({e.day for e in entries}),
        hours=sum((e.hours for e in entries), Decimal(0)),
        cost_basis=basis,
        day_rate=deployment.day_rate,
        expenses=sum((e.expenses for e in entries), Decimal(0)),
        withdrawn=deployment.withdrawn_at is not None,
    )


def reimbursement_lines(*, viewer: Viewer, request: AidRequest) -> list[Line]:
    """The lines this viewer may see; NotFound when it may see none at all."""
    scope = reimbursement_scope(viewer, requester_id=request.organisation_id)
    deployments = (
        Deployment.objects.filter(request=request)
        .select_related("person__organisation", "package", "offer__need")
        .prefetch_related("entries")
        .order_by("person__organisation__name", "person__title", "pk")
    )
    visible = [
        d
        for d in deployments
        if reimbursement_line_visible(
            viewer, requester_id=request.organisation_id, lender_id=d.person.organisation_id
        )
    ]
    if scope is None or (scope == "own" and not visible):
        raise NotFound("no reimbursement for you on this request")
    return [_line(d) for d in visible]


def reimbursement_csv(lines: list[Line]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in lines:
        writer.writerow(
            [
                _safe(line.lender),
                _safe(line.person),
                _safe(line.need),
                line.days,
                f"{line.hours:.2f}",
                _safe(line.cost_basis),
                f"{line.day_rate:.2f}",
                f"{line.expenses:.2f}",
                f"{line.total:.2f}",
                "yes" if line.withdrawn else "no",
            ]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    """Keep a spreadsheet from running a title typed as a formula (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
