"""The SMSPool endpoints, grouped by area and mixed into `SMSPoolClient`."""

from .catalog import CatalogCalls
from .numbers import NumberCalls
from .preorders import PreorderCalls
from .rentals import RentalCalls
from .sms import SmsCalls

__all__ = ["CatalogCalls", "NumberCalls", "PreorderCalls", "RentalCalls", "SmsCalls"]
