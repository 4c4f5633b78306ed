"""Issue codes of the mail area: recipients and attachments that cannot go out, refusals."""

from toolkit.catalogue import IssueType, define
from toolkit.model import Severity

define(
    IssueType(
        code="mail-no-address",
        severity=Severity.ERROR,
        title="Chi bộ chưa có địa chỉ thư điện tử của bí thư",
        title_en="The cell has no secretary e-mail address",
        message=(
            "{cell} chưa có địa chỉ thư điện tử của bí thư nên chưa gửi được kết quả. "
            "Hãy ghi địa chỉ vào danh sách chi bộ của danh sách đảng viên rồi chạy lại "
            "«xeploai aggregate» và «xeploai mail»."
        ),
        message_en=(
            "{cell} has no secretary e-mail address, so its result was not sent. "
            "Add the address to the cells list of the roster, then run 'xeploai aggregate' "
            "and 'xeploai mail' again."
        ),
    ),
    IssueType(
        code="mail-bad-address",
        severity=Severity.ERROR,
        title="Địa chỉ thư điện tử không hợp lệ",
        title_en="Invalid e-mail address",
        message=(
            "Địa chỉ thư điện tử «{value}» ({whom}) không hợp lệ nên không gửi thư. "
            "Địa chỉ phải có dạng ten@co-quan.vn, chỉ gồm chữ không dấu, chữ số và . _ + -."
        ),
        message_en=(
            "The e-mail address '{value}' ({whom}) is not valid, so nothing was sent to it. "
            "An address looks like name@agency.vn, with unaccented letters, digits and . _ + -."
        ),
    ),
    IssueType(
        code="mail-header-injection",
        severity=Severity.ERROR,
        title="Tên hoặc địa chỉ có ký tự xuống dòng hoặc ký tự điều khiển",
        title_en="Name or address contains line breaks or control characters",
        message=(
            "Tên hoặc địa chỉ thư của {whom} có ký tự xuống dòng hoặc ký tự điều khiển (có thể là "
            "cố ý chèn thêm tiêu đề thư) nên không gửi thư. Giá trị: {value}. Hãy sửa lại trong "
            "danh sách đảng viên hoặc tệp cấu hình."
        ),
        message_en=(
            "The name or address of {whom} contains a line break or control character (possibly "
            "an attempt to inject mail headers), so nothing was sent. Value: {value}. Correct it "
            "in the roster or the configuration file."
        ),
    ),
    IssueType(
        code="mail-no-result-file",
        severity=Severity.WARNING,
        title="Chi bộ chưa gửi hồ sơ nên không có kết quả để gửi",
        title_en="The cell sent nothing, so there is no result to mail",
        message=(
            "{cell} chưa gửi hồ sơ (không có tệp kết quả) nên không gửi thư cho bí thư. "
            "Hãy nhắc chi bộ gửi hồ sơ, chạy lại «xeploai aggregate» rồi «xeploai mail»."
        ),
        message_en=(
            "{cell} sent nothing (no result file), so no message went to its secretary. "
            "Remind the cell to send its workbooks, run 'xeploai aggregate' and then "
            "'xeploai mail' again."
        ),
    ),
    IssueType(
        code="mail-attachment-missing",
        severity=Severity.ERROR,
        title="Không tìm thấy tệp cần đính kèm",
        title_en="A file to attach is missing",
        message=(
            "Không tìm thấy tệp «{value}» cần gửi cho {whom} trong thư mục kết quả nên không "
            "gửi thư này. Hãy chạy lại «xeploai aggregate» vào đúng thư mục."
        ),
        message_en=(
            "The file '{value}' to send to {whom} is not in the output folder, so this message "
            "was not sent. Run 'xeploai aggregate' again into the same folder."
        ),
    ),
    IssueType(
        code="mail-attachment-too-large",
        severity=Severity.WARNING,
        title="Tệp quá lớn để gửi kèm thư",
        title_en="A file too large to attach",
        message=(
            "Tệp «{value}» ({size}) không được gửi kèm thư cho {whom}: cả thư sẽ vượt {limit}, "
            "giới hạn của nhiều máy chủ thư. Thư vẫn được gửi và ghi rõ tệp ở thư mục kết quả; "
            "hãy chuyển tệp qua đường khác (ổ mạng, thiết bị lưu trữ)."
        ),
        message_en=(
            "The file '{value}' ({size}) was not attached for {whom}: the message would pass "
            "{limit}, the limit of many mail servers. The message still goes and says the file "
            "is in the output folder; hand the file over another way (a shared drive, a USB "
            "stick)."
        ),
    ),
    IssueType(
        code="mail-attachment-unsafe",
        severity=Severity.ERROR,
        title="Tệp đính kèm nằm ngoài thư mục kết quả hoặc thuộc chi bộ khác",
        title_en="Attachment outside the output folder or belonging to another cell",
        message=(
            "Tệp «{value}» ghi cho {whom} nằm ngoài thư mục kết quả hoặc cũng được ghi cho chi bộ "
            "khác nên không gửi, để không chi bộ nào nhận nhầm tệp của chi bộ khác. Hãy chạy lại "
            "«xeploai aggregate» để tạo lại ket-qua.json."
        ),
        message_en=(
            "The file '{value}' listed for {whom} lies outside the output folder or is listed for "
            "another cell too, so it was not sent: no cell may receive another cell's file. Run "
            "'xeploai aggregate' again to rebuild ket-qua.json."
        ),
    ),
    IssueType(
        code="mail-rejected",
        severity=Severity.ERROR,
        title="Máy chủ thư từ chối người nhận",
        title_en="The mail server refused a recipient",
        message=(
            "Máy chủ thư từ chối gửi tới {value} ({whom}): {reply}. Hãy kiểm tra lại địa chỉ; "
            "các người nhận khác vẫn được gửi."
        ),
        message_en=(
            "The mail server refused {value} ({whom}): {reply}. Check the address; the other "
            "recipients were still sent their messages."
        ),
    ),
    IssueType(
        code="mail-temporary-failure",
        severity=Severity.ERROR,
        title="Chưa gửi được sau nhiều lần thử",
        title_en="Not delivered after several attempts",
        message=(
            "Chưa gửi được tới {value} ({whom}) sau {attempts} lần thử: {reply}. Hãy chạy lại "
            "«xeploai mail» sau ít phút; thư đã gửi sẽ không bị gửi lại."
        ),
        message_en=(
            "Could not deliver to {value} ({whom}) after {attempts} attempts: {reply}. Run "
            "'xeploai mail' again in a few minutes; messages already sent are not sent twice."
        ),
    ),
    IssueType(
        code="mail-outcome-unknown",
        severity=Severity.ERROR,
        title="Chưa rõ máy chủ thư đã nhận thư hay chưa",
        title_en="Unknown whether the mail server took the message",
        message=(
            "Thư cho {whom} tới {value} đã truyền hết tới máy chủ thư nhưng không nhận được trả "
            "lời ({reply}), nên không biết máy chủ đã nhận thư hay chưa. Thư không được gửi lại "
            "tự động để không ai nhận hai lần. Hãy hỏi người nhận hoặc quản trị máy chủ thư "
            "(thư có Message-ID {message_id}); nếu thư chưa đến, gửi lại bằng «xeploai mail "
            "{resend}»."
        ),
        message_en=(
            "The message for {whom} to {value} went out whole but the mail server did not "
            "answer ({reply}), so whether it took the message is unknown. It is not sent again "
            "on its own, so that nobody receives it twice. Ask the recipient or the mail server's "
            "administrator (Message-ID {message_id}); if it did not arrive, send it again with "
            "'xeploai mail {resend}'."
        ),
    ),
)
