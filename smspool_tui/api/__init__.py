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

if TYPE_CHECKING:
    from .client import DEFAULT_BASE_URL, SMSPoolClient
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


_MODELS = frozenset(
    {
        "ActionResult",
        "ActiveOrder",
        "Country",
        "HistoryOrder",
        "MyRental",
        "OrderStatus",
        "Pool",
        "PoolPrice",
        "PriceQuote",
        "PricingOption",
        "Purchase",
        "RentalExtend",
        "RentalInfo",
        "RentalMessage",
        "RentalOffer",
        "RentalPricing",
        "RentalPurchase",
        "RentalStatus",
        "ResendCheck",
        "ResendResult",
        "Service",
        "SmsCheck",
        "Stock",
        "SuccessRate",
        "SuggestedCountry",
    }
)


def __getattr__(name: str) -> object:
    # The client pulls in httpx (~40 ms) and the models pydantic: the errors alone (which the
    # first frame's screens import) must not pay for either at start-up.
    if name in ("SMSPoolClient", "DEFAULT_BASE_URL"):
        from . import client

        return getattr(client, name)
    if name in _MODELS:
        from . import models

        return getattr(models, name)
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
