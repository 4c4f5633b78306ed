"""The rulebook as text (Vietnamese or English) and as a JSON-ready dict."""

from __future__ import annotations

from typing import Any

from toolkit.rulebook import ALWAYS_ON, Rule, RuleSet, Switch

_CONFIDENCE = {"high": "cao", "medium": "trung bình", "low": "thấp"}
_OPEN_END = 9999


def ruleset_as_dict(ruleset: RuleSet) -> dict[str, Any]:
    """Every rule with its code, wording, clause, severity, parameters and allowed choices."""
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
                "always_on": r.code in ALWAYS_ON,
                "params": dict(r.params),
                "choices": {k: list(v) for k, v in r.choices.items()},
                "clauses": dict(r.clauses),
            }
            for r in ruleset.rules.values()
        ],
        "switches": switches_as_list(ruleset),
    }


def switches_as_list(ruleset: RuleSet) -> list[dict[str, Any]]:
    """The local readings as JSON data (``rules --format json``, ``ket-qua.json``, manifest)."""
    return [
        {
            "name": s.name,
            "value": s.value,
            "default": s.default,
            "changed": s.value != s.default,
            "clause": s.clause,
        }
        for s in ruleset.switches
    ]


def switch_text(s: Switch, en: bool = False) -> str:
    """``quota.rounding = half_up (mặc định: floor)``: one switch on one line, no clause."""
    value = _switch_value(s.value)
    if s.value == s.default:
        return f"{s.name} = {value}" + (" (default)" if en else " (mặc định)")
    default = _switch_value(s.default)
    return f"{s.name} = {value}" + (f" (default: {default})" if en else f" (mặc định: {default})")


def _switch_value(value: object) -> str:
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        # the 25 % exception: "DB01 theo QĐ 15-QĐ/ĐU …"
        return "; ".join(f"{v.get('scope')} ({v.get('decision')})" for v in value) or "—"
    return _show(value)


def ruleset_as_text(ruleset: RuleSet, lang: str = "vi") -> str:
    """A readable listing: one block per rule, its parameters and its source."""
    en = lang == "en"
    lines = [f"{ruleset.code} — {ruleset.name}", _years(ruleset, en)]
    if ruleset.overrides_file:
        head = "Overrides from" if en else "Ghi đè từ tệp"
        lines.append(f"{head} {ruleset.overrides_file}: {'; '.join(ruleset.overrides)}")
    lines.append("")
    lines.append(
        "Local readings (switches; each rule below cites its source):"
        if en
        else "Cách hiểu theo địa phương (công tắc; căn cứ ghi ở từng quy tắc bên dưới):"
    )
    lines.extend(f"    {switch_text(s, en)}" for s in ruleset.switches)
    lines.append(
        "    ratio: HTXSNV ÷ HTTNV (the ceiling's) and HTXSNV ÷ (HTXSNV + HTTNV) (local summary "
        "forms) are both shown, labelled"
        if en
        else "    tỷ lệ: cả HTXSNV ÷ HTTNV (dùng cho hạn mức) và HTXSNV ÷ (HTXSNV + HTTNV) (tỷ lệ "
        "xuất sắc trong số tốt trở lên của mẫu tổng hợp, HD 03-HD/TVĐU Mẫu 15A/15B) đều được in"
    )
    lines.append("")
    for r in ruleset.rules.values():
        lines.extend(_rule_lines(r, en))
        lines.append("")
    lines.append(
        "Override parameters, 'severity' and 'enabled' with a TOML file: --rules local.toml "
        "([rules.<code>] tables, see README)."
        if en
        else "Ghi đè tham số, 'severity' và 'enabled' bằng tệp TOML: --rules dia-phuong.toml "
        "(các bảng [rules.<mã>], xem README)."
    )
    return "\n".join(lines) + "\n"


def _years(ruleset: RuleSet, en: bool) -> str:
    first, last = ruleset.first_year, ruleset.last_year
    if last >= _OPEN_END:
        return f"Rating years {first} onwards" if en else f"Năm đánh giá từ {first} trở đi"
    return f"Rating years {first}–{last}" if en else f"Năm đánh giá {first}–{last}"


def _rule_lines(r: Rule, en: bool) -> list[str]:
    if en:
        state = " (off)" if not r.enabled else " (always on)" if r.code in ALWAYS_ON else ""
        severity, confidence = r.severity.value, r.confidence
        meta = f"source: {r.clause} · severity: {severity} · confidence: {confidence}"
    else:
        state = " (tắt)" if not r.enabled else " (luôn áp dụng)" if r.code in ALWAYS_ON else ""
        severity = r.severity.label.lower()
        confidence = _CONFIDENCE.get(r.confidence, r.confidence)
        meta = f"căn cứ: {r.clause} · mức độ: {severity} · độ tin cậy: {confidence}"
    lines = [f"[{r.code}] {r.title_en if en else r.title}{state}", f"    {meta}"]
    for key, value in r.params.items():
        shown = _bands(value, en) if key == "bands" else _show(value)
        choices = r.choices.get(key)
        if choices:
            shown += f"  ({'one of' if en else 'chọn'}: {' | '.join(choices)})"
        lines.append(f"    {key} = {shown}")
        if key in r.clauses:
            lines.append(f"        {'source' if en else 'căn cứ'}: {r.clauses[key]}")
    return lines


def _bands(bands: list[dict[str, Any]], en: bool) -> str:
    def num(x: float) -> str:
        return f"{x:g}" if en else f"{x:g}".replace(".", ",")  # Vietnamese decimal comma

    parts = []
    for b in bands:
        low, high = b.get("from"), b.get("below")
        if low is not None and high is not None:
            span = (
                f"{num(low)} to under {num(high)}" if en else f"từ {num(low)} đến dưới {num(high)}"
            )
        elif low is not None:
            span = f"{num(low)} or more" if en else f"từ {num(low)}"
        elif high is not None:
            span = f"under {num(high)}" if en else f"dưới {num(high)}"
        else:
            span = "0–100"
        parts.append(f"{b['level']} {span}")
    return "; ".join(parts)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)
