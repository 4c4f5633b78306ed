"""Raw spreadsheet values to typed values, per declared column type.

python-calamine gives every number as a float, empty cells as ``''``, dates as ``date`` or
``datetime`` when the cell has a date format, and booleans as ``bool``. The functions here turn
those into the model's values. A value that cannot be used raises ``BadValue`` (an error issue);
a value that was usable but typed sloppily comes back with a warning code.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import unicodedata
from typing import Any

from toolkit.model import (
    Membership,
    NotRatedReason,
    OrgKind,
    RatingLevel,
    Remedied,
    SubjectType,
    VoteMethod,
    normalize_text,
    strip_accents,
)
from toolkit.workbooks.declarations import INVALID_CHOICE, LISTS, NOT_RATED_CHOICE, Column

#: Excel's day zero for the 1900 date system (serial 1 is 1900-01-01; 1900-02-29 never existed)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DIGITS = re.compile(r"^[+-]?\d+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LONGEST_SHOWN = 60
_TRUE = frozenset({"co", "x", "yes", "true", "1", "dung"})
_FALSE = frozenset({"khong", "no", "false", "0", "sai"})


class BadValue(Exception):
    """A value that cannot be used: ``code`` names the issue, ``params`` fill its message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = dict(params)


Parsed = tuple[Any, str | None]


def is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def tidy(text: str) -> str:
    """``normalize_text`` for a string, with a fast path for the usual, already tidy text."""
    # split and join in C: equal only without outer, doubled or non-space white space
    if " ".join(text.split()) == text and unicodedata.is_normalized("NFC", text):
        return text
    return normalize_text(text)


def shown(raw: object) -> str:
    """How a raw value is echoed in a message: numbers without a useless ``.0``, a long text
    cut short (5,000 digits typed in a count would fill the report)."""
    if isinstance(raw, str):
        text = tidy(raw)
        return text if len(text) <= _LONGEST_SHOWN else f"{text[:_LONGEST_SHOWN]}… ({len(text)})"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.strftime("%d/%m/%Y")
    return normalize_text(raw)


def as_text(raw: object) -> str:
    """Text, NFC, trimmed, inner spaces folded; a number as its digits."""
    if isinstance(raw, str):
        return tidy(raw)
    if raw is None:
        return ""
    return shown(raw)


#: white space that is only spacing: runs of it fold to one space; line breaks (CR, LF, VT,
#: FF, FS–US, NEL, U+2028, U+2029) and tabs are not in it
_SPACING = re.compile(r"[^\S\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")


def as_text_as_typed(raw: object) -> str:
    """``as_text`` that keeps line breaks and control characters: NFC, runs of spaces folded
    and trimmed, nothing else changed. For the names and addresses that ``mail`` puts into
    headers: ``as_text`` turns a line break into a space, and the header-injection check
    would never see it. Whatever shows these values escapes them (``toolkit.visible``)."""
    if not isinstance(raw, str):
        return as_text(raw)
    return _SPACING.sub(" ", unicodedata.normalize("NFC", raw)).strip(" ")


def as_int(raw: object, column: Column) -> Parsed:
    """A whole number within the column's bounds; digits typed as text pass with a warning."""
    if is_empty(raw):
        return None, None
    number, warning = _typed_number(raw, decimals=False)
    low = column.minimum if column.minimum is not None else 0
    if not math.isfinite(number):
        raise BadValue("number-out-of-range", expected=_range_text(column, 0))
    if not float(number).is_integer():
        raise BadValue("not-a-whole-number")
    if number < low or (column.maximum is not None and number > column.maximum):
        raise BadValue("number-out-of-range", expected=_range_text(column, 0))
    return int(number), warning


def as_number(raw: object, column: Column) -> Parsed:
    """A number within the column's bounds; digits typed as text pass with a warning."""
    if is_empty(raw):
        return None, None
    typed, warning = _typed_number(raw, decimals=True)
    number = float(typed)
    if (
        not math.isfinite(number)
        or (column.minimum is not None and number < column.minimum)
        or (column.maximum is not None and number > column.maximum)
    ):
        raise BadValue("number-out-of-range", expected=_range_text(column, None))
    return number, warning


def _typed_number(raw: object, *, decimals: bool) -> tuple[int | float, str | None]:
    """A cell's number as typed, with ``number-as-text`` for a number typed as text.

    Text is read as plain digits, and where the field allows decimals (``decimals``) also with
    a decimal comma, as Vietnamese writes it and the instructions show it ("3 hoặc 1,5"). A
    point is never read: "80.000" is eighty thousand in Vietnamese and eighty in English.
    """
    accepted = _ACCEPTED_DECIMAL if decimals else _ACCEPTED_WHOLE
    if isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        raise BadValue("not-a-number", accepted=accepted)
    if isinstance(raw, str):
        text = normalize_text(raw)
        if _DIGITS.match(text):
            # past 15 digits no count is meant, and int() refuses past 4,300: a float (inf at
            # worst) fails the range check instead
            return int(text) if len(text) <= 16 else float(text), "number-as-text"
        if decimals and _DECIMAL_COMMA.match(text):
            return float(text.replace(",", ".")), "number-as-text"
        raise BadValue("not-a-number", accepted=accepted)
    if isinstance(raw, int | float):
        return raw, None
    raise BadValue("not-a-number", accepted=accepted)


#: what a number field accepts, in symbols and examples both languages read
_ACCEPTED_WHOLE = "«12»"
_ACCEPTED_DECIMAL = "«3», «1,5»"


def _range_text(column: Column, default_low: float | None) -> str:
    """The allowed range, in symbols both languages read: ``0 – 12``, ``≥ 0``."""
    low = column.minimum if column.minimum is not None else default_low
    high = column.maximum
    if low is not None and high is not None:
        return f"{low:g} – {high:g}"
    if low is not None:
        return f"≥ {low:g}"
    return f"≤ {high:g}" if high is not None else ""


def as_date(raw: object) -> Parsed:
    """A date; ``dd/mm/yyyy`` typed as text passes with a warning, a bare serial number too."""
    if is_empty(raw):
        return None, None
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, float | int) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        # a date serial in a cell that lost its date format
        return _EXCEL_EPOCH + dt.timedelta(days=int(raw)), None
    if isinstance(raw, str):
        text = normalize_text(raw)
        match = _DATE_DMY.match(text)
        parts = (match.group(3), match.group(2), match.group(1)) if match else None
        iso = _DATE_ISO.match(text)
        if iso:
            parts = (iso.group(1), iso.group(2), iso.group(3))
        if parts:
            try:
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2])), "date-as-text"
            except ValueError:
                pass
    raise BadValue("not-a-date")


def as_bool(raw: object) -> Parsed:
    """Có / Không (or x, yes, true, 1...); empty is None, read as "Không" by the caller."""
    if is_empty(raw):
        return None, None
    if isinstance(raw, bool):
        return raw, None
    if isinstance(raw, float | int) and raw in (0, 1):
        return bool(raw), None
    key = _key(raw)
    if key in _TRUE:
        return True, None
    if key in _FALSE:
        return False, None
    raise BadValue("value-not-allowed", expected=", ".join(LISTS["yes_no"]))


def as_email(raw: object) -> Parsed:
    text = as_text(raw)
    if text and not _EMAIL.match(text):
        return text, "email-invalid"
    return text, None


#: (list, raw text) → parsed value, or None when not allowed: labels repeat on every row
_CHOICES: dict[tuple[str, str], Any] = {}


def as_choice(raw: object, list_name: str) -> Parsed:
    """The model value behind a drop-down label (accents, case and spaces ignored)."""
    if is_empty(raw):
        return None, None
    key = (list_name, raw if isinstance(raw, str) else repr(raw))
    if key not in _CHOICES:
        if len(_CHOICES) > 10_000:  # a hostile file must not grow the cache without end
            _CHOICES.clear()
        try:
            _CHOICES[key] = _CHOICE_PARSERS[list_name](raw)
        except ValueError:
            _CHOICES[key] = None
    value = _CHOICES[key]
    if value is None:
        raise BadValue("value-not-allowed", expected=", ".join(LISTS[list_name]))
    return value, None


def _key(raw: object) -> str:
    return re.sub(r"[^a-z0-9]", "", strip_accents(normalize_text(raw)).casefold())


def _match_enum(cls: type[enum.Enum], raw: object, extra: dict[str, Any] | None = None) -> Any:
    key = _key(raw)
    for member in cls:
        if key in (_key(member.value), _key(getattr(member, "label", ""))):
            return member
    if extra and key in extra:
        return extra[key]
    raise ValueError(f"not a {cls.__name__}: {raw!r}")


#: a paper's two choices besides the levels, as ``read_papers`` counts them
PAPER_NOT_RATED, PAPER_INVALID = "not_rated", "invalid"
PAPER_EXTRA = {
    _key(NOT_RATED_CHOICE): PAPER_NOT_RATED,
    "chuaxeploai": PAPER_NOT_RATED,
    "cxl": PAPER_NOT_RATED,
    _key(INVALID_CHOICE): PAPER_INVALID,
    "khl": PAPER_INVALID,
}

_CHOICE_PARSERS: dict[str, Any] = {
    "levels": RatingLevel.parse,
    "level_codes": RatingLevel.parse,
    "paper_choices": lambda raw: PAPER_EXTRA.get(_key(raw)) or RatingLevel.parse(raw),
    "reasons": NotRatedReason.parse,
    "membership": lambda raw: _match_enum(
        Membership, raw, {"ct": Membership.OFFICIAL, "db": Membership.PROBATIONARY}
    ),
    "vote_methods": lambda raw: _match_enum(
        VoteMethod,
        raw,
        {"giotay": VoteMethod.SHOW_OF_HANDS, "phieukin": VoteMethod.SECRET_BALLOT},
    ),
    "org_kinds": OrgKind.parse,
    "yes_no": lambda raw: as_bool(raw)[0],
    "subject_types": lambda raw: _match_enum(
        SubjectType, raw, {f"mau{t.value.lower()}": t for t in SubjectType}
    ),
    "yes_no_na": lambda raw: _match_enum(Remedied, raw, {"kad": Remedied.NOT_APPLICABLE}),
}


def parse(raw: object, column: Column) -> Parsed:
    """The typed value of ``raw`` for ``column``; raises ``BadValue``."""
    kind = column.type
    if kind in ("id", "text"):
        return as_text(raw), None
    if kind == "int":
        return as_int(raw, column)
    if kind == "number":
        return as_number(raw, column)
    if kind == "date":
        return as_date(raw)
    if kind == "bool":
        return as_bool(raw)
    if kind == "email":
        return as_email(raw)
    if kind == "choice":
        return as_choice(raw, column.list)
    return None, None  # formula and heading cells carry no input
