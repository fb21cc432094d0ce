"""Unicode bar pictures for the Stats screen: plain text, no colours of their own (the Static
showing them takes the theme's colour from its .tcss, so NO_COLOR leaves readable bars)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

EIGHTHS = " ▁▂▃▄▅▆▇█"
FULL, PART = "█", "▏▎▍▌▋▊▉"


def column_chart(values: Sequence[Decimal | float], height: int) -> list[str]:
    """Vertical bars, one column per value, `height` rows, top row first."""
    if not values or height <= 0:
        return []
    top = max(float(v) for v in values) or 1.0
    levels = [round(float(v) / top * height * 8) for v in values]
    rows = []
    for row in range(height - 1, -1, -1):
        line = ""
        for level in levels:
            filled = level - row * 8
            line += FULL if filled >= 8 else EIGHTHS[max(0, filled)]
        rows.append(line)
    return rows


def hbar(fraction: float, width: int) -> str:
    """A horizontal bar of `width` cells, filled to `fraction` (0..1) in eighths."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    whole, part = divmod(eighths, 8)
    bar = FULL * whole + (PART[part - 1] if part else "")
    return bar.ljust(width, "·")
