"""Order models: the wallet, scheduled SMS, an order's lazily computed state, SMS texts."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from decimal import Decimal

from smspool_tui.sim import wire
from smspool_tui.sim.catalog import Country, Pool, Service


class Wallet:
    """The account balance; the engine's lock serialises access."""

    def __init__(self, balance: Decimal) -> None:
        self.balance = balance.quantize(wire.CENT)

    def charge(self, amount: Decimal) -> None:
        self.balance -= amount

    def refund(self, amount: Decimal) -> None:
        self.balance += amount


@dataclass
class Sms:
    at: float
    code: str
    text: str


@dataclass
class Order:
    order_id: str
    country: Country
    service: Service
    pool: Pool
    cost: Decimal
    national: str
    created: float
    expires: float
    sms: list[Sms] = field(default_factory=list)  # scheduled; delivered once `at <= now`
    cancelled_at: float | None = None
    refunded_at: float | None = None
    archived: bool = False
    resends: int = 0
    activated: bool = False  # kept for resends (pool 7): no longer refundable
    activation: str = "SMS"  # SMS | VOICE | FLASH (activation_type)

    @property
    def phonenumber(self) -> str:
        return self.country.cc + self.national

    def delivered(self, now: float) -> list[Sms]:
        return [s for s in self.sms if s.at <= now]

    def state(self, now: float) -> str:
        """ "received" | "pending" | "cancelled" | "expired"."""
        if self.delivered(now):
            return "received"  # a late SMS after expiry still shows its code
        if self.cancelled_at is not None:
            return "cancelled"
        return "pending" if now < self.expires else "expired"

    def is_active(self, now: float) -> bool:
        state = self.state(now)
        return state == "pending" or (state == "received" and now < self.expires)


def make_sms(service: str, rng: random.Random) -> tuple[str, str]:
    """(bare code, full text) in the varied formats real senders use."""
    digits = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    name = service.strip()
    low = name.lower()
    if "google" in low or "youtube" in low:
        code = digits(6)
        return code, f"G-{code} is your Google verification code."
    if "whatsapp" in low:
        code = digits(6)
        return code, f"Your WhatsApp code: {code[:3]}-{code[3:]}\nDon't share this code with others"
    if "telegram" in low:
        code = digits(5)
        return code, f"Telegram code: {code}\n\nYou can also tap on this link to log in."
    style = rng.randrange(5)
    if style == 0:
        code = digits(5)
        return code, f"Your {name} code is {code}"
    if style == 1:
        code = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(6))
        return code, f"Your code is {code}. It expires in 10 minutes."
    if style == 2:
        code = digits(6)
        return code, f"Ваш код: {code}. Не сообщайте его никому ✅"
    if style == 3:
        code = digits(4)
        return code, f"[{name}] {code} is your verification code — valid for 5 min."
    code = digits(6)
    return code, f"{code} is your {name} security code. Do not share it."
