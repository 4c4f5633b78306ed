"""Issue codes of the workbooks area: the file, its template, its values, the roster and the inbox.

Every message ends with a hint on how to fix the problem. ``{value}`` is the value found; the
other fields are given by the code that raises the issue and are the same in both languages:
``field`` is the column's label as the workbook shows it (in Vietnamese, so that an English reader
finds the cell), ``expected`` what was expected (numbers, ranges, list values).
"""

from toolkit.catalogue import IssueType, define
from toolkit.model import Severity

E, W = Severity.ERROR, Severity.WARNING

__all__ = ["CODES"]

_TYPES = (
    # -- the file itself -------------------------------------------------------------------------
    IssueType(
        "empty-file",
        E,
        "Tệp rỗng",
        "Empty file",
        "Tệp rỗng (0 byte). Hãy mở bảng tính trong Excel, lưu lại rồi gửi lại.",
        "The file is empty (0 bytes). Open the workbook in Excel, save it and send it again.",
    ),
    IssueType(
        "not-xlsx",
        E,
        "Không phải tệp Excel .xlsx",
        "Not an .xlsx workbook",
        "Tệp không phải bảng tính Excel .xlsx (nhận ra: {value}). Hãy mở bằng Excel và lưu dưới "
        "dạng «Excel Workbook (*.xlsx)».",
        "The file is not an Excel .xlsx workbook (found: {value}). Open it in Excel and save it as "
        '"Excel Workbook (*.xlsx)".',
    ),
    IssueType(
        "zip-archive",
        E,
        "Tệp nén .zip, không phải bảng tính",
        "A .zip archive, not a workbook",
        "Đây là tệp nén .zip (chứa: {value}), không phải bảng tính Excel. Hãy giải nén rồi đặt "
        "các tệp .xlsx trong đó vào thư mục hồ sơ gửi về.",
        "This is a .zip archive (holding: {value}), not an Excel workbook. Extract it and put "
        "the .xlsx files it holds in the inbox folder.",
    ),
    IssueType(
        "legacy-xls",
        E,
        "Tệp Excel cũ .xls",
        "Old .xls workbook",
        "Tệp ở định dạng Excel 97–2003 (.xls), không dùng được. Hãy mở bằng Excel và lưu dưới "
        "dạng «Excel Workbook (*.xlsx)».",
        'The file is an Excel 97–2003 (.xls) workbook. Open it in Excel and save it as "Excel '
        'Workbook (*.xlsx)".',
    ),
    IssueType(
        "encrypted-file",
        E,
        "Tệp có mật khẩu",
        "Password-protected file",
        "Tệp được đặt mật khẩu mở nên không đọc được. Hãy bỏ mật khẩu (Tệp › Thông tin › Bảo vệ "
        "sổ làm việc) rồi gửi lại.",
        "The file is protected by a password and cannot be read. Remove the password (File › Info "
        "› Protect Workbook) and send it again.",
    ),
    IssueType(
        "corrupt-file",
        E,
        "Tệp bị hỏng",
        "Corrupt file",
        "Tệp .xlsx bị hỏng hoặc không đầy đủ ({reason}). Hãy mở tệp gốc trong Excel, lưu lại rồi "
        "gửi lại; nếu gửi qua thư điện tử, hãy đính kèm lại.",
        "The .xlsx file is damaged or incomplete ({reason}). Open the original in Excel, save "
        "it and send it again; if it came by e-mail, attach it again.",
    ),
    IssueType(
        "zip-name-mismatch",
        E,
        "Tên các phần trong tệp nén không khớp",
        "Zip entry names disagree",
        "Một phần của tệp mang nhiều tên khác nhau ({value}): mỗi chương trình có thể đọc ra một "
        "nội dung khác, nên tệp không được dùng. Hãy mở tệp gốc trong Excel, lưu lại rồi gửi lại.",
        "A part of the file carries several names ({value}): each program may read different "
        "content from it, so the file is not used. Open the original in Excel, save it and send "
        "it again.",
    ),
    IssueType(
        "package-part-duplicated",
        E,
        "Tệp có hai phần trùng tên",
        "Two parts of one name",
        "Tệp chứa hai phần cùng tên «{value}» (không kể chữ hoa, chữ thường): không biết Excel "
        "hiển thị phần nào, nên tệp không được dùng. Hãy mở tệp gốc trong Excel, lưu lại rồi gửi "
        "lại.",
        'The file holds two parts named "{value}" (ignoring case): which one Excel shows is not '
        "known, so the file is not used. Open the original in Excel, save it and send it again.",
    ),
    IssueType(
        "package-part-unreachable",
        W,
        "Tệp có phần không thuộc bảng tính",
        "Parts outside the workbook",
        "Tệp chứa phần mà bảng tính không dẫn tới ({value}): Excel không hiển thị, chương trình "
        "cũng không đọc. Không cần sửa; nếu tệp không do chi bộ lập, hãy hỏi lại người gửi.",
        "The file holds parts the workbook does not lead to ({value}): Excel does not show them "
        "and they are not read. Nothing to fix; if the chi bộ did not make the file, ask the "
        "sender.",
    ),
    IssueType(
        "reader-crashed",
        E,
        "Tệp làm dừng chương trình đọc",
        "The file stopped its reader",
        "Tiến trình đọc tệp này bị dừng đột ngột ({reason}), nên tệp không được tính; các tệp "
        "khác vẫn được đọc. Hãy mở tệp gốc trong Excel, xóa dữ liệu thừa, lưu lại rồi gửi lại.",
        "The process reading this file was stopped abruptly ({reason}), so the file is not "
        "counted; the other files were read. Open the original in Excel, delete stray data, "
        "save it and send it again.",
    ),
    IssueType(
        "file-too-large",
        E,
        "Tệp quá lớn",
        "File too large",
        "Tệp lớn {value} byte, vượt giới hạn {limit} byte. Hãy xóa các trang, hình ảnh thừa rồi "
        "gửi lại.",
        "The file is {value} bytes, over the limit of {limit} bytes. Remove extra sheets and "
        "pictures and send it again.",
    ),
    IssueType(
        "decompressed-too-large",
        E,
        "Nội dung giải nén quá lớn",
        "Uncompressed content too large",
        "Nội dung tệp khi giải nén quá lớn ({value} byte, giới hạn {limit} byte): có thể là tệp "
        "độc hại («zip bomb»). Không mở tệp này; hãy đề nghị chi bộ gửi lại từ biểu mẫu gốc.",
        "The file's content is too large once uncompressed ({value} bytes, limit {limit} bytes): "
        "it may be a hostile file (zip bomb). Do not open it; ask the cell to send the original "
        "template again.",
    ),
    IssueType(
        "xml-dtd-forbidden",
        E,
        "Tệp chứa khai báo XML bị cấm",
        "Forbidden XML declarations",
        "Phần {value} của tệp chứa khai báo DOCTYPE/ENTITY, điều mà Excel không bao giờ tạo ra: "
        "có thể là tệp độc hại. Không mở tệp này; hãy đề nghị chi bộ gửi lại từ biểu mẫu gốc.",
        "Part {value} of the file declares a DOCTYPE/ENTITY, which Excel never writes: it may be a "
        "hostile file. Do not open it; ask the cell to send the original template again.",
    ),
    IssueType(
        "sheet-too-large",
        E,
        "Trang tính quá lớn",
        "Sheet too large",
        "Trang «{sheet}» có dữ liệu đến ô {value} ({rows} dòng × {cols} cột), vượt giới hạn. "
        "Hãy xóa dữ liệu thừa ở cuối trang rồi gửi lại.",
        'Sheet "{sheet}" has data as far as cell {value} ({rows} rows × {cols} columns), over the '
        "limit. Delete the stray data at the end of the sheet and send it again.",
    ),
    # -- the template: identity block, version, kind ---------------------------------------------
    IssueType(
        "identity-missing",
        E,
        "Không phải biểu mẫu của xeploai",
        "Not a xeploai workbook",
        "Tệp không có khối nhận diện ẩn của xeploai: không phải biểu mẫu do cấp trên gửi, hoặc "
        "trang ẩn đã bị xóa. Hãy nhập số liệu vào đúng biểu mẫu đã được gửi cho chi bộ.",
        "The file has no hidden xeploai identity block: it is not a workbook sent by the higher "
        "committee, or its hidden sheet was deleted. Enter the data in the workbook made for the "
        "cell.",
    ),
    IssueType(
        "identity-invalid",
        E,
        "Khối nhận diện bị sửa",
        "Identity block altered",
        "Khối nhận diện ẩn bị sửa hoặc thiếu ({reason}). Hãy nhập số liệu vào biểu mẫu gốc đã "
        "được gửi cho chi bộ.",
        "The hidden identity block was altered or is incomplete ({reason}). Enter the data in "
        "the original workbook made for the cell.",
    ),
    IssueType(
        "template-outdated",
        E,
        "Biểu mẫu phiên bản cũ",
        "Outdated template version",
        "Biểu mẫu phiên bản {value} đã cũ (hiện dùng phiên bản {expected}). Hãy chép số liệu sang "
        "biểu mẫu mới do cấp trên gửi.",
        "The workbook is template version {value}, which is outdated (current: {expected}). Copy "
        "the data into the new template sent by the higher committee.",
    ),
    IssueType(
        "template-older-version",
        W,
        "Biểu mẫu phiên bản trước, vẫn được đọc",
        "An earlier template version, still read",
        "Tệp dùng biểu mẫu phiên bản {value}; vẫn được đọc như trước. Biểu mẫu phiên bản "
        "{expected} có thêm: {added}. Các cột này coi như để trống; nếu cần, hãy ghi vào biểu "
        "mẫu mới do cấp trên gửi.",
        "The file uses template version {value} and is read as before. Version {expected} adds: "
        "{added}. These columns count as left blank; if they matter, fill in the new template "
        "sent by the higher committee.",
    ),
    IssueType(
        "template-version-unknown",
        E,
        "Phiên bản biểu mẫu không rõ",
        "Unknown template version",
        "Phiên bản biểu mẫu «{value}» không được hỗ trợ (hiện dùng phiên bản {expected}). Hãy "
        "dùng biểu mẫu do cấp trên gửi, hoặc cập nhật xeploai.",
        'Template version "{value}" is not supported (current: {expected}). Use the template sent '
        "by the higher committee, or update xeploai.",
    ),
    IssueType(
        "wrong-kind",
        E,
        "Sai loại biểu mẫu",
        "Wrong kind of workbook",
        "Tệp là biểu mẫu «{value}», không phải «{expected}». Hãy chọn đúng tệp.",
        'The file is a "{value}" workbook, not a "{expected}". Pick the right file.',
    ),
    IssueType(
        "unexpected-kind",
        W,
        "Tệp không phải bài nộp của chi bộ",
        "Not a cell's return",
        "Tệp là biểu mẫu «{value}», không phải bài nộp của chi bộ, nên không được tổng hợp. Hãy "
        "chuyển tệp ra khỏi thư mục nhận.",
        'The file is a "{value}" workbook, not a cell\'s return, so it is not aggregated. Move '
        "it out of the inbox.",
    ),
    IssueType(
        "wrong-year",
        E,
        "Tệp của năm khác",
        "File for another year",
        "Tệp được lập cho năm đánh giá {value}, không phải năm {expected}. Hãy dùng biểu mẫu của "
        "năm {expected}.",
        "The file was made for rating year {value}, not {expected}. Use the {expected} template.",
    ),
    IssueType(
        "year-unsupported",
        E,
        "Năm đánh giá không được hỗ trợ",
        "Rating year not supported",
        "Tệp được lập cho năm đánh giá {value}; xeploai chỉ áp dụng từ năm 2023. Hãy dùng biểu "
        "mẫu của năm đang đánh giá.",
        "The file was made for rating year {value}; xeploai applies from 2023. Use the template "
        "of the current rating year.",
    ),
    IssueType(
        "wrong-cell",
        E,
        "Tệp của chi bộ khác",
        "File for another cell",
        "Tệp được lập cho chi bộ {value}, không phải chi bộ {expected}. Hãy gửi đúng biểu mẫu "
        "của chi bộ {expected}.",
        "The file was made for cell {value}, not cell {expected}. Send the workbook made for "
        "cell {expected}.",
    ),
    IssueType(
        "cell-unknown",
        E,
        "Tệp không thuộc chi bộ nào",
        "File belongs to no cell",
        "Tệp được lập cho mã chi bộ «{value}», không có trong danh sách tổ chức. Hãy kiểm tra "
        "danh sách, hoặc chuyển tệp (của đơn vị khác, năm khác) ra khỏi thư mục nhận.",
        'The file was made for cell code "{value}", which is not in the roster. Check the '
        "roster, or move the file (another unit's, another year's) out of the inbox.",
    ),
    IssueType(
        "roster-changed",
        W,
        "Danh sách đảng viên đã thay đổi",
        "Roster changed since the workbook was made",
        "Danh sách đảng viên của chi bộ đã thay đổi sau khi tạo biểu mẫu này (xem các vấn đề về "
        "đảng viên bên dưới). Nếu thay đổi lớn, hãy tạo lại biểu mẫu cho chi bộ.",
        "The cell's roster changed after this workbook was made (see the member issues below). "
        "If the change is large, make a new workbook for the cell.",
    ),
    # -- sheets and layout -------------------------------------------------------------------------
    IssueType(
        "sheet-missing",
        E,
        "Thiếu trang tính",
        "Sheet missing",
        "Không có trang «{sheet}» (các trang hiện có: {value}). Hãy dùng biểu mẫu gốc, không "
        "xóa hoặc đổi tên trang.",
        'Sheet "{sheet}" is missing (sheets found: {value}). Use the original workbook; do not '
        "delete or rename sheets.",
    ),
    IssueType(
        "sheet-renamed",
        W,
        "Trang tính bị đổi tên",
        "Sheet renamed",
        "Trang «{sheet}» đã bị đổi tên thành «{value}»; số liệu vẫn được đọc theo vị trí trang. "
        "Lần sau hãy giữ nguyên tên trang.",
        'Sheet "{sheet}" was renamed to "{value}"; its data is still read by position. Keep the '
        "sheet names next time.",
    ),
    IssueType(
        "layout-changed",
        E,
        "Cột hoặc dòng bị thay đổi",
        "Layout changed",
        "Ô {cell} phải là tiêu đề «{field}» nhưng là «{value}»: cột hoặc dòng đã bị thêm, xóa "
        "hoặc di chuyển nên không đọc được trang này. Hãy chép số liệu vào biểu mẫu gốc.",
        'Cell {cell} should hold the heading "{field}" but holds "{value}": a column or row '
        "was added, deleted or moved, so this sheet cannot be read. Copy the data into the "
        "original workbook.",
    ),
    IssueType(
        "merged-input-cells",
        E,
        "Ô nhập liệu bị gộp",
        "Merged cells in the input area",
        "Các ô {value} bị gộp (merge) trong vùng nhập liệu nên không biết giá trị thuộc ô nào. "
        "Hãy bỏ gộp ô và nhập lại từng ô.",
        "Cells {value} are merged in the input area, so it is unclear which cell a value belongs "
        "to. Unmerge them and fill each cell.",
    ),
    IssueType(
        "formula-no-cached-value",
        E,
        "Công thức chưa có giá trị",
        "Formula without a cached value",
        "Ô «{field}» chứa công thức ({value}) nhưng tệp không lưu kết quả tính. Hãy mở tệp trong "
        "Excel, nhập số thay cho công thức rồi lưu lại.",
        'The "{field}" cell holds a formula ({value}) but the file stores no computed result. '
        "Open the file in Excel, type the number instead of the formula and save it.",
    ),
    IssueType(
        "formula-in-input",
        W,
        "Công thức trong ô nhập liệu",
        "Formula in an input cell",
        "Ô «{field}» chứa công thức ({value}); đã dùng kết quả tính được lưu trong tệp. Nên nhập "
        "trực tiếp giá trị.",
        'The "{field}" cell holds a formula ({value}); the result stored in the file was '
        "used. Type the value itself instead.",
    ),
    IssueType(
        "cell-error-value",
        E,
        "Ô chứa giá trị lỗi",
        "Cell holds an error value",
        "Ô «{field}» chứa giá trị lỗi {value}. Hãy sửa công thức hoặc nhập trực tiếp giá trị.",
        'The "{field}" cell holds the error value {value}. Fix the formula or type the value.',
    ),
    # -- values -------------------------------------------------------------------------------------
    IssueType(
        "required-missing",
        E,
        "Thiếu thông tin bắt buộc",
        "Required value missing",
        "Chưa nhập «{field}». Hãy nhập giá trị vào ô này.",
        'No value for "{field}". Fill in this cell.',
    ),
    IssueType(
        "value-not-allowed",
        E,
        "Giá trị không có trong danh sách",
        "Value not in the allowed list",
        "Giá trị «{value}» ở ô «{field}» không hợp lệ; chỉ được chọn: {expected}. Hãy chọn trong "
        "danh sách thả xuống.",
        'Value "{value}" in "{field}" is not allowed; choose one of: {expected}. Pick it from '
        "the drop-down list.",
    ),
    IssueType(
        "not-a-number",
        E,
        "Không phải là số",
        "Not a number",
        "Ô «{field}» phải là số nhưng chứa «{value}». Hãy nhập số như {accepted}: chữ số, "
        "phần thập phân (nếu có) sau dấu phẩy, không dùng dấu chấm phân cách hàng nghìn hay chữ.",
        'The "{field}" cell must be a number but holds "{value}". Type a number such as '
        "{accepted}: digits, any decimals after a comma, without thousands separators or words.",
    ),
    IssueType(
        "number-as-text",
        W,
        "Số được lưu dưới dạng chữ",
        "Number stored as text",
        "Ô «{field}» chứa số «{value}» được lưu dưới dạng chữ; đã đọc là số. Nên định dạng ô là "
        "số.",
        'The "{field}" cell holds the number "{value}" stored as text; it was read as a '
        "number. Format the cell as a number.",
    ),
    IssueType(
        "not-a-whole-number",
        E,
        "Không phải số nguyên",
        "Not a whole number",
        "Ô «{field}» phải là số nguyên nhưng chứa {value}. Hãy nhập số nguyên (số phiếu, số người).",
        'The "{field}" cell must be a whole number but holds {value}. Type a whole number (ballots, '
        "people).",
    ),
    IssueType(
        "number-out-of-range",
        E,
        "Số ngoài khoảng cho phép",
        "Number out of range",
        "Giá trị {value} ở ô «{field}» nằm ngoài khoảng cho phép ({expected}). Hãy sửa lại.",
        'Value {value} in "{field}" is outside the allowed range ({expected}). Correct it.',
    ),
    IssueType(
        "percent-as-fraction",
        W,
        "Tỷ lệ phần trăm ghi dạng phân số",
        "A percentage stored as a fraction",
        "Ô «{field}» chứa {value} (Excel lưu «{expected}%» như vậy): đọc là {expected}%. Nếu đúng "
        "là dưới 1%, hãy ghi 0; nếu không, không cần sửa.",
        'The cell "{field}" holds {value} (how Excel stores "{expected}%"): read as {expected}%. '
        "If it really is under 1%, enter 0; otherwise nothing to do.",
    ),
    IssueType(
        "score-total-mismatch",
        E,
        "Tổng điểm không bằng tổng hai phần",
        "The total score is not the sum of its parts",
        "Ô «{field}» ghi {value} nhưng điểm tiêu chí chung cộng điểm kết quả thực hiện nhiệm vụ "
        "là {expected}. Hãy sửa một trong ba ô, hoặc để trống ô tổng để tự cộng.",
        'The cell "{field}" says {value} but common criteria plus task results make {expected}. '
        "Correct one of the three cells, or leave the total blank to have it added up.",
    ),
    IssueType(
        "not-a-date",
        E,
        "Không phải là ngày",
        "Not a date",
        "Ô «{field}» phải là ngày nhưng chứa «{value}». Hãy nhập ngày theo dạng ngày/tháng/năm, "
        "ví dụ 18/12/2023.",
        'The "{field}" cell must be a date but holds "{value}". Type a date as day/month/year, '
        "e.g. 18/12/2023.",
    ),
    IssueType(
        "date-as-text",
        W,
        "Ngày được lưu dưới dạng chữ",
        "Date stored as text",
        "Ô «{field}» chứa ngày «{value}» dưới dạng chữ; đã đọc là ngày {expected}. Nên định dạng "
        "ô là ngày.",
        'The "{field}" cell holds the date "{value}" as text; it was read as {expected}. '
        "Format the cell as a date.",
    ),
    IssueType(
        "date-outside-year",
        E,
        "Ngày ngoài năm đánh giá",
        "Date outside the rating year",
        "Ngày {value} ở ô «{field}» không thuộc năm đánh giá {expected}. Hãy kiểm tra lại năm.",
        'Date {value} in "{field}" is not in rating year {expected}. Check the year.',
    ),
    IssueType(
        "meeting-late",
        W,
        "Hội nghị sau thời hạn",
        "Meeting after the deadline",
        "Ngày họp {value} sau thời hạn {expected} (chỉ đơn vị đặc thù được hoàn thành trước "
        "15/01 năm sau). Hãy kiểm tra lại ngày họp.",
        "Meeting date {value} is after the deadline {expected} (only special units may finish "
        "before 15 January of the next year). Check the meeting date.",
    ),
    IssueType(
        "email-invalid",
        W,
        "Địa chỉ thư điện tử không hợp lệ",
        "Invalid e-mail address",
        "«{value}» không phải địa chỉ thư điện tử hợp lệ. Hãy sửa lại để gửi được biểu mẫu.",
        '"{value}" is not a valid e-mail address. Correct it so that workbooks can be sent.',
    ),
    # -- members against the roster -------------------------------------------------------------
    IssueType(
        "member-missing",
        E,
        "Thiếu đảng viên",
        "Member missing",
        "Đảng viên {value} ({name}) có trong danh sách của chi bộ nhưng không có trong tệp. Hãy "
        "dùng biểu mẫu gốc, không xóa dòng.",
        "Member {value} ({name}) is on the cell's roster but not in the file. Use the original "
        "workbook; do not delete rows.",
    ),
    IssueType(
        "member-added",
        E,
        "Đảng viên không có trong danh sách",
        "Member not on the roster",
        "Mã đảng viên «{value}» không có trong danh sách của chi bộ. Nếu là đảng viên mới chuyển "
        "đến, hãy báo cấp trên bổ sung danh sách và tạo lại biểu mẫu.",
        'Member ID "{value}" is not on the cell\'s roster. If the member transferred in, ask the '
        "higher committee to update the roster and make a new workbook.",
    ),
    IssueType(
        "member-from-other-cell",
        E,
        "Đảng viên của chi bộ khác",
        "Member of another cell",
        "Đảng viên {value} ({name}) thuộc chi bộ {other}, không thuộc chi bộ này. Hãy kiểm tra "
        "lại tệp có đúng của chi bộ mình không.",
        "Member {value} ({name}) belongs to cell {other}, not to this cell. Check that the file "
        "is this cell's.",
    ),
    IssueType(
        "member-duplicated",
        E,
        "Đảng viên bị lặp",
        "Member listed twice",
        "Mã đảng viên «{value}» xuất hiện nhiều lần (lần đầu ở dòng {first_row}). Hãy xóa dòng "
        "lặp.",
        'Member ID "{value}" appears more than once (first at row {first_row}). Delete the '
        "duplicate row.",
    ),
    IssueType(
        "member-id-missing",
        E,
        "Dòng không có mã đảng viên",
        "Row without a member ID",
        "Dòng {value} có số liệu nhưng không có mã đảng viên nên không biết của ai. Hãy dùng biểu "
        "mẫu gốc, không sửa cột mã đảng viên.",
        "Row {value} has data but no member ID, so it belongs to nobody. Use the original "
        "workbook; do not edit the member ID column.",
    ),
    IssueType(
        "member-name-changed",
        W,
        "Họ tên khác danh sách",
        "Name differs from the roster",
        "Họ tên «{value}» khác với danh sách («{expected}»). Nếu danh sách sai, hãy báo cấp trên "
        "sửa.",
        'Name "{value}" differs from the roster ("{expected}"). If the roster is wrong, tell the '
        "higher committee.",
    ),
    # -- ratings ----------------------------------------------------------------------------------
    IssueType(
        "rating-missing",
        E,
        "Chưa xếp loại",
        "No rating and no reason",
        "Đảng viên {value} chưa có mức «{field}» và cũng không có lý do không xếp loại. Hãy chọn "
        "mức xếp loại, hoặc chọn lý do.",
        'Member {value} has no "{field}" and no reason for not being rated. Choose a level, '
        "or a reason.",
    ),
    IssueType(
        "rating-for-not-rated",
        E,
        "Xếp loại đảng viên không được xếp loại",
        "Rating for a member who is not rated",
        "Đảng viên {value} có lý do «{reason}» nhưng vẫn có «{field}». Đảng viên miễn công tác và "
        "sinh hoạt đảng, đình chỉ sinh hoạt, kết nạp chưa đủ 6 tháng không được xếp loại. Hãy "
        "xóa giá trị này hoặc bỏ lý do.",
        'Member {value} has the reason "{reason}" yet a "{field}". Exempt, suspended and '
        "newly admitted members are not rated. Clear the value or the reason.",
    ),
    # -- meeting and ballots ----------------------------------------------------------------------
    IssueType(
        "official-total-mismatch",
        E,
        "Tổng số đảng viên chính thức không khớp",
        "Official member count differs from the roster",
        "Tổng số đảng viên chính thức ghi {value}, nhưng danh sách chi bộ có {expected} đảng viên "
        "chính thức. Hãy kiểm tra lại.",
        "The official member count is {value}, but the cell's roster has {expected} official "
        "members. Check it.",
    ),
    IssueType(
        "probationary-counted",
        E,
        "Tính cả đảng viên dự bị vào số biểu quyết",
        "Probationary members counted among voters",
        "«{field}» là {value}, đã tính cả {count} đảng viên dự bị. Đảng viên dự bị không có quyền "
        "biểu quyết; hãy chỉ tính đảng viên chính thức.",
        '"{field}" is {value}, which counts the {count} probationary members too. Probationary '
        "members may not vote; count official members only.",
    ),
    IssueType(
        "present-exceeds-convened",
        E,
        "Số có mặt lớn hơn số triệu tập",
        "More present than convened",
        "Số đảng viên chính thức có mặt ({value}) lớn hơn số được triệu tập ({expected} = tổng "
        "số chính thức trừ số không tính). Hãy kiểm tra lại.",
        "Official members present ({value}) exceed those convened ({expected} = official members "
        "minus those not counted). Check the numbers.",
    ),
    IssueType(
        "present-exceeds-roster",
        E,
        "Số có mặt lớn hơn danh sách",
        "More present than on the roster",
        "«{field}» là {value}, lớn hơn số trong danh sách chi bộ ({expected}). Hãy kiểm tra lại.",
        '"{field}" is {value}, more than the cell\'s roster has ({expected}). Check it.',
    ),
    IssueType(
        "quorum-not-met",
        W,
        "Hội nghị không đủ số lượng",
        "Quorum not met",
        "Chỉ có {value}/{expected} đảng viên chính thức được triệu tập có mặt, dưới mức tối "
        "thiểu {quorum}. Hãy kiểm tra lại số liệu, hoặc báo cáo cấp trên.",
        "Only {value}/{expected} convened official members were present, below the minimum "
        "{quorum}. Check the numbers, or report it to the higher committee.",
    ),
    IssueType(
        "ballots-returned-exceed-issued",
        E,
        "Phiếu thu vào nhiều hơn phiếu phát ra",
        "More ballots returned than issued",
        "Số phiếu thu vào ({value}) lớn hơn số phiếu phát ra ({expected}). Hãy kiểm tra lại.",
        "Ballots returned ({value}) exceed ballots issued ({expected}). Check the count.",
    ),
    IssueType(
        "ballots-sum-mismatch",
        E,
        "Phiếu thu vào khác hợp lệ cộng không hợp lệ",
        "Returned ≠ valid + invalid",
        "Số phiếu thu vào ({value}) khác số phiếu hợp lệ cộng không hợp lệ ({expected}). Hãy "
        "kiểm tra lại.",
        "Ballots returned ({value}) differ from valid plus invalid ballots ({expected}). Check "
        "the count.",
    ),
    IssueType(
        "ballots-exceed-voters",
        E,
        "Phiếu phát ra nhiều hơn số người biểu quyết",
        "More ballots than voters",
        "Số phiếu phát ra ({value}) lớn hơn số đảng viên chính thức có mặt ({expected}). Hãy "
        "kiểm tra lại.",
        "Ballots issued ({value}) exceed the official members present ({expected}). Check the "
        "count.",
    ),
    IssueType(
        "votes-sum-mismatch",
        E,
        "Tổng số phiếu không khớp",
        "Votes do not add up",
        "Số phiếu các mức cộng số phiếu không chọn mức nào là {value}, nhưng phải bằng {expected} "
        "(số phiếu hợp lệ; khi biểu quyết giơ tay: số đảng viên chính thức có mặt). Hãy kiểm tra "
        "lại.",
        "Votes per level plus votes choosing no level add up to {value}, but must equal "
        "{expected} (the valid ballots; with a show of hands: the official members present). "
        "Check the count.",
    ),
    IssueType(
        "tally-papers-mismatch",
        E,
        "Kết quả kiểm phiếu khác phiếu bầu",
        "Tally differs from the ballot papers",
        "Trang «Kiểm phiếu» ghi {value} phiếu «{field}» cho đảng viên {member}, nhưng đếm lại trên "
        "trang «Phiếu bầu» được {expected}. Hãy đối chiếu lại.",
        'The tally shows {value} votes "{field}" for member {member}, but recounting the ballot '
        "papers gives {expected}. Check them against each other.",
    ),
    IssueType(
        "papers-count-mismatch",
        E,
        "Số phiếu bầu khác số phiếu hợp lệ",
        "Number of papers differs from valid ballots",
        "Trang «Phiếu bầu» có {value} phiếu, nhưng số phiếu hợp lệ là {expected}. Hãy nhập đủ "
        "mỗi phiếu hợp lệ một dòng.",
        'The "Phiếu bầu" sheet has {value} papers, but there are {expected} valid ballots. Enter '
        "one row per valid ballot.",
    ),
    # -- the roster ---------------------------------------------------------------------------------
    IssueType(
        "unit-duplicated",
        E,
        "Mã tổ chức bị lặp",
        "Unit code listed twice",
        "Mã tổ chức «{value}» xuất hiện nhiều lần (lần đầu ở dòng {first_row}). Mỗi tổ chức một "
        "mã riêng; hãy sửa lại.",
        'Unit code "{value}" appears more than once (first at row {first_row}). Give each unit '
        "its own code.",
    ),
    IssueType(
        "unit-parent-unknown",
        E,
        "Không có tổ chức cấp trên",
        "Unknown parent unit",
        "Mã tổ chức cấp trên «{value}» không có trong trang «Tổ chức». Hãy sửa mã hoặc thêm tổ "
        "chức đó.",
        'Parent unit code "{value}" is not on the units sheet. Correct it or add that unit.',
    ),
    IssueType(
        "parent-cycle",
        E,
        "Quan hệ cấp trên bị vòng",
        "Parent links form a cycle",
        "Tổ chức «{value}» là cấp trên của chính nó qua chuỗi {expected}. Hãy sửa cột «Mã tổ "
        "chức cấp trên».",
        'Unit "{value}" is its own parent through {expected}. Correct the parent codes.',
    ),
    IssueType(
        "member-cell-unknown",
        E,
        "Chi bộ của đảng viên không có",
        "Member's cell unknown",
        "Mã chi bộ «{value}» của đảng viên {member} không phải một chi bộ trong trang «Tổ chức». "
        "Hãy sửa mã chi bộ.",
        'Cell code "{value}" of member {member} is not a cell on the units sheet. Correct the '
        "cell code.",
    ),
    IssueType(
        "subject-type-defaulted",
        W,
        "Đảng viên chưa ghi đối tượng (Mẫu 2A/2B/2C)",
        "Members without a subject type (form 2A/2B/2C)",
        "{value} đảng viên để trống cột «{field}» (đầu tiên: {member}): coi là Mẫu 2A nếu là cán "
        "bộ lãnh đạo, quản lý, còn lại Mẫu 2B. Hãy ghi đối tượng cho từng đảng viên: một số căn "
        "cứ xếp loại của QĐ 366-QĐ/TW Điều 11 khác nhau theo đối tượng.",
        '{value} members leave "{field}" blank (first: {member}): taken as form 2A for leaders '
        "and managers, form 2B for the others. Give each member's subject type: some grounds of "
        "QĐ 366-QĐ/TW Điều 11 differ by type.",
    ),
    IssueType(
        "cell-without-members",
        W,
        "Chi bộ không có đảng viên",
        "Cell without members",
        "Chi bộ {value} không có đảng viên nào trong danh sách. Hãy kiểm tra trang «Đảng viên».",
        "Cell {value} has no members on the roster. Check the members sheet.",
    ),
    IssueType(
        "head-duplicated",
        W,
        "Nhiều bí thư chi bộ",
        "More than one cell secretary",
        "Chi bộ {value} có {count} đảng viên được đánh dấu là bí thư chi bộ. Hãy chỉ đánh dấu một "
        "người.",
        "Cell {value} has {count} members marked as its secretary. Mark one only.",
    ),
    # -- the inbox ----------------------------------------------------------------------------------
    IssueType(
        "duplicate-file",
        E,
        "Chi bộ gửi trùng tệp",
        "Cell sent the file twice",
        "Chi bộ {unit} gửi {count} tệp «{kind}» khác nhau: {value}. Hãy giữ lại một tệp, hoặc "
        "chạy lại với --latest để dùng tệp lưu sau cùng.",
        'Cell {unit} sent {count} different "{kind}" files: {value}. Keep one, or run again '
        "with --latest to use the one saved last.",
    ),
    IssueType(
        "older-version-ignored",
        W,
        "Bỏ qua tệp cũ hơn",
        "Older file ignored",
        "Chi bộ {unit} gửi nhiều tệp «{kind}»; dùng tệp lưu sau cùng {expected}, bỏ qua {value}.",
        'Cell {unit} sent several "{kind}" files; using {expected}, saved last, and ignoring '
        "{value}.",
    ),
    IssueType(
        "identical-copy",
        W,
        "Tệp giống hệt tệp khác",
        "Identical copy",
        "Tệp {value} giống hệt tệp {expected}; chỉ tính một lần.",
        "File {value} is identical to {expected}; it is counted once.",
    ),
    IssueType(
        "workbook-missing",
        E,
        "Chi bộ chưa gửi biểu mẫu",
        "Workbook not received",
        "Chưa nhận được biểu mẫu «{kind}» của chi bộ {value} ({name}). Hãy đề nghị chi bộ gửi.",
        'No "{kind}" workbook has been received from cell {value} ({name}). Ask the cell to '
        "send it.",
    ),
    IssueType(
        "lock-file-ignored",
        W,
        "Bỏ qua tệp khóa của Excel",
        "Excel lock file ignored",
        "Tệp {value} là tệp khóa tạm của Excel (bảng tính đang mở), đã bỏ qua. Hãy đóng Excel "
        "rồi xóa tệp này.",
        "File {value} is an Excel lock file (the workbook is open); it was skipped. Close Excel "
        "and delete it.",
    ),
)

define(*_TYPES)

#: every code of this area, for the README table and the catalogue test
CODES: tuple[str, ...] = tuple(t.code for t in _TYPES)
