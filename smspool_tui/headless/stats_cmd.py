"""`smspool-tui stats`: the ledger and success figures from the journal, after importing
request/history (orders bought elsewhere count too). Never imports Textual."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from smspool_tui.api.errors import ApiError
from smspool_tui.core.stats import Figures, Filters, Period, RentalFigures, Report, StatsService
from smspool_tui.headless.exits import Exit
from smspool_tui.headless.output import Out

if TYPE_CHECKING:
    from smspool_tui.core.session import Session


def figures_fields(f: Figures) -> dict[str, Any]:
    """One figure line for scripts: money as strings (by to_json), rates as floats."""
    return {
        "name": f.name,
        "orders": f.orders,
        "codes": f.codes,
        "spent": f.spent,
        "refunded": f.refunded,
        "charged": f.charged,
        "net": f.net,
        "cost_per_code": f.cost_per_code,
        "success_rate": None if f.success_rate is None else round(f.success_rate, 4),
        "median_seconds_to_code": f.median_seconds_to_code,
        "p90_seconds_to_code": f.p90_seconds_to_code,
        "timed": f.timed,
        "small_sample": f.small_sample,
    }


def rental_fields(r: RentalFigures) -> dict[str, Any]:
    """Rentals apart from orders; money as strings, spent = charged and not refunded."""
    return {
        "rentals": r.rentals,
        "extends": r.extends,
        "refunds": r.refunds,
        "purchased": r.purchased,
        "extended": r.extended,
        "charged": r.charged,
        "refunded": r.refunded,
        "spent": r.spent,
        "unpriced": r.unpriced,
        "other": r.other,
    }


def report_fields(
    report: Report, imported: int | None, imported_rentals: int | None = None
) -> dict[str, Any]:
    doc = figures_fields(report.total)
    doc.pop("name")
    doc.update(
        computed_at=report.computed_at,
        period=report.filters.period.value,
        service=report.filters.service,
        country=report.filters.country,
        imported=imported,
        imported_rentals=imported_rentals,
        by_service=[figures_fields(f) for f in report.by_service],
        by_country=[figures_fields(f) for f in report.by_country],
        by_pool=[figures_fields(f) for f in report.by_pool],
        by_day=list(report.by_day),
        by_week=list(report.by_week),
        by_month=list(report.by_month),
        health=report.health,
        time_to_code=[
            {"label": b.label, "under_seconds": b.upto, "codes": b.codes}
            for b in report.time_to_code
        ],
        rentals=rental_fields(report.rentals),
    )
    return doc


def _rate(f: Figures) -> str:
    rate = "-" if f.success_rate is None else f"{f.success_rate:.0%}"
    median = "-" if f.median_seconds_to_code is None else f"{f.median_seconds_to_code:.0f}s"
    return f"{rate:>5} {median:>6}  {f.sample}"


def _print(out: Out, report: Report) -> None:
    t = report.total
    per = "-" if t.cost_per_code is None else f"${t.cost_per_code}"
    out.line(f"orders {t.orders}  codes {t.codes}  success {_rate(t)}")
    out.line(f"spent ${t.spent}  refunded ${t.refunded}  net ${t.net}  per code {per}")
    h = report.health
    out.line(
        f"last hour: {h.cancels_hour} cancels, {h.no_code_hour} without a code; "
        f"last day: {h.cancels_day} cancels, {h.no_code_day} without a code"
    )
    r = report.rentals
    out.line(
        f"rentals {r.rentals}  extends {r.extends}  refunds {r.refunds}  "
        f"charged ${r.charged}  refunded ${r.refunded}  spent ${r.spent}"
    )
    if report.time_to_code and any(b.codes for b in report.time_to_code):
        out.line("time to code: " + "  ".join(f"{b.label} {b.codes}" for b in report.time_to_code))
    for title, rows in (
        ("service", report.by_service),
        ("country", report.by_country),
        ("pool", report.by_pool),
    ):
        out.line(f"by {title}:")
        for f in rows:
            out.line(f"  {f.name[:24]:<24} {f.orders:>5} {f.codes:>5}  ${f.spent:<9} {_rate(f)}")


async def stats(args: argparse.Namespace, session: Session, out: Out) -> Exit:
    service = StatsService(session.journal, session.clock)  # built here: not on the session
    imported: int | None = None
    imported_rentals: int | None = None
    if not args.offline:
        try:
            imported = await service.import_history(session.orders)
        except ApiError as exc:  # offline: the journal still knows every order it saw
            out.error(f"could not import request/history ({exc.message}); journal only")
        if imported is not None:
            try:
                imported_rentals = await service.import_rental_history(session.client)
            except ApiError as exc:  # the rentals the app journaled itself still count
                out.error(f"could not import rental/history ({exc.message}); journal only")
    filters = Filters(Period(args.period), args.service, args.country)
    report = await service.report(filters)
    if args.csv is not None:
        rows = await service.export_csv(args.csv, filters)
        out.say(f"wrote {rows} ledger rows to {args.csv}")
    if out.json:
        out.document(report_fields(report, imported, imported_rentals))
    else:
        _print(out, report)
    return Exit.OK
