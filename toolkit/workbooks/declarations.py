"""Workbook declarations: each kind of workbook is declared once, as data, in ``workbook_templates/``.

A declaration lists the sheets of a workbook and, per sheet, its columns (labels in Vietnamese and
English, type, allowed list, required flags, help text, rule-set variant). This module is the only
place where a column's position is computed (``Layout``): the generator writes there, the reader
reads there, and the checks point there, so they cannot drift apart.

Three layouts exist:

* ``table``: a header row (``header_row``), then one record per row; column *i* is letter *i*.
* ``form``: one field per row from ``header_row`` down: label in A, value in B, help in C.
* ``papers``: one row per ballot paper; column A is the paper number, then one column per member,
  whose ID is in ``header_row`` and name in the row below.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from toolkit.errors import ConfigError, os_reason
from toolkit.model import (
    LEVELS,
    Membership,
    NotRatedReason,
    OrgKind,
    Remedied,
    SubjectType,
    VoteMethod,
)
from toolkit.resources import workbook_templates_dir

KINDS: tuple[str, ...] = ("roster", "self_assessment", "ballot", "decisions")
TYPES = frozenset(
    {"id", "text", "int", "number", "date", "bool", "choice", "email", "formula", "heading"}
)
LAYOUTS = frozenset({"table", "form", "papers"})
#: the only conditions a column's ``required_when`` may name (see ``checks`` and ``read``)
CONDITIONS = frozenset({"rated", "scores_required", "secret_ballot"})
#: optional parts of a workbook, chosen by the rule-set (``features_for``) or carried by every
#: workbook a template version makes (``Declaration.features``): "local_ballot" is the ballot's
#: fifth choice, invalid votes per member and the meeting's conclusion (ballot version 2)
FEATURES = frozenset({"scores", "scores_required", "local_ballot", "conditions"})
#: what each template feature adds, for the warning on a file made before it
FEATURE_TITLES: dict[str, tuple[str, str]] = {
    "local_ballot": (
        "trang «Kiểm phiếu» thêm các cột «Chưa đánh giá, xếp loại», «Không hợp lệ» và «Kết luận "
        "của hội nghị»; trang «Phiếu bầu» nhận «Chưa đánh giá, xếp loại» và «Không hợp lệ»",
        "the tally sheet adds the columns «Chưa đánh giá, xếp loại» (not rated yet), «Không hợp "
        "lệ» (invalid) and «Kết luận của hội nghị» (the meeting's conclusion); the papers sheet "
        "takes «Chưa đánh giá, xếp loại» and «Không hợp lệ»",
    ),
}
#: the two choices of a ballot paper besides the four levels (HD 03-HD/TVĐU Mẫu 11, 13)
NOT_RATED_CHOICE, INVALID_CHOICE = "Chưa đánh giá, xếp loại", "Không hợp lệ"
#: the template version that introduced a feature: an older file's identity never names it
FEATURE_SINCE = {"conditions": 2}

YES, NO = "Có", "Không"
#: the sheets every workbook has besides its declared ones: first, and the hidden lists
INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"

#: the values of every drop-down list, taken from the domain model's labels
LISTS: dict[str, tuple[str, ...]] = {
    "levels": tuple(level.full_name for level in LEVELS),
    "level_codes": tuple(level.value for level in LEVELS),
    "paper_choices": (*(level.value for level in LEVELS), NOT_RATED_CHOICE, INVALID_CHOICE),
    "reasons": tuple(reason.label for reason in NotRatedReason),
    "membership": tuple(m.label for m in Membership),
    "yes_no": (YES, NO),
    "vote_methods": tuple(m.label for m in VoteMethod),
    "org_kinds": tuple(k.label for k in OrgKind),
    "subject_types": tuple(t.label for t in SubjectType),
    "yes_no_na": tuple(r.label for r in Remedied),
}

#: Vietnamese and English names of the kinds, for messages
KIND_TITLES: dict[str, tuple[str, str]] = {
    "roster": ("Danh sách tổ chức đảng và đảng viên", "roster"),
    "self_assessment": ("Tự đánh giá, xếp loại", "self-assessment"),
    "ballot": ("Biểu quyết, biên bản kiểm phiếu", "ballot and count"),
    "decisions": ("Quyết định của cấp có thẩm quyền", "the competent level's decisions"),
}


@dataclass(frozen=True)
class Column:
    """A column of a table, a field of a form, or the per-member column of the papers sheet."""

    key: str
    label: str
    label_en: str
    type: str
    list: str = ""
    required: bool = False
    #: one of CONDITIONS: required only when it holds
    required_when: str = ""
    #: written by the generator and locked; the secretary does not type it
    prefilled: bool = False
    #: a feature the column needs (``scores``); empty: always present
    when: str = ""
    help: str = ""
    width: float = 12.0
    minimum: float | None = None
    maximum: float | None = None
    #: vote columns: the ``RatingLevel`` value counted, or ``blank``
    level: str = ""
    #: ``formula`` columns: the formula, with ``{key}`` standing for the same row's cell of ``key``
    formula: str = ""
    #: the template version that added the column: a file of an older version has none
    since: int = 1

    @property
    def is_input(self) -> bool:
        """True for cells the secretary fills (unlocked in the template)."""
        return not self.prefilled and self.type not in ("formula", "heading")


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    title: str
    title_en: str
    layout: str
    #: 1-based row of the table header, of the first form field, or of the papers' ID row
    header_row: int
    columns: tuple[Column, ...]
    #: rows prepared in a blank template (roster); cell workbooks size tables from the roster
    rows: int = 0


@dataclass(frozen=True)
class Layout:
    """A sheet's columns for one variant, and where each one sits (1-based rows, A1 refs)."""

    sheet: Sheet
    columns: tuple[Column, ...]

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        return {column.key: i for i, column in enumerate(self.columns)}

    @functools.cached_property
    def required_keys(self) -> tuple[str, ...]:
        """The keys of the columns a row must fill."""
        return tuple(c.key for c in self.columns if c.required)

    def index(self, key: str) -> int:
        """0-based position of ``key`` among this variant's columns (or form fields)."""
        try:
            return self._positions[key]
        except KeyError:
            raise KeyError(f"{self.sheet.key} has no column {key!r}") from None

    def column(self, key: str) -> Column:
        return self.columns[self.index(key)]

    def has(self, key: str) -> bool:
        return key in self._positions

    @property
    def first_data_row(self) -> int:
        """The first record row of a table, or the first paper row."""
        return self.sheet.header_row + (2 if self.sheet.layout == "papers" else 1)

    def field_row(self, key: str) -> int:
        """The row of a form field."""
        return self.sheet.header_row + self.index(key)

    def ref(self, key: str, row: int | None = None) -> str:
        """``B7`` for a form field; ``E12`` for a table column at ``row``."""
        if self.sheet.layout == "form":
            return cell_ref(self.field_row(key), 1)
        if row is None:
            raise ValueError("a table cell needs a row")
        return cell_ref(row, self.index(key))


@dataclass(frozen=True)
class Declaration:
    """One kind of workbook: its version, its instructions and its sheets."""

    kind: str
    version: int
    #: the oldest template version still read
    min_version: int
    title: str
    title_en: str
    file_name: str
    instructions: tuple[str, ...]
    sheets: tuple[Sheet, ...]
    #: features every workbook made from this version carries (see ``FEATURES``); a file
    #: without one of them was made from an older version and is read without its columns
    features: tuple[str, ...] = ()

    def sheet(self, key: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.key == key:
                return sheet
        raise KeyError(f"{self.kind} has no sheet {key!r}")

    @functools.cached_property
    def _layouts(self) -> dict[tuple[str, frozenset[str], int], Layout]:
        return {}

    def layout(self, key: str, features: Iterable[str] = (), version: int | None = None) -> Layout:
        """The sheet ``key`` as generated for a rule-set with ``features``, by template
        ``version`` (the current one when None): an older file lacks the later columns."""
        wanted = frozenset(features)
        at = self.version if version is None else version
        cached = self._layouts.get((key, wanted, at))
        if cached is None:
            sheet = self.sheet(key)
            columns = tuple(
                c for c in sheet.columns if (not c.when or c.when in wanted) and c.since <= at
            )
            cached = self._layouts[(key, wanted, at)] = Layout(sheet, columns)
        return cached

    def added_since(self, version: int, features: Iterable[str] = ()) -> tuple[Column, ...]:
        """The columns the current template has for ``features`` that version ``version`` has
        not: what a file of that version is told the newer template adds.

        A version-1 file under the 100-point scale (QD366) could not name the ``conditions``
        feature, which came with version 2 to the same rule-set: it is implied.
        """
        if version < FEATURE_SINCE["conditions"] and "scores" in features:
            features = (*features, "conditions")
        return tuple(
            c
            for sheet in self.sheets
            for c in self.layout(sheet.key, features).columns
            if c.since > version
        )


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A1-style reference of a 1-based row and a 0-based column."""
    return f"{column_letter(col)}{row}"


def features_at(features: Iterable[str], version: int) -> tuple[str, ...]:
    """``features`` as a template of ``version`` records them (without later features)."""
    return tuple(f for f in features if FEATURE_SINCE.get(f, 1) <= version)


def features_for(
    uses_scores: bool, scores_required: bool = False, conditions: bool = False
) -> tuple[str, ...]:
    """What a workbook made under a rule-set carries: the score columns (QD366), whether they
    must be filled, and the columns of the 2025 conditions (shortcomings remedied, tasks not
    completed, low-confidence votes). Recorded in the identity block, so reading needs no
    rule-set."""
    features = ("scores", "scores_required") if scores_required else ("scores",)
    return (*(features if uses_scores else ()), *(("conditions",) if conditions else ()))


@functools.cache
def load_declaration(kind: str) -> Declaration:
    """The declaration of ``kind`` read from ``workbook_templates/<kind>.toml``."""
    if kind not in KINDS:
        raise ConfigError(f"Không có loại biểu mẫu «{kind}» (có: {', '.join(KINDS)}).")
    path = workbook_templates_dir() / f"{kind}.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Không đọc được khai báo biểu mẫu {path}: {os_reason(exc)}.") from None
    return parse_declaration(path.name, data)


def parse_declaration(where: str, data: dict[str, Any]) -> Declaration:
    """A declaration from its TOML data; ``ConfigError`` naming ``where`` for any unknown key."""
    _only(
        where,
        data,
        {
            "kind",
            "version",
            "min_version",
            "title",
            "title_en",
            "file_name",
            "instructions",
            "sheets",
            "features",
        },
    )
    sheets = tuple(_sheet(f"{where} [{i}]", s) for i, s in enumerate(data["sheets"]))
    return Declaration(
        kind=data["kind"],
        version=int(data["version"]),
        min_version=int(data["min_version"]),
        title=data["title"],
        title_en=data["title_en"],
        file_name=data["file_name"],
        instructions=tuple(data["instructions"]),
        sheets=sheets,
        features=tuple(data.get("features", ())),
    )


def _sheet(where: str, data: dict[str, Any]) -> Sheet:
    _only(
        where, data, {"key", "name", "title", "title_en", "layout", "header_row", "rows", "columns"}
    )
    if data["layout"] not in LAYOUTS:
        raise ConfigError(f"{where}: layout {data['layout']!r} không hợp lệ.")
    columns = tuple(_column(f"{where} {c.get('key')}", c) for c in data["columns"])
    return Sheet(
        key=data["key"],
        name=data["name"],
        title=data["title"],
        title_en=data["title_en"],
        layout=data["layout"],
        header_row=int(data["header_row"]),
        columns=columns,
        rows=int(data.get("rows", 0)),
    )


def _column(where: str, data: dict[str, Any]) -> Column:
    _only(
        where,
        data,
        {
            "key",
            "label",
            "label_en",
            "type",
            "list",
            "required",
            "required_when",
            "prefilled",
            "when",
            "help",
            "width",
            "min",
            "max",
            "level",
            "formula",
            "since",
        },
    )
    if data["type"] not in TYPES:
        raise ConfigError(f"{where}: kiểu {data['type']!r} không hợp lệ.")
    if data["type"] == "choice" and data.get("list") not in LISTS:
        raise ConfigError(f"{where}: danh sách {data.get('list')!r} không có.")
    if data.get("required_when", "") not in CONDITIONS | {""}:
        raise ConfigError(f"{where}: điều kiện {data['required_when']!r} không có.")
    if data.get("when", "") not in FEATURES | {""}:
        raise ConfigError(f"{where}: phần tùy chọn {data['when']!r} không có.")
    return Column(
        key=data["key"],
        label=data["label"],
        label_en=data["label_en"],
        type=data["type"],
        list=data.get("list", "yes_no" if data["type"] == "bool" else ""),
        required=bool(data.get("required", False)),
        required_when=data.get("required_when", ""),
        prefilled=bool(data.get("prefilled", False)),
        when=data.get("when", ""),
        help=data.get("help", ""),
        width=float(data.get("width", 12)),
        minimum=data.get("min"),
        maximum=data.get("max"),
        level=data.get("level", ""),
        formula=data.get("formula", ""),
        since=int(data.get("since", 1)),
    )


def _only(where: str, data: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise ConfigError(f"{where}: khóa {extra[0]!r} không hợp lệ trong khai báo biểu mẫu.")
