"""Issue codes of the engine area."""

from toolkit.catalogue import IssueType, define
from toolkit.model import Severity

__all__ = ["IssueType", "Severity", "define"]
