"""Text from inputs made safe to show: control and bidi characters escaped, never acted on.

A file name, a cell's name or a typed value may hold characters that a terminal or a browser
acts on instead of showing: a newline that starts a forged line of a report, an ESC that
begins a terminal command, a right-to-left override that makes ``bao-cao‮xslx.exe`` read
as another extension. ``visible`` writes each of them as a visible escape (``\\n``,
``\\x1b``, ``\\u202e``). The console views (``validate``, ``status``, ``aggregate``, ``mail``)
pass their lines through it, and the HTML report uses it as the Jinja2 filter ``visible``.
Vietnamese letters and every other printable character are left as they are.
"""

from __future__ import annotations

import re

#: C0 controls (line breaks and tabs included), DEL, C1 controls (NEL included), the line and
#: paragraph separators, and the invisible marks that change the direction of text: embeddings
#: and overrides (U+202A–U+202E), isolates (U+2066–U+2069), LRM, RLM and ALM
HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: object) -> str:
    """``text`` with every control and direction character written as a visible escape."""
    shown = str(text)
    if HIDDEN.search(shown) is None:
        return shown  # nearly every text: nothing to escape
    return HIDDEN.sub(_escape, shown)


def visible_lines(lines: list[str]) -> str:
    """Console lines joined, each made visible, with the final newline: a line break inside
    one of them (from a file name, say) is shown, never taken for the start of another."""
    return "".join(visible(line) + "\n" for line in lines)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
