"""SMSPool HTTP API: async client, response models and errors. Never imports textual."""

from typing import TYPE_CHECKING

from .errors import (
    ApiError,
    AuthError,
    BadRequest,
    BadResponse,
    CancelTooEarly,
    InsufficientBalance,
    NotFound,
    OutOfStock,
    PreorderRefused,
    PriceNotFound,
    RateLimited,
    ServerError,
    TransportError,
)
from .models import (
    ActionResult,
    ActiveOrder,
    Country,
    HistoryOrder,
    MyRental,
    OrderStatus,
    Pool,
    PoolPrice,
    PriceQuote,
    PricingOption,
    Purchase,
    RentalExtend,
    RentalInfo,
    RentalMessage,
    RentalOffer,
    RentalPricing,
    RentalPurchase,
    RentalStatus,
    ResendCheck,
    ResendResult,
    Service,
    SmsCheck,
    Stock,
    SuccessRate,
    SuggestedCountry,
)

if TYPE_CHECKING:
    from .client import DEFAULT_BASE_URL, SMSPoolClient


def __getattr__(name: str) -> object:
    # The client pulls in httpx (~40 ms); models and errors alone must not pay for it at start-up.
    if name in ("SMSPoolClient", "DEFAULT_BASE_URL"):
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_BASE_URL",
    "ActionResult",
    "ActiveOrder",
    "ApiError",
    "AuthError",
    "BadRequest",
    "BadResponse",
    "CancelTooEarly",
    "Country",
    "HistoryOrder",
    "InsufficientBalance",
    "MyRental",
    "NotFound",
    "OrderStatus",
    "OutOfStock",
    "Pool",
    "PoolPrice",
    "PreorderRefused",
    "PriceNotFound",
    "PriceQuote",
    "PricingOption",
    "Purchase",
    "RateLimited",
    "RentalExtend",
    "RentalInfo",
    "RentalMessage",
    "RentalOffer",
    "RentalPricing",
    "RentalPurchase",
    "RentalStatus",
    "ResendCheck",
    "ResendResult",
    "SMSPoolClient",
    "ServerError",
    "Service",
    "SmsCheck",
    "Stock",
    "SuccessRate",
    "SuggestedCountry",
    "TransportError",
]
