"""The rulebook: rule-sets as data, chosen by rating year, with a district's overrides.

A rule-set is a TOML file in ``toolkit/rulesets/`` (``QD124`` for 2023–2024, ``QD366`` from
2025). Each ``[rules.<code>]`` table holds metadata (title, clause, confidence, severity,
enabled), the rule's parameters, and optionally ``choices`` for parameters limited to a list.
An override file uses the same ``[rules.<code>]`` tables with only the keys it changes; an
unknown rule, an unknown key or a value of the wrong type is a ``ConfigError`` naming the file
and the key. Fractions are written as strings (``"1/2"``, ``"2/3"``) so that thresholds compare
exactly; an override may give them as numbers (``0.5``) too.
"""

from __future__ import annotations

import enum
import functools
import itertools
import json
import math
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from toolkit.errors import ConfigError, os_reason
from toolkit.model import RatingLevel, Severity

RULESETS_DIR = Path(__file__).resolve().parent / "rulesets"
RULESET_CODES: tuple[str, ...] = ("QD124", "QD366")

#: keys of a rule table that are not parameters; ``clauses`` cites the source of a parameter
#: that is a local reading (a switch: ``RuleSet.switches``)
META_KEYS = frozenset(
    {"title", "title_en", "clause", "confidence", "severity", "enabled", "choices", "clauses"}
)
#: the metadata a district may override besides parameters
OVERRIDABLE_META = frozenset({"severity", "enabled"})
#: rules the engine always applies: an override may change their parameters and severity only
ALWAYS_ON = frozenset(
    {
        "level-values",
        "not-rated",
        "probationary-no-vote",
        "vote-majority",
        "percent-over-rated",
        "quota",
    }
)
#: the QĐ 366 Điều 11 conditions whose data only the newer self-assessment columns carry
CONDITION_RULES = ("htxsnv-shortcomings", "khtnv-tasks-not-completed", "khtnv-low-confidence")
_FRACTION = re.compile(r"^\s*\d+\s*/\s*\d+\s*$")


class Denominator(enum.Enum):
    """What a level's votes are divided by (R12)."""

    CONVENED_OFFICIAL_ADJUSTED = "convened_official_adjusted"
    PRESENT_OFFICIAL = "present_official"
    VALID_BALLOTS = "valid_ballots"

    @property
    def label(self) -> str:
        return {
            Denominator.CONVENED_OFFICIAL_ADJUSTED: (
                "số đảng viên chính thức được triệu tập, trừ người không tính"
            ),
            Denominator.PRESENT_OFFICIAL: "số đảng viên chính thức có mặt",
            Denominator.VALID_BALLOTS: "số phiếu hợp lệ",
        }[self]


class VotePreset(enum.Enum):
    """Where a member's proposed level comes from (the 2025 texts set no threshold: N8)."""

    #: the level the tally carries under the threshold and denominator (R12–R14)
    DERIVED = "derived"
    #: the meeting's conclusion per member stands; the tally is checked against it
    MEETING_CONCLUSION = "meeting_conclusion"


class QuotaRounding(enum.Enum):
    """How ``ratio × HTTNV`` becomes a whole ceiling (N9)."""

    FLOOR = "floor"  # never above the ratio: 20 % × 8 = 1,6 → 1
    HALF_UP = "half_up"  # HD 03-HD/TVĐU: "làm tròn từ 0,5 trở lên thành 1": 1,6 → 2


class QuotaScope(enum.Enum):
    """Where the 20% ceiling is enforced (R9)."""

    GRASSROOTS = "grassroots"  # the tổ chức cơ sở đảng: đảng bộ cơ sở or chi bộ cơ sở
    CELL = "cell"


@dataclass(frozen=True)
class Rule:
    """One rule: stable code, wording, source clause, severity and parameters."""

    code: str
    title: str
    title_en: str
    clause: str
    confidence: str
    severity: Severity
    enabled: bool
    params: Mapping[str, Any]
    choices: Mapping[str, tuple[str, ...]]
    #: the source of each parameter that is a local reading (see ``RuleSet.switches``)
    clauses: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def fraction(self, key: str) -> Fraction:
        return _to_fraction(self.params[key])


@dataclass(frozen=True)
class VoteRule:
    threshold: Fraction
    denominator: Denominator
    cumulative_downward: bool
    severity: Severity
    preset: VotePreset = VotePreset.DERIVED


@dataclass(frozen=True)
class QuotaRule:
    ratio: Fraction
    scope: QuotaScope
    #: severity of an excess at a cell that is not the deciding level (advisory by default)
    cell_severity: Severity
    #: at the deciding level: "error" flags the excess, "ranking" also proposes who keeps HTXSNV
    deciding: str
    severity: Severity
    rounding: QuotaRounding = QuotaRounding.FLOOR
    #: the ratio the competent level may allow an organization with outstanding results
    exception_ratio: Fraction = Fraction(1, 4)
    #: scope code → the decision that granted it ``exception_ratio`` (QĐ 366 Điều 11.1)
    exceptions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: whether the rule-set knows the exception at all (QĐ 366, not QĐ 124)
    exception_allowed: bool = False

    def ratio_for(self, scope_code: str) -> Fraction:
        """The ceiling's ratio in one scope: 25 % where granted, else 20 %."""
        return self.exception_ratio if scope_code in self.exceptions else self.ratio

    def ceiling(self, n_httnv: int, ratio: Fraction | None = None) -> int:
        """``ratio × HTTNV`` rounded as the rulebook says: the most HTXSNV a scope may have (R8).

        Floor: 20 % × 8 = 1,6 → 1. Half up (HD 03-HD/TVĐU): 1,6 → 2, 1,5 → 2, 1,4 → 1.
        """
        exact = (self.ratio if ratio is None else ratio) * n_httnv
        if self.rounding is QuotaRounding.HALF_UP:
            return math.floor(exact + Fraction(1, 2))
        return math.floor(exact)


@dataclass(frozen=True)
class Switch:
    """A local reading: a parameter, its value and default, and the clause it comes from."""

    rule_code: str
    key: str
    value: Any
    default: Any
    clause: str

    @property
    def name(self) -> str:
        return f"{self.rule_code}.{self.key}"


@dataclass(frozen=True)
class ScoreBand:
    """A half-open band ``[lower, upper)`` of the 100-point scale; None is unbounded."""

    level: RatingLevel
    lower: float | None
    upper: float | None

    def contains(self, score: float) -> bool:
        return (self.lower is None or score >= self.lower) and (
            self.upper is None or score < self.upper
        )

    @property
    def label(self) -> str:
        if self.lower is None:
            return f"dưới {self.upper:g}"
        if self.upper is None:
            return f"từ {self.lower:g}"
        return f"từ {self.lower:g} đến dưới {self.upper:g}"


@dataclass(frozen=True)
class RuleSet:
    """The active rulebook: a rule-set file plus any district overrides."""

    code: str
    name: str
    first_year: int
    last_year: int
    rules: Mapping[str, Rule]
    #: the override file's path, or None
    overrides_file: str | None = None
    #: "rule.key = value" for every value an override file changed
    overrides: tuple[str, ...] = ()

    def rule(self, code: str) -> Rule:
        return self.rules[code]

    def enabled(self, code: str) -> bool:
        return code in self.rules and self.rules[code].enabled

    @property
    def vote(self) -> VoteRule:
        r = self.rules["vote-majority"]
        return VoteRule(
            threshold=r.fraction("threshold"),
            denominator=Denominator(r.params["denominator"]),
            cumulative_downward=bool(r.params["cumulative_downward"]),
            severity=r.severity,
            preset=VotePreset(r.params.get("preset", VotePreset.DERIVED.value)),
        )

    @property
    def quota(self) -> QuotaRule:
        r = self.rules["quota"]
        granted = r.params.get("exception_scopes", [])
        return QuotaRule(
            ratio=r.fraction("ratio"),
            scope=QuotaScope(r.params["scope"]),
            cell_severity=Severity(r.params["cell_severity"]),
            deciding=str(r.params["deciding"]),
            severity=r.severity,
            rounding=QuotaRounding(r.params.get("rounding", QuotaRounding.FLOOR.value)),
            exception_ratio=_to_fraction(r.params.get("exception_ratio", "1/4")),
            exceptions=MappingProxyType({g["scope"]: g["decision"] for g in granted}),
            exception_allowed="exception_ratio" in r.params,
        )

    @property
    def score_band_both_ways(self) -> bool:
        """True when a voted level below the self-score band is a problem too (not only above)."""
        return bool(self.rules["score-bands"].params.get("direction", "above") == "both")

    @property
    def switches(self) -> tuple[Switch, ...]:
        """The local readings (every parameter with a cited source), with their defaults."""
        base = _read_toml(RULESETS_DIR / f"{self.code}.toml")["rules"]
        return tuple(
            Switch(
                rule_code=r.code,
                key=key,
                value=r.params[key],
                default=base[r.code][key],
                clause=clause,
            )
            for r in self.rules.values()
            for key, clause in r.clauses.items()
            if key in r.params
        )

    def check_scopes(self, units: Collection[str]) -> None:
        """``ConfigError`` when the 25 % exception is granted to a scope not in ``units``."""
        for code in self.quota.exceptions:
            if code not in units:
                where = self.overrides_file or f"{self.code}.toml"
                raise ConfigError(
                    f"{where}: khóa 'rules.quota.exception_scopes' cho phạm vi «{code}» hưởng "
                    "tỷ lệ 25 %, nhưng danh sách tổ chức đảng không có mã này. Hãy sửa mã cho "
                    "đúng mã tổ chức cơ sở đảng (hoặc chi bộ) trong danh sách."
                )

    @property
    def quorum(self) -> Fraction | None:
        """The share of convened official members who must be present, or None if off."""
        return self.rules["quorum"].fraction("min_share") if self.enabled("quorum") else None

    @property
    def uses_scores(self) -> bool:
        return self.enabled("score-bands")

    @property
    def uses_conditions(self) -> bool:
        """The rule-set has the 2025 conditions (the self-assessment asks for their data)."""
        return any(self.enabled(code) for code in CONDITION_RULES)

    @property
    def scores_required(self) -> bool:
        return self.uses_scores and bool(self.rules["score-bands"].params.get("required"))

    @property
    def score_bands(self) -> tuple[ScoreBand, ...]:
        bands = self.rules["score-bands"].params["bands"]
        return tuple(
            ScoreBand(
                level=RatingLevel(b["level"]),
                lower=float(b["from"]) if "from" in b else None,
                upper=float(b["below"]) if "below" in b else None,
            )
            for b in bands
        )

    def band_for(self, score: float) -> ScoreBand | None:
        """The band a score falls in (the bands do not overlap), or None outside all."""
        return next((b for b in self.score_bands if b.contains(score)), None)

    def meeting_deadline(self, year: int) -> date | None:
        """The last day the rating meeting may be held for ``year`` (R20), or None if off.

        ``next_year = true`` moves the deadline into January of the next year (special units
        may finish before 15/01).
        """
        if not self.enabled("meeting-date"):
            return None
        p = self.rules["meeting-date"].params
        return date(year + (1 if p.get("next_year") else 0), p["last_month"], p["last_day"])


# ---------------------------------------------------------------------------------------------
# Loading


def ruleset_code_for_year(year: int) -> str:
    """``QD124`` for 2023–2024, ``QD366`` from 2025; ``ConfigError`` before 2023."""
    for code in RULESET_CODES:
        data = _read_toml(RULESETS_DIR / f"{code}.toml")
        if data["first_year"] <= year <= data["last_year"]:
            return code
    raise ConfigError(
        f"Không có bộ quy tắc cho năm {year}: xeploai áp dụng cho các năm đánh giá từ 2023 "
        "(QĐ 124-QĐ/TW) và từ 2025 (QĐ 366-QĐ/TW)."
    )


def load_ruleset(year: int, overrides: Path | str | None = None) -> RuleSet:
    """The rule-set for a rating year, with a district's override file applied if given.

    Raises ``ConfigError`` (naming the file and the key) for a missing or unreadable file, bad
    TOML, an unknown rule or key, a value of the wrong type, a value outside its choices or
    range, or a rule that cannot be switched off.
    """
    code = ruleset_code_for_year(year)
    base_path = RULESETS_DIR / f"{code}.toml"
    base = _read_toml(base_path)
    rules = {rc: _build_rule(rc, table) for rc, table in base["rules"].items()}
    for rule in rules.values():
        _check_rule(f"{base_path}: quy tắc '{rule.code}'", rule)
    if overrides is None:
        return _ruleset(base, rules)
    path = Path(overrides)
    changed: list[str] = []
    for rule_code, table in _override_tables(path, _read_toml(path)).items():
        rules[rule_code] = _apply_override(path, rule_code, rules.get(rule_code), table, changed)
    return _ruleset(base, rules, str(path), tuple(changed))


def _ruleset(
    base: Mapping[str, Any],
    rules: dict[str, Rule],
    overrides_file: str | None = None,
    overrides: tuple[str, ...] = (),
) -> RuleSet:
    return RuleSet(
        code=base["code"],
        name=base["name"],
        first_year=base["first_year"],
        last_year=base["last_year"],
        rules=MappingProxyType(rules),
        overrides_file=overrides_file,
        overrides=overrides,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"Không tìm thấy tệp quy tắc {path}.") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} là một thư mục, không phải tệp quy tắc TOML.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Tệp quy tắc {path} sai cú pháp TOML: {exc}.") from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"Tệp quy tắc {path} không phải văn bản UTF-8; hãy lưu lại tệp với mã UTF-8."
        ) from None
    except OSError as exc:
        raise ConfigError(f"Không đọc được tệp quy tắc {path}: {os_reason(exc)}.") from None


def _override_tables(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """The ``[rules.<code>]`` tables of an override file: nothing else may be in it."""
    extra = sorted(set(data) - {"rules"})
    if extra:
        raise ConfigError(
            f"{path}: khóa '{extra[0]}' không hợp lệ; tệp ghi đè chỉ gồm các bảng [rules.<mã>]."
        )
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{path}: 'rules' phải là bảng [rules.<mã quy tắc>].")
    return rules


def _build_rule(code: str, table: Mapping[str, Any]) -> Rule:
    params = {k: v for k, v in table.items() if k not in META_KEYS}
    return Rule(
        code=code,
        title=table["title"],
        title_en=table["title_en"],
        clause=table["clause"],
        confidence=table["confidence"],
        severity=Severity(table["severity"]),
        enabled=table.get("enabled", True),
        params=MappingProxyType(params),
        choices=MappingProxyType({k: tuple(v) for k, v in table.get("choices", {}).items()}),
        clauses=MappingProxyType(dict(table.get("clauses", {}))),
    )


def _apply_override(
    path: Path, rule_code: str, rule: Rule | None, table: object, changed: list[str]
) -> Rule:
    if rule is None:
        raise ConfigError(
            f"{path}: không có quy tắc mã «{rule_code}» (xem danh sách bằng «xeploai rules»)."
        )
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'rules.{rule_code}' phải là một bảng TOML.")
    params = dict(rule.params)
    severity, enabled = rule.severity, rule.enabled
    for key, value in table.items():
        where = f"{path}: khóa 'rules.{rule_code}.{key}'"
        if key == "severity":
            if value not in ("error", "warning"):
                raise ConfigError(f'{where} phải là "error" hoặc "warning", không phải {value!r}.')
            severity = Severity(value)
        elif key == "enabled":
            if not isinstance(value, bool):
                raise ConfigError(f"{where} phải là true hoặc false, không phải {value!r}.")
            if not value and rule_code in ALWAYS_ON:
                raise ConfigError(f"{where}: quy tắc '{rule_code}' là bắt buộc, không tắt được.")
            enabled = value
        elif key in params:
            params[key] = _checked_param(where, key, params[key], value, rule.choices.get(key))
        elif key in META_KEYS:
            raise ConfigError(
                f"{where} không ghi đè được; chỉ ghi đè được tham số, 'severity' và 'enabled'."
            )
        else:
            known = ", ".join(sorted([*params, *OVERRIDABLE_META]))
            raise ConfigError(f"{where} không tồn tại. Các khóa hợp lệ: {known}.")
        changed.append(f"{rule_code}.{key} = {_as_toml(value)}")
    result = replace(rule, severity=severity, enabled=enabled, params=MappingProxyType(params))
    _check_rule(f"{path}: bảng 'rules.{rule_code}'", result)
    return result


def _checked_param(
    where: str, key: str, base: object, value: object, choices: tuple[str, ...] | None
) -> Any:
    if isinstance(base, str) and _FRACTION.match(base):
        try:
            fraction = _to_fraction(value)
        except (TypeError, ValueError, ZeroDivisionError):
            fraction = Fraction(-1)
        if not 0 <= fraction <= 1:
            raise ConfigError(
                f'{where} phải là một tỷ lệ từ 0 đến 1 (ví dụ 0.5 hoặc "1/2"), không phải {value!r}.'
            )
        return f"{fraction.numerator}/{fraction.denominator}"
    if isinstance(base, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} phải là true hoặc false, không phải {value!r}.")
        return value
    if isinstance(base, int | float):
        low, high = _LIMITS.get(key, (0, None))
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or value < low
            or (high is not None and value > high)
        ):
            limit = f"từ {low} đến {high}" if high is not None else "không âm"
            raise ConfigError(f"{where} phải là một số {limit}, không phải {value!r}.")
        if isinstance(base, int) and key in _WHOLE and not isinstance(value, int):
            raise ConfigError(f"{where} phải là một số nguyên, không phải {value!r}.")
        return value
    if isinstance(base, str):
        if not isinstance(value, str):
            raise ConfigError(f"{where} phải là chuỗi ký tự, không phải {value!r}.")
        if choices and value not in choices:
            raise ConfigError(
                f"{where} phải là một trong: {', '.join(choices)}; không phải {value!r}."
            )
        return value
    if isinstance(base, list):
        if not isinstance(value, list):
            raise ConfigError(f"{where} phải là một danh sách, không phải {value!r}.")
        return value
    raise ConfigError(f"{where} không ghi đè được.")


#: bounds of numeric parameters (inclusive); the others only need to be non-negative
_LIMITS: dict[str, tuple[int, int | None]] = {
    "months": (0, 12),
    "new_member_months": (0, 24),
    "last_month": (1, 12),
    "last_day": (1, 31),
}
#: numeric parameters that must be whole numbers
_WHOLE = frozenset({"new_member_months", "last_month", "last_day"})


def _check_rule(where: str, rule: Rule) -> None:
    """Checks that span several keys of one rule: the score bands, the deadline date."""
    if rule.code == "score-bands":
        _check_bands(f"{where}, khóa 'bands'", rule.params["bands"])
    elif rule.code == "quota" and "exception_scopes" in rule.params:
        _check_exception_scopes(
            f"{where}, khóa 'exception_scopes'", rule.params["exception_scopes"]
        )
    elif rule.code == "meeting-date":
        month, day = rule.params["last_month"], rule.params["last_day"]
        try:
            date(2024, month, day)  # a leap year, so 29/2 is a real date
        except ValueError:
            raise ConfigError(
                f"{where}: ngày {day}/{month} (last_day/last_month) không có thật."
            ) from None


def _check_exception_scopes(where: str, granted: object) -> None:
    """Each grant of the 25 % exception names a scope code and the decision that granted it."""
    assert isinstance(granted, list)  # _checked_param made sure
    seen: set[str] = set()
    for g in granted:
        if (
            not isinstance(g, dict)
            or set(g) != {"scope", "decision"}
            or not all(isinstance(g[k], str) and g[k].strip() for k in ("scope", "decision"))
        ):
            raise ConfigError(
                f'{where}: mỗi mục là {{ scope = "<mã tổ chức>", decision = "<số, ngày quyết '
                f'định cho phép>" }}; có {g!r}.'
            )
        if g["scope"] in seen:
            raise ConfigError(f"{where}: phạm vi «{g['scope']}» được ghi hai lần.")
        seen.add(g["scope"])


def _check_bands(where: str, bands: object) -> None:
    """The bands must give every score exactly one level, higher scores the higher levels."""
    if not isinstance(bands, list) or not bands:
        raise ConfigError(f"{where} phải là danh sách các khung {{ level, from, below }}.")
    parsed: list[ScoreBand] = []
    for band in bands:
        if not isinstance(band, dict) or set(band) - {"level", "from", "below"}:
            raise ConfigError(f"{where}: mỗi khung chỉ gồm level, from, below; có {band!r}.")
        level = band.get("level")
        if level not in {lv.value for lv in RatingLevel}:
            raise ConfigError(f"{where}: mức {level!r} không phải HTXSNV, HTTNV, HTNV, KHTNV.")
        bounds = [band.get(k) for k in ("from", "below")]
        if any(isinstance(b, bool) or not isinstance(b, int | float | None) for b in bounds):
            raise ConfigError(f"{where}: from, below của mức {level} phải là số.")
        parsed.append(ScoreBand(RatingLevel(level), *(_opt_float(b) for b in bounds)))
    parsed.sort(key=lambda b: -1e300 if b.lower is None else b.lower)
    levels = [b.level for b in parsed]
    if len(set(levels)) != len(levels) or levels != sorted(levels):
        raise ConfigError(f"{where}: mỗi mức một khung, điểm cao hơn phải ứng với mức cao hơn.")
    bottom, top = parsed[0].lower, parsed[-1].upper
    if (bottom is not None and bottom > 0) or (top is not None and top <= 100):
        raise ConfigError(
            f"{where}: các khung phải phủ cả thang điểm 0–100 (khung thấp nhất bỏ trống "
            "'from', khung cao nhất bỏ trống 'below')."
        )
    for low, high in itertools.pairwise(parsed):
        if low.upper is None or low.upper != high.lower:
            raise ConfigError(
                f"{where}: khung {low.level.value} phải kết thúc ('below') đúng nơi khung "
                f"{high.level.value} bắt đầu ('from'), không chồng lấn, không hở."
            )


def _as_toml(value: object) -> str:
    """A value as it would be written in the override file (for ``RuleSet.overrides``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return f"[{len(value)} mục]"
    return str(value)


def _opt_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=256, typed=True)  # read for every member rated; True is not 1
def _to_fraction(value: object) -> Fraction:
    if isinstance(value, bool):
        raise TypeError("bool is not a fraction")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(str(value))
    if isinstance(value, str):
        return Fraction(value.replace(" ", ""))
    raise TypeError(f"not a fraction: {value!r}")
