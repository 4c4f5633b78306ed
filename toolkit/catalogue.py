"""The one catalogue of problem codes, and the factory that turns a code into an ``Issue``.

Each area declares its codes in its own ``codes`` module (``IssueType`` values passed to
``define``); ``all_types()`` imports every part so that docs and tests can iterate over the whole
catalogue. Codes are stable kebab-case: never rename one, add a new one instead.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

from toolkit.model import Issue, Location, Severity

#: modules that declare codes; each calls ``define`` at import time
PARTS: tuple[str, ...] = (
    "toolkit.codes",
    "toolkit.workbooks.codes",
    "toolkit.engine.codes",
    "toolkit.mail.codes",
    "toolkit.rollup.codes",
)

_CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_REGISTRY: dict[str, IssueType] = {}


@dataclass(frozen=True)
class IssueType:
    """A kind of problem: a stable code, its default severity, what it means, how to word it.

    ``message`` and ``message_en`` are ``str.format`` templates; ``{value}`` is always available,
    other fields come from the keyword arguments given to ``make``. Messages end with a hint on
    how to fix the problem.
    """

    code: str
    severity: Severity
    title: str
    title_en: str
    message: str
    message_en: str
    #: how the decisions workbook lists a problem of this kind as a case for the competent
    #: level to decide (QĐ 366 Điều 12); "" when it is not one
    case: str = ""


def define(*types: IssueType) -> None:
    """Register codes; a code defined twice or not in kebab-case is a programming error."""
    for t in types:
        if not _CODE.match(t.code):
            raise ValueError(f"issue code is not kebab-case: {t.code!r}")
        if t.code in _REGISTRY and _REGISTRY[t.code] != t:
            raise ValueError(f"issue code defined twice: {t.code!r}")
        _REGISTRY[t.code] = t


def _load_parts() -> None:
    for name in PARTS:
        importlib.import_module(name)


def all_types() -> tuple[IssueType, ...]:
    """Every registered issue type, sorted by code."""
    _load_parts()
    return tuple(sorted(_REGISTRY.values(), key=lambda t: t.code))


def get(code: str) -> IssueType:
    """The issue type of ``code``; ``KeyError`` if no part declares it."""
    if code not in _REGISTRY:
        _load_parts()
    return _REGISTRY[code]


def make(
    code: str,
    *,
    location: Location | None = None,
    value: object = "",
    unit_code: str = "",
    member_id: str = "",
    severity: Severity | None = None,
    **params: object,
) -> Issue:
    """Build the ``Issue`` for ``code`` with its messages rendered in both languages."""
    t = get(code)
    shown = "" if value is None else str(value)
    fields = {"value": shown, **params}
    return Issue(
        code=code,
        severity=severity or t.severity,
        message=t.message.format(**fields),
        message_en=t.message_en.format(**fields),
        location=location or Location(),
        value=shown,
        unit_code=unit_code,
        member_id=member_id,
    )
