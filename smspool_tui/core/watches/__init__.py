"""Watches: wait for stock or a price (or rental stock), check on a slow schedule, notify and,
if the user asked for it, buy once per firing under a cap stated when the watch was made.

Import the service from `core.watches.service`: this package's own import stays light, because
the journal's table module reads the model from here."""
