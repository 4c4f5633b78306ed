"""Verify a package before anything in it is used: its manifest, every file's SHA-256, and
that ket-qua.json agrees with the manifest (kind, year, rule-set, overrides, version,
decisions). A package with any problem is refused whole: ``read_package`` returns its issues
and no content.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from toolkit import __version__, catalogue
from toolkit.model import Issue, Location
from toolkit.outputs.paths import RESULTS_JSON
from toolkit.rollup.extract import Invalid, PackageContent, content_of
from toolkit.rollup.source import (
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MAX_RESULTS_BYTES,
    Source,
    ZipSource,
    open_source,
    safe_relative,
)
from toolkit.workbooks.package import Rejected

MANIFEST_SCHEMA = "xeploai/manifest/1"
RESULTS_SCHEMA = "xeploai/ket-qua/1"
KINDS = frozenset({"aggregate", "rollup"})
#: the kind of input a decisions workbook is recorded as in a manifest
DECISIONS_KIND = "decisions"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_VERSION = re.compile(r"^(\d+)\.(\d+)")


@dataclass(frozen=True)
class Package:
    """A verified package: who it is from, under which rules, and what it contributes."""

    name: str
    path: str
    #: SHA-256 of the .zip, or of a folder's manifest.json (which pins every file)
    sha256: str
    kind: str
    committee_code: str
    committee_name: str
    year: int
    ruleset_code: str
    overrides: tuple[str, ...]
    toolkit_version: str
    generated_on: _dt.date
    #: the competent level's decisions are applied (else the figures are proposals)
    decided: bool
    content: PackageContent


@dataclass(frozen=True)
class PackageReading:
    """One package as read: verified (``package``) or refused (``issues`` say why)."""

    name: str
    path: str
    sha256: str
    package: Package | None
    issues: tuple[Issue, ...]


def read_package(path: Path) -> PackageReading:
    """Open, verify and extract one package; never raises for a bad package. The package is
    named by its path as given (output folders are often all called «ket-qua»)."""
    name = str(path)
    sha = ""
    try:
        source = open_source(path)
        manifest_bytes = source.read(MANIFEST, MAX_MANIFEST_BYTES)
        if manifest_bytes is None:
            raise Rejected("rollup-manifest-invalid", reason="không có trong gói")
        sha = _source_sha(source, manifest_bytes)
        manifest = _json(manifest_bytes, "rollup-manifest-invalid")
        outputs = _manifest_outputs(manifest)
        # ket-qua.json is read once: the bytes hashed are the bytes parsed
        results = source.read(RESULTS_JSON, MAX_RESULTS_BYTES)
        found = None if results is None else (hashlib.sha256(results).hexdigest(), len(results))
        problems = _check_files(source, outputs, name, {RESULTS_JSON: found})
        if problems or results is None:
            return PackageReading(name, str(path), sha, None, tuple(problems))
        package = _package(path, name, sha, manifest, _json(results, "rollup-results-invalid"))
    except Rejected as refused:
        params = {"package": name, "reason": "", **refused.params}
        issue = catalogue.make(refused.code, location=Location(name), value=refused.value, **params)
        return PackageReading(name, str(path), sha, None, (issue,))
    return PackageReading(name, str(path), sha, package, ())


def _source_sha(source: Source, manifest: bytes) -> str:
    data = source.data if isinstance(source, ZipSource) else manifest
    return hashlib.sha256(data).hexdigest()


def _json(data: bytes, code: str) -> dict[str, Any]:
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise Rejected(code, reason=f"không phải JSON hợp lệ ({exc})") from None
    if not isinstance(value, dict):
        raise Rejected(code, reason="không phải một đối tượng JSON")
    return value


def _manifest_outputs(manifest: Mapping[str, Any]) -> dict[str, tuple[str, int]]:
    """The files the manifest lists: path → (SHA-256, size); ``Rejected`` if it is malformed."""
    if manifest.get("schema") != MANIFEST_SCHEMA:
        raise Rejected("rollup-manifest-invalid", reason=f"không theo lược đồ {MANIFEST_SCHEMA}")
    outputs: dict[str, tuple[str, int]] = {}
    entries = manifest.get("outputs")
    if not isinstance(entries, list):
        raise Rejected("rollup-manifest-invalid", reason="không có danh sách tệp «outputs»")
    for entry in entries:
        if not isinstance(entry, dict):
            raise Rejected("rollup-manifest-invalid", reason="một mục «outputs» không hợp lệ")
        path, sha, size = entry.get("path"), entry.get("sha256"), entry.get("bytes")
        if not isinstance(path, str) or not safe_relative(path) or path == MANIFEST:
            raise Rejected("rollup-manifest-invalid", reason=f"mục «{path}» không hợp lệ")
        if not isinstance(sha, str) or not _SHA256.match(sha):
            raise Rejected("rollup-manifest-invalid", reason=f"mục «{path}» không hợp lệ")
        if type(size) is not int or size < 0 or path in outputs:
            raise Rejected("rollup-manifest-invalid", reason=f"mục «{path}» không hợp lệ")
        outputs[path] = (sha, size)
    if RESULTS_JSON not in outputs:
        raise Rejected("rollup-manifest-invalid", reason=f"không ghi tệp {RESULTS_JSON}")
    return outputs


def _check_files(
    source: Source,
    outputs: Mapping[str, tuple[str, int]],
    name: str,
    known: Mapping[str, tuple[str, int] | None],
) -> list[Issue]:
    """Every listed file present with its SHA-256 and size: an issue for each that is not.
    ``known``: files already read, with their hash and size (None: not there)."""
    problems = []
    for path, (sha, size) in sorted(outputs.items()):
        found = known[path] if path in known else source.sha256(path)
        if found is None:
            code = "rollup-file-missing"
        elif found != (sha, size):
            code = "rollup-file-mismatch"
        else:
            continue
        problems.append(
            catalogue.make(code, location=Location(name, path), value=path, package=name)
        )
    return problems


def _package(
    path: Path, name: str, sha: str, manifest: Mapping[str, Any], doc: dict[str, Any]
) -> Package:
    """The package's identity, cross-checked between manifest.json and ket-qua.json."""
    if doc.get("schema") != RESULTS_SCHEMA:
        raise Rejected("rollup-results-invalid", reason=f"không theo lược đồ {RESULTS_SCHEMA}")
    kind = doc.get("kind", "aggregate")
    if kind not in KINDS:
        raise Rejected("rollup-results-invalid", reason=f"loại gói không rõ: {kind!r}")
    for key in ("year", "toolkit_version", "generated_on"):
        if doc.get(key) != manifest.get(key):
            raise Rejected("rollup-results-invalid", reason=f"«{key}» khác manifest.json")
    year, version = manifest.get("year"), manifest.get("toolkit_version")
    if type(year) is not int or not isinstance(version, str):
        raise Rejected("rollup-manifest-invalid", reason="thiếu năm hoặc phiên bản")
    _check_version(version)
    code, overrides = _ruleset(manifest.get("ruleset"), "rollup-manifest-invalid")
    if (code, overrides) != _ruleset(doc.get("ruleset"), "rollup-results-invalid"):
        raise Rejected("rollup-results-invalid", reason="bộ quy tắc khác manifest.json")
    parent = doc.get("parent")
    if (
        not isinstance(parent, dict)
        or not isinstance(parent.get("code"), str)
        or not parent["code"]
    ):
        raise Rejected("rollup-results-invalid", reason="không ghi tổ chức cấp ủy («parent»)")
    try:
        generated = _dt.date.fromisoformat(str(manifest.get("generated_on")))
    except ValueError:
        raise Rejected("rollup-manifest-invalid", reason="ngày lập không hợp lệ") from None
    decided = _decided(kind, manifest, doc)
    try:
        content = content_of(doc, kind=kind, decided=decided, committee=parent["code"])
    except Invalid as exc:
        raise Rejected("rollup-results-invalid", reason=str(exc)) from None
    return Package(
        name=name,
        path=str(path),
        sha256=sha,
        kind=kind,
        committee_code=parent["code"],
        committee_name=str(parent.get("name") or ""),
        year=year,
        ruleset_code=code,
        overrides=overrides,
        toolkit_version=version,
        generated_on=generated,
        decided=decided,
        content=content,
    )


def _check_version(version: str) -> None:
    theirs, ours = _VERSION.match(version), _VERSION.match(__version__)
    assert ours is not None
    if theirs is None or theirs.group(1) != ours.group(1):
        raise Rejected(
            "rollup-version-unsupported", version, version=__version__, major=ours.group(1)
        )


def _ruleset(entry: object, code: str) -> tuple[str, tuple[str, ...]]:
    if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
        raise Rejected(code, reason="không ghi bộ quy tắc")
    overrides = entry.get("overrides")
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        raise Rejected(code, reason="tham số địa phương («overrides») không hợp lệ")
    return entry["code"], tuple(overrides)


def _decided(kind: str, manifest: Mapping[str, Any], doc: Mapping[str, Any]) -> bool:
    """Whether the competent level's decisions are applied.

    An aggregate package is decided when its manifest lists a decisions workbook among its
    inputs (``kind`` "decisions"); ket-qua.json must list the same file. A roll-up is decided
    when every committee below it reported decided results.
    """
    if kind == "rollup":
        completeness = doc.get("completeness")
        if not isinstance(completeness, dict) or not isinstance(
            completeness.get("all_decided"), bool
        ):
            raise Rejected("rollup-results-invalid", reason="thiếu «completeness»")
        return bool(completeness["all_decided"])
    theirs = _decision_inputs(manifest.get("inputs"), "rollup-manifest-invalid")
    if theirs != _decision_inputs(doc.get("inputs"), "rollup-results-invalid"):
        raise Rejected("rollup-results-invalid", reason="tệp quyết định khác manifest.json")
    return bool(theirs)


def _decision_inputs(inputs: object, code: str) -> list[str]:
    if not isinstance(inputs, list):
        raise Rejected(code, reason="không có danh sách tệp đầu vào («inputs»)")
    found = []
    for entry in inputs:
        if not isinstance(entry, dict):
            raise Rejected(code, reason="một mục «inputs» không hợp lệ")
        if entry.get("kind") == DECISIONS_KIND:
            sha = entry.get("sha256")
            if not isinstance(sha, str) or not _SHA256.match(sha):
                raise Rejected(code, reason="tệp quyết định không có mã SHA-256")
            found.append(sha)
    return sorted(found)
