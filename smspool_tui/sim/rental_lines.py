"""The simulator's single-service lines and port resets: which services a single-service line
sells (rental/retrieve_services, the recorded `[{"ID", "name", "pool"}]` shape), each one's own
day prices (rental/service_price: no recording, answered like rental/retrieve_pricing), and
rental/reset (the recorded success text; the recorded refusal for non-extendable lines)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from smspool_tui.sim import wire
from smspool_tui.sim.wire import SimResponse, fail, respond

if TYPE_CHECKING:
    from smspool_tui.sim.catalog import Service
    from smspool_tui.sim.rental_models import RentalOffer
    from smspool_tui.sim.rentals import RentalDesk

# Services a single-service line sells, and what each adds to the line's price (whole dollars,
# as the live API prices rentals): popular ones cost more.
LINE_SERVICES: dict[str, int] = {
    "Acorns": 0,
    "Discord": 0,
    "PayPal": 2,
    "Telegram": 3,
    "Tinder": 2,
    "Uber": 0,
    "WhatsApp": 5,
}
RESET_OK = (
    "Your port has been reset succesfully, please wait up to 3 minutes for incoming messages."
)
RESET_REFUSED = "You cannot reset the port for this type of rental."


def services_of(desk: RentalDesk, offer: RentalOffer) -> list[tuple[Service, int]]:
    if offer.single_service is None:
        return []
    found = ((desk.catalog.service(name), extra) for name, extra in LINE_SERVICES.items())
    return [(s, extra) for s, extra in found if s is not None]


def service_table(
    desk: RentalDesk, offer: RentalOffer, service: Service, extend: bool = False
) -> dict[int, int] | None:
    """The days -> dollars this service costs on this line, None if the line does not sell it."""
    extra = next((x for s, x in services_of(desk, offer) if s.id == service.id), None)
    table = offer.single_service_extend if extend else offer.single_service
    if extra is None or table is None:
        return None
    return {days: price + extra for days, price in table.items()}


def service_price_of(
    desk: RentalDesk, offer: RentalOffer, service: Service, days: int, extend: bool = False
) -> Decimal | None:
    value = (service_table(desk, offer, service, extend) or {}).get(days)
    return None if value is None else Decimal(value)


def retrieve_services(desk: RentalDesk, p: dict[str, str]) -> SimResponse:
    offer = desk.offers.get(wire.parse_int(p.get("rental") or p.get("id"), -1))
    if offer is None:
        return fail("Invalid rental ID, please enter a valid rental ID from /rental/retrieve_all")
    return respond(
        [{"ID": s.id, "name": s.name, "pool": offer.pool} for s, _ in services_of(desk, offer)]
    )


def service_price(desk: RentalDesk, p: dict[str, str]) -> SimResponse:
    offer = desk.offers.get(wire.parse_int(p.get("id") or p.get("rental"), -1))
    service = desk.catalog.service(p.get("service_id") or p.get("service"))
    if offer is None or service is None:
        return fail("The service you entered is not available!")
    buy = service_table(desk, offer, service)
    if buy is None:
        return fail("The service you entered is not available!")
    ext = service_table(desk, offer, service, extend=True) if offer.extendable else {}
    as_wire = lambda d: {str(k): v for k, v in (d or {}).items()}  # noqa: E731
    return respond({"pricing": as_wire(buy), "extend": as_wire(ext)})


def reset(desk: RentalDesk, p: dict[str, str]) -> SimResponse:
    rental = desk.rentals.get(p.get("rental_code", ""))
    if rental is None or rental.refunded:
        return fail("No rental was found!", 404)
    if not rental.offer.extendable:
        return fail(RESET_REFUSED)
    rental.resets += 1
    return respond({"success": 1, "message": RESET_OK})
