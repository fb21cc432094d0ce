"""SMS orders: the service (commands), the board (state, journal, events), the cancel queue, the
poller (reconcile, one cycle) and the server-row mapping. See docs/architecture.md.

Names load on first use: the UI imports small modules of this package (facts, the order words)
for its first frame, which must not pay for the service, the poller and the api models."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smspool_tui.core.order_model import Order, OrderState
    from smspool_tui.core.orders.service import OrdersService
    from smspool_tui.core.orders.types import BuyAgain, OrdersClient, PurchaseOutcomeUnknown

_WHERE = {
    "Order": "smspool_tui.core.order_model",
    "OrderState": "smspool_tui.core.order_model",
    "OrdersService": "smspool_tui.core.orders.service",
    "BuyAgain": "smspool_tui.core.orders.types",
    "OrdersClient": "smspool_tui.core.orders.types",
    "PurchaseOutcomeUnknown": "smspool_tui.core.orders.types",
}


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BuyAgain",
    "Order",
    "OrderState",
    "OrdersClient",
    "OrdersService",
    "PurchaseOutcomeUnknown",
]
