"""Rentals: the service (catalog, purchase, refund, extend) and the poller (rental/retrieve,
status before messages), on the shared intent ledger and monitor loop."""

from smspool_tui.core.rentals.client import RentalsClient
from smspool_tui.core.rentals.service import PurchaseUnknown, RentalsService

__all__ = ["PurchaseUnknown", "RentalsClient", "RentalsService"]
