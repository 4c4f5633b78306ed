"""Writers of the aggregate outputs: summary workbook, per-cell workbooks, HTML, JSON, manifest.

``write_outputs`` is the one entry point; it is imported lazily so that importing this package
(and ``xeploai --help``) does not load xlsxwriter or Jinja2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.outputs.write_all import write_outputs

__all__ = ["write_outputs"]


def __getattr__(name: str) -> Any:
    if name == "write_outputs":
        from toolkit.outputs.write_all import write_outputs

        return write_outputs
    raise AttributeError(f"module 'toolkit.outputs' has no attribute {name!r}")
