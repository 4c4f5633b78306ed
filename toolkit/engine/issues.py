"""Build engine issues from the catalogue with fields worded in each language.

``catalogue.make`` fills both message templates from one set of fields; the engine's fields
(a reason, a list of levels, a percentage) read differently in Vietnamese and English, so each
field may be a ``Bilingual`` pair and the two messages are rendered separately.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from toolkit.catalogue import make
from toolkit.engine import codes as _codes  # noqa: F401  (registers the engine's codes)
from toolkit.engine.explain import Bilingual
from toolkit.model import Issue, Member, OrgUnit, Severity


def issue(
    code: str,
    *,
    unit_code: str,
    member_id: str = "",
    value: object = "",
    severity: Severity | None = None,
    extra: Mapping[str, object] | None = None,
    **named: object,
) -> Issue:
    """The ``Issue`` for ``code``; ``Bilingual`` fields go to the matching message.

    The message fields are ``named`` plus ``extra`` (for fields chosen at run time).
    """
    fields = {**(extra or {}), **named}
    vi: dict[str, Any] = {k: v.vi if isinstance(v, Bilingual) else v for k, v in fields.items()}
    found = make(
        code, value=value, unit_code=unit_code, member_id=member_id, severity=severity, **vi
    )
    if not any(isinstance(v, Bilingual) for v in fields.values()):
        return found
    en: dict[str, Any] = {k: v.en if isinstance(v, Bilingual) else v for k, v in fields.items()}
    english = make(
        code, value=value, unit_code=unit_code, member_id=member_id, severity=severity, **en
    )
    return replace(found, message_en=english.message_en)


def member_name(member: Member) -> str:
    """How issues name a member: full name and stable id."""
    return f"{member.full_name} ({member.member_id})"


def unit_name(unit: OrgUnit) -> str:
    """How issues name an org unit: its name and code."""
    return f"{unit.name} ({unit.code})" if unit.name else unit.code
