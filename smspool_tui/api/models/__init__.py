"""Pydantic models for SMSPool answers, one module per area.

The live API and its doc disagree on types (ids int vs str, money str vs number, unix times int vs
str, dicts vs arrays), so every field goes through a lenient "before" validator (`base`). Unknown
fields are kept (`extra="allow"`) because SMSPool adds fields without notice.
"""

from .base import ApiModel, to_datetime, to_decimal, to_price_table
from .catalog import (
    Country,
    Pool,
    PoolPrice,
    PriceQuote,
    Service,
    Stock,
    SuccessRate,
    SuggestedCountry,
)
from .orders import (
    ActionResult,
    ActiveOrder,
    HistoryOrder,
    OrderStatus,
    PricingOption,
    Purchase,
    ResendCheck,
    ResendResult,
    SmsCheck,
)
from .preorders import Preorder, PreorderCheck, PreorderPlaced, PreorderPrice, PreorderStatus
from .rentals import (
    AutoExtendResult,
    MyRental,
    RentalExtend,
    RentalInfo,
    RentalMessage,
    RentalOffer,
    RentalPricing,
    RentalPurchase,
    RentalService,
    RentalStatus,
    RentalStock,
)

__all__ = [
    "ActionResult",
    "ActiveOrder",
    "ApiModel",
    "AutoExtendResult",
    "Country",
    "HistoryOrder",
    "MyRental",
    "OrderStatus",
    "Pool",
    "PoolPrice",
    "Preorder",
    "PreorderCheck",
    "PreorderPlaced",
    "PreorderPrice",
    "PreorderStatus",
    "PriceQuote",
    "PricingOption",
    "Purchase",
    "RentalExtend",
    "RentalInfo",
    "RentalMessage",
    "RentalOffer",
    "RentalPricing",
    "RentalPurchase",
    "RentalService",
    "RentalStatus",
    "RentalStock",
    "ResendCheck",
    "ResendResult",
    "Service",
    "SmsCheck",
    "Stock",
    "SuccessRate",
    "SuggestedCountry",
    "to_datetime",
    "to_decimal",
    "to_price_table",
]
