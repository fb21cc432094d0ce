"""The two rental tables: my rentals (a KeyedTable reconciled by rental code, countdowns
repainted from the clock without any request) and the rental catalog (one row per offer)."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

from rich.text import Text
from textual.widgets import DataTable

from smspool_tui.api.models import RentalOffer
from smspool_tui.core.rental_model import Rental
from smspool_tui.core.rentals.refunds import RefundRules
from smspool_tui.ui.text import money, phone, plain
from smspool_tui.ui.widgets.keyed_table import KeyedTable


def expiry_text(rental: Rental, now: datetime) -> str:
    """'12d 03:04:05' from the server's expiry; 'ended' once past it."""
    if rental.expires_at is None or not rental.is_live:
        return "—"
    left = int((rental.expires_at - now).total_seconds())
    if left <= 0:
        return "ended"
    days, rest = divmod(left, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}d {clock}" if days else clock


def prices_text(table: dict[int, Decimal] | None) -> str:
    return ", ".join(f"{d}d {money(p)}" for d, p in sorted((table or {}).items())) or "—"


def days_text(rental: Rental, now: datetime) -> Text:
    """The rental's length; for one adopted from the server (length unknown), the days left."""
    if rental.days:
        return Text(str(rental.days))
    if rental.expires_at is None or not rental.is_live:
        return Text("—")
    left = max(0, math.ceil((rental.expires_at - now).total_seconds() / 86400))
    return Text(f"{left} left", style="dim")


def auto_text(rental: Rental) -> Text:
    if not rental.extendable:
        return Text("—", style="dim")
    return Text("on", style="bold") if rental.auto_extend else Text("off", style="dim")


_STATE_STYLE = {
    "available": "bold green",
    "activating": "yellow",
    "checking": "dim",
    "ended": "dim",
    "refunded": "dim",
}


class MyRentalsTable(KeyedTable):
    """Rows keyed by rental code; `show` reconciles in place so the cursor stays on its rental."""

    COLUMNS = (
        # What matters first, so an 80-column terminal still shows it: number, code, time left.
        ("Number", "number", 16),  # "+1 740-550-3998" (ui.text.phone)
        ("Rental code", "code", 11),
        ("Expires in", "expires", 12),
        ("Status", "status", 10),
        ("Unread", "unread", 6),
        ("Msgs", "msgs", 4),
        ("Auto", "auto", 4),  # auto-extend
        ("Country", "country", 18),
        ("Days", "days", 7),
        ("Service", "service", 12),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, zebra_stripes=True)
        self.rentals: dict[str, Rental] = {}

    def on_mount(self) -> None:
        self.set_columns(self.COLUMNS)

    @property
    def selected(self) -> Rental | None:
        key = self.cursor_key
        return None if key is None else self.rentals.get(key)

    def select_code(self, code: str) -> None:
        self.select_key(code)

    def _cells(self, r: Rental, now: datetime) -> dict[str, Text]:
        label = r.label(now)
        unread = Text(str(r.unread), style="bold reverse") if r.unread else Text("0", style="dim")
        return {
            "number": Text(phone(r.number) or "—"),
            "country": Text(plain(r.country) or "—", no_wrap=True, overflow="ellipsis"),
            "expires": Text(expiry_text(r, now)),
            "status": Text(label, style=_STATE_STYLE.get(label, "")),
            "unread": unread,
            "msgs": Text(str(r.messages)),
            "days": days_text(r, now),
            "code": Text(plain(r.code)),
            "auto": auto_text(r),
            "service": Text(plain(r.service_name) or ("any" if r.service_id is None else "—")),
        }

    def show(self, rentals: tuple[Rental, ...], now: datetime) -> None:
        self.rentals = {r.code: r for r in rentals}
        # A rental that went away takes the cursor to the top, as it always has.
        self.reconcile([(r.code, self._cells(r, now)) for r in rentals], fallback="first")

    def tick(self, now: datetime) -> None:
        """Repaint countdowns only (no network); only the rows whose text changed re-render."""
        cells: dict[tuple[str, str], Text] = {}
        for code, rental in self.rentals.items():
            label = rental.label(now)
            cells[(code, "expires")] = Text(expiry_text(rental, now))
            cells[(code, "status")] = Text(label, style=_STATE_STYLE.get(label, ""))
        self.patch(cells)


class CatalogTable(DataTable[object]):
    COLUMNS = (
        ("Country", "name", 24),
        ("Region", "region", 13),
        ("Price by days", "prices", 45),
        ("Refund", "refund", 10),
        ("Ext.", "ext", 4),
        ("Single svc", "single", 12),
    )

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.offers: dict[str, RentalOffer] = {}

    def on_mount(self) -> None:
        for label, key, width in self.COLUMNS:
            self.add_column(label, key=key, width=width)

    @property
    def selected(self) -> RentalOffer | None:
        if not self.offers or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        return self.offers.get(key or "")

    def show(self, offers: list[RentalOffer]) -> None:
        self.offers = {str(o.id): o for o in offers}
        with self.app.batch_update():
            self.clear()
            for o in offers:
                refund = RefundRules.of(o).short()
                self.add_row(
                    Text(plain(o.tag or o.name)),
                    Text(plain(o.region) or "—"),
                    Text(prices_text(o.pricing)),
                    Text(refund),
                    Text("yes" if o.extendable else "no"),
                    Text(prices_text(o.single_service) if o.single_service else "—"),
                    key=str(o.id),
                )
