"""Pre-orders: a bid for a number that is out of stock (`preorder/*`, see real-api.md)."""

from __future__ import annotations

from .base import Caller


class PreorderCalls(Caller):
    pass
