"""The SMSPool endpoints, grouped by area and mixed into `SMSPoolClient`."""

from .catalog import CatalogCalls
from .preorders import PreorderCalls
from .rentals import RentalCalls
from .sms import SmsCalls

__all__ = ["CatalogCalls", "PreorderCalls", "RentalCalls", "SmsCalls"]
