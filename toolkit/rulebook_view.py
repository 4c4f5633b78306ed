"""The rulebook as text (Vietnamese or English) and as a JSON-ready dict."""

from __future__ import annotations

from typing import Any

from toolkit.rulebook import RuleSet

_CONFIDENCE = {"high": "cao", "medium": "trung bình", "low": "thấp"}


def ruleset_as_dict(ruleset: RuleSet) -> dict[str, Any]:
    """Every rule with its code, wording, clause, severity and parameters."""
    return {
        "code": ruleset.code,
        "name": ruleset.name,
        "years": [ruleset.first_year, ruleset.last_year],
        "overrides_file": ruleset.overrides_file,
        "overrides": list(ruleset.overrides),
        "rules": [
            {
                "code": r.code,
                "title": r.title,
                "title_en": r.title_en,
                "clause": r.clause,
                "confidence": r.confidence,
                "severity": r.severity.value,
                "enabled": r.enabled,
                "params": dict(r.params),
            }
            for r in ruleset.rules.values()
        ],
    }


def ruleset_as_text(ruleset: RuleSet, lang: str = "vi") -> str:
    """A readable listing: one block per rule, its parameters and its source."""
    en = lang == "en"
    lines = [f"{ruleset.code} — {ruleset.name}"]
    if ruleset.overrides_file:
        head = "Overrides from" if en else "Ghi đè từ tệp"
        lines.append(f"{head} {ruleset.overrides_file}: {'; '.join(ruleset.overrides)}")
    lines.append("")
    for r in ruleset.rules.values():
        state = "" if r.enabled else (" (off)" if en else " (tắt)")
        severity = r.severity.value if en else r.severity.label.lower()
        lines.append(f"[{r.code}] {r.title_en if en else r.title}{state}")
        confidence = r.confidence if en else _CONFIDENCE.get(r.confidence, r.confidence)
        source, level, trust = (
            ("source", "severity", "confidence") if en else ("căn cứ", "mức", "độ tin cậy")
        )
        lines.append(f"    {source}: {r.clause} · {level}: {severity} · {trust}: {confidence}")
        for key, value in r.params.items():
            lines.append(f"    {key} = {_show(value)}")
        lines.append("")
    return "\n".join(lines)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)
