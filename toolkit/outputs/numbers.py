"""Vietnamese number, percent and date formatting: ``1.234``, ``12,5 %``, ``05/01/2024``.

Vietnamese writes thousands with a dot and decimals with a comma. Rounding is half-up on the
exact value (shares are ``Fraction``), so 1/8 shows as ``12,5 %`` and 1/16 as ``6,3 %``, never
the banker's rounding of ``round()``.
"""

from __future__ import annotations

import datetime as _dt
import functools
from fractions import Fraction


def format_int(n: int) -> str:
    """``1234567`` → ``1.234.567``; negative numbers keep their sign."""
    return f"{n:,}".replace(",", ".")


def format_decimal(value: Fraction | float | int, digits: int = 1) -> str:
    """A number with ``digits`` decimals, half-up: ``12.25`` → ``12,3`` (digits=1)."""
    exact = Fraction(value) if not isinstance(value, float) else Fraction(str(value))
    scale = 10**digits
    scaled = exact * scale
    # half-up away from zero on the exact value
    magnitude = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    sign = "-" if scaled < 0 and magnitude else ""
    whole, frac = divmod(magnitude, scale)
    text = format_int(whole)
    if digits:
        text += "," + str(frac).rjust(digits, "0")
    return sign + text


def format_percent(share: Fraction | float | int | None, digits: int = 1) -> str:
    """A share (0–1) as a Vietnamese percentage: ``Fraction(1, 8)`` → ``12,5%``; None → ``""``.

    No space before the sign, as Vietnamese texts write it (and as the engine's messages do).
    """
    if share is None:
        return ""
    if isinstance(share, float):
        return _float_percent(share, digits)
    return f"{format_decimal(Fraction(share) * 100, digits)}%"


@functools.lru_cache(maxsize=8192)
def _float_percent(share: float, digits: int) -> str:
    # a report shows the same few shares (6/8, 7/8...) thousands of times: format each once
    return f"{format_decimal(Fraction(str(share)) * 100, digits)}%"


def format_score(score: float | None) -> str:
    """A self-score on the 100-point scale: ``92.5`` → ``92,5``, ``90.0`` → ``90``."""
    if score is None:
        return ""
    if float(score).is_integer():
        return format_int(int(score))
    return format_decimal(score, 1)


def format_date(day: _dt.date | None) -> str:
    """``dd/mm/yyyy``, as Vietnamese documents write dates."""
    return "" if day is None else day.strftime("%d/%m/%Y")


def fraction_text(value: Fraction | None) -> str | None:
    """``Fraction(2, 8)`` → ``"1/4"``: the exact value, for machine-readable outputs."""
    return None if value is None else f"{value.numerator}/{value.denominator}"


def rounded(value: Fraction | None, places: int = 6) -> float | None:
    """A fraction as a float rounded to ``places`` decimals (None stays None)."""
    return None if value is None else round(float(value), places)
