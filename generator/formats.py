"""How numbers, prices, token counts and lists read on the page.

Pure functions, used by the resolver (FAQ, summary) and registered as Jinja
filters, so no template does arithmetic. tests/test_formats.py pins each one.
A catalog repeats few prices and token counts over many pages: those are cached.
"""

from __future__ import annotations

import functools
import math

_cached = functools.lru_cache(maxsize=4096, typed=True)  # typed: 5 and 5.0 may read differently


@_cached
def price(value: float | None, free: str = "$0") -> str:
    """Return a USD amount per 1M tokens as on the seed page: 0.015 -> "$0.015", 0.03 -> "$0.030", 2.5 -> "$2.50"."""
    if value is None:
        return "—"
    if value == 0:
        return free
    if value < 1:
        text = f"{value:.6f}".rstrip("0")
        decimals = len(text.split(".")[1])
        return f"${value:.{max(3, decimals)}f}"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"${value:,.{max(2, decimals)}f}"


def money(value: float) -> str:
    """Return a cost estimate in USD: "$1,234.56", "$0.0042", "$0"."""
    if value == 0:
        return "$0"
    if value < 0.01:
        return f"${value:.4f}"
    return f"${value:,.2f}"


@_cached
def tokens(n: int | None) -> str:
    """Return a token count the way model cards write it: 128000 -> "128K", 131072 -> "128K", 1048576 -> "1M"."""
    if n is None:
        return "—"
    # Round decimal figures first: 128000 is "128K" although it is also 125 * 1024.
    if n >= 1_000_000:
        if n % 1_000_000 and n % (1 << 20) == 0:
            return f"{n >> 20}M"
        return _trim(n / 1_000_000) + "M"
    if n >= 1000:
        if n % 1000 and n % 1024 == 0:
            return f"{n // 1024}K"
        k = _trim(n / 1000, 0 if n >= 10_000 else 1)
        return "1M" if k == "1000" else k + "K"  # 999,999 rounds up to the next unit
    return str(n)


def count(n: int | None) -> str:
    """Return a usage figure with one decimal and a unit: 215900000 -> "215.9M", 273400 -> "273.4K"."""
    if n is None:
        return "—"
    if n < 1000:
        return str(n)
    for unit, size in (("K", 10**3), ("M", 10**6), ("B", 10**9), ("T", 10**12)):
        text = _trim(n / size, 1)
        if float(text) < 1000:  # 999,950 is "1M", never "1000K"
            break
    return text + unit


@_cached
def number(n: int | float) -> str:
    """Return n with thousands separators: 128000 -> "128,000", 5.0 -> "5"."""
    if isinstance(n, float) and n.is_integer():
        n = int(n)  # strict float fields hold a typed `5` as 5.0
    return f"{n:,}"


def percent(share: float | None) -> str:
    """Return a share (0..1) as a percentage: 0 -> "0%", 0.00004 -> "<0.01%", 0.1234 -> "12.3%"."""
    if share is None:
        return "—"
    pct = share * 100
    if pct == 0:
        return "0%"
    if pct < 0.01:
        return "<0.01%"
    if pct < 1:
        return f"{pct:.2f}".rstrip("0").rstrip(".") + "%"
    return _trim(pct, 1) + "%"


def join_words(items, last: str = "and") -> str:
    """Return "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _trim(x: float, decimals: int = 1) -> str:
    factor = 10**decimals
    x = math.floor(x * factor + 0.5) / factor
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
