"""Stats: what was spent, and where codes really arrive, from the journal (and request/history).

The screen asks `core.stats.StatsService` (built here from the session's journal and clock; the
session has no stats service of its own), which runs its aggregates in a thread: the first paint
shows the frame and "computing…", the figures follow. Orders bought elsewhere are imported from
request/history in the background once per visit, and the figures recomputed if any arrived.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, Static

from smspool_tui.core.stats import Figures, Filters, Period, Report, StatsService
from smspool_tui.ui.exports import export_folder
from smspool_tui.ui.screens.base import BaseScreen, tcss
from smspool_tui.ui.text import money, plain
from smspool_tui.ui.widgets.bars import column_chart, hbar

PERIODS = (Period.WEEK, Period.MONTH, Period.ALL, Period.DAY)
TABLES = ("service", "country", "pool")
COLUMNS = (
    ("name", "Name", 14), ("orders", "Orders", 6), ("codes", "Codes", 5), ("rate", "Success", 7),
    ("median", "Median", 6), ("p90", "p90", 5), ("spent", "Spent", 8), ("per", "Per code", 8),
)  # fmt: skip


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}s"


def _rate(f: Figures) -> str:
    return "—" if f.success_rate is None else f"{f.success_rate:.0%}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _sort_value(f: Figures, column: str) -> Any:
    return {
        "name": f.name.lower(),
        "orders": f.orders,
        "codes": f.codes,
        "rate": f.success_rate or 0.0,
        "median": f.median_seconds_to_code or 0.0,
        "p90": f.p90_seconds_to_code or 0.0,
        "spent": f.spent,
        "per": f.cost_per_code or Decimal(0),
    }[column]


class StatsScreen(BaseScreen):
    TITLE = "Stats"
    AUTO_FOCUS = "#stats-table"
    CSS_PATH = tcss("stats")
    STATUS_ID = "stats-status"
    BINDINGS = [
        Binding("p", "period", "Period", id="stats.period", tooltip="Day, week, month or all"),
        Binding("v", "table", "By…", id="stats.table", tooltip="By service, country or pool"),
        Binding("k", "sort", "Sort", id="stats.sort", tooltip="Sort by the next column"),
        Binding("e", "export", "Export CSV", id="stats.export",
                tooltip="Write the ledger rows to a CSV file"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters(Period.ALL)
        self.report: Report | None = None
        self.table_kind = "service"
        self.sort_column = "orders"
        self.sort_reverse = True
        self._imported = False
        # two writers share the status line; each owns its half so the order they finish in
        # does not change what the user reads
        self._view_note = ""
        self._import_note = ""
        self._stats: tuple[object, StatsService] | None = None

    @property
    def stats(self) -> StatsService | None:
        session = self.session
        if session is None:
            return None
        if self._stats is None or self._stats[0] is not session:
            self._stats = (session, StatsService(session.journal, session.clock))
        return self._stats[1]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="stats-filters"):
            yield Select([], prompt="All services", id="stats-service", compact=True)
            yield Select([], prompt="All countries", id="stats-country", compact=True)
        yield Static("computing…", id="stats-summary")
        with Horizontal(id="stats-pictures"):
            yield Static("", id="stats-spend", classes="stats-picture")
            yield Static("", id="stats-times", classes="stats-picture")
            yield Static("", id="stats-countries", classes="stats-picture")
        table: DataTable[Text] = DataTable(id="stats-table", cursor_type="row")
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield Static("", id="stats-status")

    def on_mount(self) -> None:
        self.recompute()
        if not self._imported and self.session is not None:
            self._imported = True
            self._import()

    def on_screen_resume(self) -> None:
        if self.report is not None:
            self.recompute()  # orders may have finished while we were away

    # ---- computing (in a thread, via the service) ------------------------------------------

    def recompute(self) -> None:
        self._compute(self.filters)

    @work(name="stats-compute", group="stats-compute", exclusive=True, exit_on_error=False)
    async def _compute(self, filters: Filters) -> None:
        stats = self.stats
        if stats is None:
            self.query_one("#stats-summary", Static).update("Sign in to see your stats.")
            return
        try:
            report = await stats.report(filters)
        except Exception as exc:  # shown, never fatal
            self.say(f"Stats unavailable: {plain(str(exc))}", severity="error")
            return
        if filters == self.filters:
            self.report = report
            self.paint()

    @work(name="stats-import", group="stats-import", exit_on_error=False)
    async def _import(self) -> None:
        session, stats = self.session, self.stats
        if session is None or stats is None:
            return
        self._status(importing="importing history…")
        try:
            orders = await stats.import_history(session.orders)
        except Exception as exc:  # the journal is still here
            self._status(importing=f"SMSPool history unavailable ({plain(str(exc))})")
            return
        try:
            rentals = await stats.import_rental_history(session.client)
        except Exception:  # the orders came; the rental ledger keeps what the app journaled
            rentals = 0
        if orders or rentals:
            added = [
                *([f"+{orders} order{'' if orders == 1 else 's'}"] if orders else []),
                *([f"+{rentals} rental line{'' if rentals == 1 else 's'}"] if rentals else []),
            ]
            self._status(importing=f"{', '.join(added)} from SMSPool")
            self.recompute()
        else:
            self._status(importing="history up to date")

    def _status(self, *, view: str | None = None, importing: str | None = None) -> None:
        if view is not None:
            self._view_note = view
        if importing is not None:
            self._import_note = importing
        text = " · ".join(t for t in (self._view_note, self._import_note) if t)
        self.query_one("#stats-status", Static).update(
            Text(text, no_wrap=True, overflow="ellipsis")
        )

    # ---- painting --------------------------------------------------------------------------

    def paint(self) -> None:
        report = self.report
        if report is None:
            return
        t, h, r = report.total, report.health, report.rentals
        per = money(t.cost_per_code)
        extends = f" +{r.extends} ext" if r.extends else ""
        lines = [
            f"{self.filters.period.value}: {t.orders} orders, {t.codes} codes ({_rate(t)}, "
            f"{t.sample}), median {_seconds(t.median_seconds_to_code)}, "
            f"p90 {_seconds(t.p90_seconds_to_code)}",
            f"spent {money(t.spent, exact=True)}  refunded {money(t.refunded, exact=True)}  "
            f"per code {per}  rentals {r.rentals}{extends} ({money(r.spent, exact=True)})",
            f"last hour: {h.cancels_hour} cancels, {h.no_code_hour} no code · "
            f"last day: {h.cancels_day} cancels, {h.no_code_day} no code",
        ]
        self.query_one("#stats-summary", Static).update(Text("\n".join(lines)))
        self._paint_spend(report)
        self._paint_times(report)
        self._paint_countries(report)
        self._paint_table(report)
        self._fill_selects(report)

    def _paint_spend(self, report: Report) -> None:
        picture = self.query_one("#stats-spend", Static)
        width = max(8, (picture.size.width or 36) - 2)
        # the finest buckets that fit: days, else weeks, else months
        buckets = next(
            (b for b in (report.by_day, report.by_week) if len(b) <= width), report.by_month
        )
        if not buckets:
            picture.update("Spend over time: nothing yet")
            return
        shown = buckets[-width:]
        chart = column_chart([b.spent for b in shown], 4)
        top = max(b.spent for b in shown)
        head = f"spend, max {money(top, exact=True)}"
        foot = f"{shown[0].label} … {shown[-1].label}" if len(shown) > 1 else shown[0].label
        picture.update(Text("\n".join([head, *chart, foot])))

    def _paint_times(self, report: Report) -> None:
        """How long codes took: one bar per bucket (<30s … more), scaled to the fullest, with
        its count; the shape reads without colour."""
        picture = self.query_one("#stats-times", Static)
        buckets = report.time_to_code
        timed = sum(b.codes for b in buckets)
        if not timed:
            picture.update("Time to code: no codes yet")
            return
        most = max(b.codes for b in buckets)
        digits = len(str(most))
        bar = max(4, (picture.size.width or 24) - 2 - 4 - 2 - digits)
        lines = [f"time to code, n={timed}"]
        for b in buckets:
            lines.append(f"{b.label:<4} {hbar(b.codes / most, bar)} {b.codes:>{digits}}")
        picture.update(Text("\n".join(lines), no_wrap=True, overflow="ellipsis"))

    def _paint_countries(self, report: Report) -> None:
        picture = self.query_one("#stats-countries", Static)
        rows = [f for f in report.by_country if f.orders][:6]
        if not rows:
            picture.update("Success by country: nothing yet")
            return
        # the name and the bar share what the rate and "n=15?" leave of the width
        room = max(12, (picture.size.width or 40) - 2 - 11)
        name = min(14, max(6, room - 3))  # names first: "United St…" and "United Ki…" differ
        lines = ["success by country"]
        for f in rows:
            lines.append(
                f"{_cut(plain(f.name), name):<{name}} {hbar(f.success_rate or 0.0, room - name)} "
                f"{_rate(f):>4} {f.sample}"
            )
        picture.update(Text("\n".join(lines), no_wrap=True, overflow="ellipsis"))

    def _paint_table(self, report: Report) -> None:
        figures: tuple[Figures, ...] = getattr(report, f"by_{self.table_kind}")
        rows = sorted(
            figures, key=lambda f: _sort_value(f, self.sort_column), reverse=self.sort_reverse
        )
        table = self.query_one("#stats-table", DataTable)
        with self.app.batch_update():
            table.clear()
            for f in rows:
                table.add_row(
                    Text(plain(f.name), no_wrap=True, overflow="ellipsis"),
                    Text(f.sample, justify="right", style="dim" if f.small_sample else ""),
                    Text(str(f.codes), justify="right"),
                    Text(_rate(f), justify="right"),
                    Text(_seconds(f.median_seconds_to_code), justify="right"),
                    Text(_seconds(f.p90_seconds_to_code), justify="right"),
                    Text(money(f.spent, exact=True), justify="right"),
                    Text(money(f.cost_per_code), justify="right"),
                    key=f.name,
                )
        label = dict((k, v) for k, v, _ in COLUMNS)[self.sort_column]
        arrow = "↓" if self.sort_reverse else "↑"
        self._status(view=f"by {self.table_kind}, sort {label} {arrow} · n=3? = under 10 orders")

    def _fill_selects(self, report: Report) -> None:
        for sel_id, names, current in (
            ("#stats-service", report.services, self.filters.service),
            ("#stats-country", report.countries, self.filters.country),
        ):
            select = self.query_one(sel_id, Select)
            options = [(plain(n), n) for n in names]
            if getattr(select, "_stats_names", None) != names:
                select._stats_names = names  # type: ignore[attr-defined]
                with select.prevent(Select.Changed):
                    select.set_options(options)
                    if current in names:
                        select.value = current

    # ---- filters, table, sort, export ------------------------------------------------------

    @on(Select.Changed)
    def _filter(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        if event.select.id == "stats-service":
            self.filters = Filters(self.filters.period, value, self.filters.country)
        elif event.select.id == "stats-country":
            self.filters = Filters(self.filters.period, self.filters.service, value)
        self.recompute()

    def action_period(self) -> None:
        following = PERIODS[(PERIODS.index(self.filters.period) + 1) % len(PERIODS)]
        self.filters = Filters(following, self.filters.service, self.filters.country)
        self.query_one("#stats-summary", Static).update(f"{following.value}: computing…")
        self.recompute()

    def action_table(self) -> None:
        self.table_kind = TABLES[(TABLES.index(self.table_kind) + 1) % len(TABLES)]
        if self.report is not None:
            self._paint_table(self.report)

    def action_sort(self) -> None:
        keys = [k for k, _, _ in COLUMNS]
        self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_reverse = self.sort_column != "name"
        if self.report is not None:
            self._paint_table(self.report)

    @on(DataTable.HeaderSelected, "#stats-table")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, column != "name"
        if self.report is not None:
            self._paint_table(self.report)

    def export_path(self) -> Path:
        stamp = self.now().strftime("%Y%m%d-%H%M%S")
        folder = export_folder(self.app)  # the demo's data dir is deleted on quit
        path, n = folder / f"smspool-ledger-{stamp}.csv", 1
        while path.exists():
            n += 1
            path = folder / f"smspool-ledger-{stamp}-{n}.csv"
        return path

    @work(name="stats-export", group="stats-export", exit_on_error=False)
    async def action_export(self) -> None:
        stats = self.stats
        if stats is None:
            return
        path = self.export_path()
        try:
            count = await stats.export_csv(path, self.filters)
        except OSError as exc:
            self.app.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        self.app.notify(
            f"Exported {count:,} ledger rows to {path}", title="CSV written", markup=False
        )
