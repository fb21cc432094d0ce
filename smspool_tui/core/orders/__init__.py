"""SMS orders: the service (commands), the board (state, journal, events), the cancel queue, the
poller (reconcile, one cycle) and the server-row mapping. See docs/architecture.md."""

from smspool_tui.core.order_model import Order, OrderState
from smspool_tui.core.orders.service import OrdersService
from smspool_tui.core.orders.types import (
    BuyAgain,
    OrdersClient,
    PurchaseOutcomeUnknown,
)

__all__ = [
    "BuyAgain",
    "Order",
    "OrderState",
    "OrdersClient",
    "OrdersService",
    "PurchaseOutcomeUnknown",
]
