"""Read returned workbooks and the roster: safety checks first, then python-calamine for values.

Inputs are only ever read (the bytes are loaded once, hashed, and parsed from memory), never
written. Each file is reduced to model values and issues as soon as it is read; no grid is kept.
``read_workbook`` is a top-level function of plain arguments so a process pool can run it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import catalogue
from toolkit.errors import os_reason
from toolkit.gcpause import collector_paused
from toolkit.model import InputFile, Issue, Location, Roster
from toolkit.workbooks.cellbooks import (
    BallotContent,
    SelfAssessmentContent,
    build_ballot,
    build_self_assessment,
)
from toolkit.workbooks.declarations import (
    FEATURE_TITLES,
    INSTRUCTIONS_SHEET,
    KINDS,
    LISTS_SHEET,
    Declaration,
    load_declaration,
)
from toolkit.workbooks.identity import IDENTITY_SHEET, Identity, IdentityError, parse_identity
from toolkit.workbooks.package import MAX_FILE_BYTES, Package, Rejected, open_package
from toolkit.workbooks.rosterbook import EMPTY_ROSTER, build_roster
from toolkit.workbooks.sheets import SheetContext, label_key, read_form, read_papers, read_table

if TYPE_CHECKING:  # the decisions' module is loaded only where a decisions workbook is read
    from toolkit.workbooks.decisionbook import DecisionsContent

#: sheets a secretary may leave out without harm
OPTIONAL_SHEETS = frozenset({"papers"})
#: sheets never read: not given to the parser at all
_UNREAD = frozenset({INSTRUCTIONS_SHEET, LISTS_SHEET})


@dataclass(frozen=True)
class WorkbookReading:
    """One returned file as read: what it is, what it holds, and what is wrong with it."""

    path: str
    sha256: str
    identity: Identity | None
    #: the workbook's own last-saved time (UTC), used by ``--latest``
    modified: dt.datetime | None
    issues: tuple[Issue, ...]
    content: SelfAssessmentContent | BallotContent | DecisionsContent | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def kind(self) -> str:
        return self.identity.kind if self.identity else ""

    @property
    def readable(self) -> bool:
        """The file was recognised and its sheets could be read."""
        return self.content is not None

    @property
    def has_errors(self) -> bool:
        return any(i.severity.value == "error" for i in self.issues)

    def input_file(self, status: str) -> InputFile:
        ident = self.identity
        return InputFile(
            path=self.path,
            sha256=self.sha256,
            kind=ident.kind if ident else "",
            template_version=str(ident.template_version) if ident else "",
            cell_code=ident.cell_code if ident else "",
            year=ident.year if ident else None,
            status=status,
        )


class _Stop(Exception):
    """Reading cannot go on; the issues gathered so far say why."""


@dataclass
class _Opened:
    path: str
    package: Package
    book: Any  # python_calamine.CalamineWorkbook
    issues: list[Issue]
    unit_code: str = ""

    @functools.cached_property
    def name(self) -> str:
        return Path(self.path).name

    def stop(self, code: str, value: object = "", **params: Any) -> _Stop:
        self.issues.append(
            catalogue.make(
                code, location=Location(self.name), value=value, unit_code=self.unit_code, **params
            )
        )
        return _Stop(code)

    def context(self, sheet_name: str) -> SheetContext:
        from python_calamine import CalamineError

        # every sheet was scanned when the package was opened: none is too large for calamine
        scan = self.package.scan(sheet_name)
        try:
            sheet = self.book.get_sheet_by_name(sheet_name)
            grid = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or ()
        except CalamineError as exc:
            raise self.stop("corrupt-file", reason=f"{sheet_name}: {exc}") from None
        return SheetContext(self.name, sheet_name, grid, scan, self.unit_code, self.issues, merged)


def _load(
    path: Path | str, issues: list[Issue], *, hashed: bool = True
) -> tuple[bytes | None, str]:
    """The file's bytes and SHA-256 (None, '' when it cannot be read: the issue says why);
    no hash (``''``) unless ``hashed``."""
    from toolkit.workbooks.package import sha256_of

    where = Location(Path(path).name)
    try:
        # stat before opening: opening a named pipe would wait for a writer
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            # a device or a pipe (a link to /dev/zero...) would be read forever
            reason = "không phải tệp thông thường / not a regular file"
            issues.append(catalogue.make("input-not-readable", location=where, reason=reason))
            return None, ""
        if info.st_size > MAX_FILE_BYTES:
            issues.append(
                catalogue.make(
                    "file-too-large", location=where, value=info.st_size, limit=MAX_FILE_BYTES
                )
            )
            return None, ""
        with open(path, "rb") as fh:
            # its size, not the limit: a read of 64 MB allocates them (30 µs a small file)
            data = fh.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since: up to the limit, as any file
                data += fh.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as exc:
        reason = os_reason(exc, name_file=False)  # the issue names it
        issues.append(catalogue.make("input-not-readable", location=where, reason=reason))
        return None, ""
    return data, sha256_of(data) if hashed else ""


def _open(path: Path | str, data: bytes, issues: list[Issue]) -> _Opened:
    from python_calamine import CalamineError, CalamineWorkbook

    where = Location(Path(path).name)
    try:
        package = open_package(data, _UNREAD)
        # calamine reads the parts checked above, from the package made of them: never the
        # file itself, whose zip it might read otherwise (it keeps its own copy)
        book = CalamineWorkbook.from_filelike(io.BytesIO(package.reader))
        package = replace(package, reader=b"")
    except Rejected as rejected:
        issues.append(
            catalogue.make(
                rejected.code,
                location=where,
                value=rejected.value,
                **_with_defaults(rejected.params),
            )
        )
        raise _Stop(rejected.code) from None
    except (CalamineError, ValueError, OSError) as exc:
        issues.append(catalogue.make("corrupt-file", location=where, reason=str(exc)))
        raise _Stop("corrupt-file") from None
    for note in package.notes:
        issues.append(catalogue.make(note.code, location=where, value=note.value))
    return _Opened(str(path), package, book, issues)


def _with_defaults(params: dict[str, Any]) -> dict[str, Any]:
    return {
        "reason": "",
        "limit": "",
        "sheet": "",
        "rows": "",
        "cols": "",
        **params,
    }


def _identity(opened: _Opened) -> Identity | None:
    if IDENTITY_SHEET not in opened.book.sheet_names:
        return None
    ctx = opened.context(IDENTITY_SHEET)
    try:
        return parse_identity(ctx.grid)
    except IdentityError as exc:
        raise opened.stop("identity-invalid", reason=exc.reason) from None


def _check_version(opened: _Opened, identity: Identity, declaration: Declaration) -> None:
    version = identity.template_version
    if version < 0 or version > declaration.version:
        shown = version if version >= 0 else "?"
        raise opened.stop("template-version-unknown", shown, expected=declaration.version)
    if version < declaration.min_version:
        raise opened.stop("template-outdated", version, expected=declaration.version)


def _older_template(opened: _Opened, identity: Identity, declaration: Declaration) -> None:
    """One warning for a file made before its template gained columns: it is read as it was
    made (those columns are optional), and the warning says what the newer template adds:
    the columns a later version brought for the same rule-set (``Column.since``), and the
    parts every workbook of the current version carries (``Declaration.features``)."""
    version = identity.template_version
    columns = (
        declaration.added_since(version, identity.features) if version < declaration.version else ()
    )
    missing = [f for f in declaration.features if f not in identity.features]
    if not columns and not missing:
        return
    labels = ", ".join(f"«{c.label}»" for c in columns)
    found, english = (
        catalogue.make(
            "template-older-version",
            location=Location(opened.name),
            value=version,
            unit_code=opened.unit_code,
            expected=declaration.version,
            added="; ".join(
                [*([labels] if labels else []), *(FEATURE_TITLES[f][lang] for f in missing)]
            ),
        )
        for lang in (0, 1)
    )
    opened.issues.append(replace(found, message_en=english.message_en))


def _sheet_names(
    opened: _Opened, declaration: Declaration, optional: frozenset[str] = OPTIONAL_SHEETS
) -> dict[str, str | None]:
    """Declared sheet key → the sheet's name in the file (found by name, or by position)."""
    names: list[str] = list(opened.book.sheet_names)
    by_key = {label_key(n): n for n in names}
    known = {label_key(s.name) for s in declaration.sheets}
    known |= {label_key(INSTRUCTIONS_SHEET), label_key(LISTS_SHEET), label_key(IDENTITY_SHEET)}
    found: dict[str, str | None] = {}
    for position, sheet in enumerate(declaration.sheets, start=1):
        actual = by_key.get(label_key(sheet.name))
        if actual is None and position < len(names) and label_key(names[position]) not in known:
            actual = names[position]
            opened.issues.append(
                catalogue.make(
                    "sheet-renamed",
                    location=Location(opened.name, actual),
                    value=actual,
                    unit_code=opened.unit_code,
                    sheet=sheet.name,
                )
            )
        if actual is None and sheet.key not in optional:
            raise opened.stop("sheet-missing", ", ".join(names), sheet=sheet.name)
        found[sheet.key] = actual
    return found


def read_workbook(path: Path | str) -> WorkbookReading:
    """Read one returned workbook (a cell's self-assessment or ballot, or the decisions
    workbook); never raises for bad input."""
    issues: list[Issue] = []
    data, sha = _load(path, issues)
    identity: Identity | None = None
    modified: dt.datetime | None = None
    content: SelfAssessmentContent | BallotContent | DecisionsContent | None = None
    if data is not None:
        try:
            opened = _open(path, data, issues)
            modified = opened.package.modified
            identity = _identity(opened)
            if identity is None:
                raise opened.stop("identity-missing")
            opened.unit_code = identity.cell_code
            if identity.kind not in KINDS:
                raise opened.stop(
                    "identity-invalid",
                    reason=f"kind = {identity.kind}",
                )
            declaration = load_declaration(identity.kind)
            _check_version(opened, identity, declaration)
            if identity.kind != "roster":
                content = _read_content(opened, identity, declaration)
        except _Stop:
            pass
    return WorkbookReading(str(path), sha, identity, modified, tuple(issues), content)


def _read_content(
    opened: _Opened, identity: Identity, declaration: Declaration
) -> SelfAssessmentContent | BallotContent | DecisionsContent | None:
    sheets = _sheet_names(opened, declaration)
    features, version = identity.features, identity.template_version
    _older_template(opened, identity, declaration)

    def context(key: str) -> SheetContext | None:
        name = sheets.get(key)
        return opened.context(name) if name else None

    if identity.kind == "decisions":
        from toolkit.workbooks.decisionbook import read_sheets

        return read_sheets(context, declaration, identity)

    if identity.kind == "self_assessment":
        cell_ctx, members_ctx = context("cell"), context("members")
        assert cell_ctx is not None and members_ctx is not None  # required sheets
        cell_layout = declaration.layout("cell", features, version)
        members_layout = declaration.layout("members", features, version)
        cell_values = read_form(cell_ctx, cell_layout)
        records = read_table(members_ctx, members_layout, "member_id")
        if cell_values is None or records is None:
            return None
        return build_self_assessment(
            cell_ctx, cell_layout, cell_values, members_ctx, members_layout, records, features
        )
    meeting_ctx, tally_ctx, papers_ctx = context("meeting"), context("tally"), context("papers")
    assert meeting_ctx is not None and tally_ctx is not None
    meeting_layout = declaration.layout("meeting", features, version)
    tally_layout = declaration.layout("tally", features, version)
    values = read_form(meeting_ctx, meeting_layout)
    records = read_table(tally_ctx, tally_layout, "member_id")
    papers_layout = declaration.layout("papers", (), version)
    papers = read_papers(papers_ctx, papers_layout) if papers_ctx else None
    if values is None or records is None:
        return None
    return build_ballot(
        meeting_ctx, meeting_layout, values, tally_ctx, tally_layout, records, papers, papers_ctx
    )


def crashed_reading(path: Path | str, identity: Identity | None, reason: str) -> WorkbookReading:
    """The reading of a file whose reader process died (``reason`` says how): the file's hash,
    its identity if the reader had sent it, and ``reader-crashed``."""
    issues: list[Issue] = []
    _, sha = _load(path, issues)
    code = identity.cell_code if identity is not None else ""
    issues.append(
        catalogue.make(
            "reader-crashed", location=Location(Path(path).name), unit_code=code, reason=reason
        )
    )
    return WorkbookReading(str(path), sha, identity, None, tuple(issues))


def peek_identity(path: Path | str) -> Identity | None:
    """Only the identity block of a file (None when the file is unreadable or has none)."""
    issues: list[Issue] = []
    data, _ = _load(path, issues, hashed=False)  # a peek: the hash is taken when it is read
    if data is None:
        return None
    try:
        return _identity(_open(path, data, issues))
    except _Stop:
        return None


@dataclass(frozen=True)
class RosterReading:
    """The district's roster as read from one file: its problems, and the SHA-256 of the very
    bytes read ('' when the file could not be read), for the inputs' audit trail."""

    roster: Roster
    issues: tuple[Issue, ...]
    sha256: str


def read_roster(path: Path | str) -> tuple[Roster, tuple[Issue, ...]]:
    """The district's roster and the problems found in it (rows with errors are left out)."""
    reading = read_roster_file(path)
    return reading.roster, reading.issues


def read_roster_file(path: Path | str, *, organizations_only: bool = False) -> RosterReading:
    """``read_roster``, with the hash of the bytes read.

    ``organizations_only``: a higher committee's roster for ``rollup``, which lists
    organizations and needs no members: the members sheet may be missing or empty, and a cell
    without members is not a problem there.
    """
    issues: list[Issue] = []
    data, sha = _load(path, issues)
    with collector_paused():  # a city's roster is a million values
        roster = _read_roster(path, data, issues, organizations_only) if data is not None else None
    return RosterReading(EMPTY_ROSTER if roster is None else roster, tuple(issues), sha)


def _roster_version_by_headers(ctx: SheetContext, declaration: Declaration) -> int:
    """A roster made by hand (no identity block): the newest version whose added columns all
    have their headers, so that a roster typed before a column existed reads as before."""
    version = declaration.version
    while version > declaration.min_version:
        layout = declaration.layout("members", (), version)
        header = layout.sheet.header_row
        added = [(i, c) for i, c in enumerate(layout.columns) if c.since == version]
        if all(label_key(ctx.raw(header, i)) == label_key(c.label) for i, c in added):
            break
        version -= 1
    return version


#: a roster exported by another program carries no identity block: its version is read from
#: its headers, and it is told what a newer template adds like any other file
_NO_IDENTITY = Identity(kind="roster", template_version=0)


def _read_roster(
    path: Path | str, data: bytes, issues: list[Issue], organizations_only: bool = False
) -> Roster | None:
    """The roster in ``data``, or None when it cannot be read (``issues`` say why)."""
    try:
        opened = _open(path, data, issues)
        identity = _identity(opened)
        declaration = load_declaration("roster")
        version = declaration.version
        if identity is not None:
            if identity.kind != "roster":
                from toolkit.workbooks.declarations import KIND_TITLES

                raise opened.stop(
                    "wrong-kind",
                    KIND_TITLES.get(identity.kind, ("?", "?"))[0],
                    expected=declaration.title,
                    expected_en=declaration.title_en,
                )
            _check_version(opened, identity, declaration)
            version = identity.template_version
        optional = OPTIONAL_SHEETS | {"members"} if organizations_only else OPTIONAL_SHEETS
        sheets = _sheet_names(opened, declaration, optional)
        units_name, members_name = sheets["units"], sheets["members"]
        assert units_name is not None
        units_ctx = opened.context(units_name)
        # without a members sheet its context is the units' (no member row reaches it)
        members_ctx = units_ctx if members_name is None else opened.context(members_name)
        if identity is None and members_name is not None:
            version = _roster_version_by_headers(members_ctx, declaration)
        units_layout = declaration.layout("units", (), version)
        members_layout = declaration.layout("members", (), version)
        units = read_table(units_ctx, units_layout, None)
        members = (
            [] if members_name is None else read_table(members_ctx, members_layout, "member_id")
        )
        if units is None or members is None:
            return None
        _older_template(
            opened, replace(identity or _NO_IDENTITY, template_version=version), declaration
        )
        return build_roster(
            units_ctx,
            units_layout,
            units,
            members_ctx,
            members_layout,
            members,
            check_cells=not organizations_only,
        )
    except _Stop:
        return None
