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
    # -- what the walk of the inbox could not look at (``toolkit/workbooks/walk.py``) ----------
    IssueType(
        code="folder-unreadable",
        severity=Severity.ERROR,
        title="Không mở được thư mục trong hộp thư",
        title_en="Folder in the inbox cannot be opened",
        message="Không mở được thư mục «{value}»: {reason}. Các tệp trong đó chưa được đọc; hãy "
        "cấp quyền đọc cho thư mục rồi chạy lại.",
        message_en='Folder "{value}" cannot be opened: {reason}. The files in it were not read; '
        "give read access to the folder and run again.",
    ),
    IssueType(
        code="link-broken",
        severity=Severity.ERROR,
        title="Liên kết hỏng trong hộp thư",
        title_en="Broken link in the inbox",
        message="«{value}» là liên kết tới «{reason}», một tệp không còn. Hãy chép chính tệp vào "
        "thư mục nhận.",
        message_en='"{value}" is a link to "{reason}", which no longer exists. Copy the file '
        "itself into the inbox.",
    ),
    IssueType(
        code="link-loop",
        severity=Severity.ERROR,
        title="Liên kết vòng trong hộp thư",
        title_en="Looping link in the inbox",
        message="«{value}» là liên kết vòng: {reason}. Không có gì để đọc qua nó; hãy xóa liên "
        "kết đó.",
        message_en='"{value}" is a looping link: {reason}. There is nothing to read through it; '
        "remove the link.",
    ),
    IssueType(
        code="not-a-regular-file",
        severity=Severity.ERROR,
        title="Không phải tệp thông thường",
        title_en="Not a regular file",
        message="«{value}» là {reason}, không phải tệp thông thường; không đọc. Hãy chép tệp "
        ".xlsx thật vào thư mục nhận.",
        message_en='"{value}" is a {reason}, not a regular file; not read. Copy the real .xlsx '
        "file into the inbox.",
    ),
    IssueType(
        code="return-unreadable",
        severity=Severity.ERROR,
        title="Hồ sơ của chi bộ không đọc được",
        title_en="The cell's return cannot be read",
        message="Chưa nhận đủ hồ sơ của chi bộ {unit} nhưng không thể coi là chưa gửi: không đọc "
        "được «{value}», có thể là hồ sơ của chi bộ. Hãy sửa lỗi đọc tệp rồi chạy lại.",
        message_en="Cell {unit}'s return is incomplete, but it cannot be taken as not sent: "
        '"{value}" cannot be read and may be its return. Fix the read error and run again.',
    ),
)
