"""Issue codes that belong to no single area: configuration and input/output."""

from toolkit.catalogue import IssueType, define
from toolkit.model import Severity

define(
    IssueType(
        code="input-not-readable",
        severity=Severity.ERROR,
        title="Không đọc được tệp",
        title_en="File cannot be read",
        message="Không đọc được tệp: {reason}. Hãy kiểm tra tệp còn tồn tại và không bị khóa.",
        message_en="The file cannot be read: {reason}. Check that it exists and is not locked.",
    ),
)
