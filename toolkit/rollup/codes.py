"""Issue codes of the roll-up: packages that cannot be trusted, and what the higher level sees.

Every message names the package (``{package}``: its file or folder name) so that the higher
committee knows which committee to ask for a new copy. A package with an error is left out
whole, never partly used.
"""

from toolkit.catalogue import IssueType, define
from toolkit.model import Severity

E, W = Severity.ERROR, Severity.WARNING

_LEFT_OUT = "Gói này không được tổng hợp."
_LEFT_OUT_EN = "This package is left out."

define(
    IssueType(
        "rollup-package-unreadable",
        E,
        "Không đọc được gói kết quả của cấp dưới",
        "A subordinate committee's package cannot be read",
        "Không đọc được gói «{package}»: {reason}. " + _LEFT_OUT + " Hãy đề nghị cấp dưới gửi "
        "lại thư mục kết quả hoặc tệp .zip do «xeploai aggregate» hay «xeploai rollup» ghi ra.",
        "The package '{package}' cannot be read: {reason}. " + _LEFT_OUT_EN + " Ask the "
        "committee for the output folder or .zip written by 'xeploai aggregate' or "
        "'xeploai rollup' again.",
    ),
    IssueType(
        "rollup-package-unsafe",
        E,
        "Tệp .zip của gói kết quả không an toàn",
        "A package's .zip is unsafe",
        "Tệp nén «{package}» không an toàn nên không được mở: {reason}. " + _LEFT_OUT + " Hãy "
        "đề nghị cấp dưới nén lại đúng thư mục kết quả (không có liên kết, không có đường dẫn "
        "ra ngoài thư mục).",
        "The archive '{package}' is unsafe and was not opened: {reason}. " + _LEFT_OUT_EN + " "
        "Ask the committee to zip its output folder again (no links, no paths outside it).",
    ),
    IssueType(
        "rollup-manifest-invalid",
        E,
        "Gói kết quả thiếu manifest.json hoặc manifest.json không hợp lệ",
        "A package's manifest.json is missing or invalid",
        "Gói «{package}»: manifest.json {reason}. Không kiểm chứng được gói nên không tổng hợp. "
        "Hãy đề nghị cấp dưới gửi lại nguyên thư mục kết quả.",
        "Package '{package}': manifest.json {reason}. The package cannot be verified and is "
        "left out. Ask the committee to send its whole output folder again.",
    ),
    IssueType(
        "rollup-file-missing",
        E,
        "Thiếu tệp ghi trong manifest.json của gói",
        "A file listed in a package's manifest is missing",
        "Gói «{package}» thiếu tệp «{value}» ghi trong manifest.json. " + _LEFT_OUT + " Hãy đề "
        "nghị cấp dưới gửi lại nguyên thư mục kết quả.",
        "Package '{package}' lacks the file '{value}' its manifest lists. " + _LEFT_OUT_EN + " "
        "Ask the committee to send its whole output folder again.",
    ),
    IssueType(
        "rollup-file-mismatch",
        E,
        "Tệp trong gói đã bị thay đổi (SHA-256 không khớp manifest.json)",
        "A file of a package was changed (its SHA-256 does not match the manifest)",
        "Gói «{package}»: tệp «{value}» không khớp mã SHA-256 ghi trong manifest.json (tệp đã "
        "bị sửa hoặc hỏng sau khi cấp dưới ghi ra). " + _LEFT_OUT + " Hãy đề nghị cấp dưới gửi "
        "lại bản gốc.",
        "Package '{package}': the file '{value}' does not match the SHA-256 in its manifest "
        "(changed or damaged after it was written). " + _LEFT_OUT_EN + " Ask the committee for "
        "the original.",
    ),
    IssueType(
        "rollup-results-invalid",
        E,
        "ket-qua.json của gói không hợp lệ hoặc không khớp manifest.json",
        "A package's ket-qua.json is invalid or disagrees with its manifest",
        "Gói «{package}»: ket-qua.json {reason}. " + _LEFT_OUT + " Hãy đề nghị cấp dưới chạy "
        "lại và gửi lại nguyên thư mục kết quả.",
        "Package '{package}': ket-qua.json {reason}. " + _LEFT_OUT_EN + " Ask the committee to "
        "run again and send its whole output folder.",
    ),
    IssueType(
        "rollup-version-unsupported",
        E,
        "Gói do phiên bản xeploai không tương thích ghi ra",
        "A package was written by an incompatible xeploai version",
        "Gói «{package}» do xeploai {value} ghi ra; phiên bản này ({version}) chỉ đọc được gói "
        "của xeploai {major}.x. " + _LEFT_OUT + " Hãy dùng cùng một phiên bản ở các cấp.",
        "Package '{package}' was written by xeploai {value}; this version ({version}) reads "
        "packages of xeploai {major}.x only. " + _LEFT_OUT_EN + " Use one version at every "
        "level.",
    ),
    IssueType(
        "rollup-year-mixed",
        E,
        "Gói kết quả của năm khác",
        "A package is for another year",
        "Gói «{package}» là kết quả năm {value}, các gói khác là năm {year}. " + _LEFT_OUT + " "
        "Hãy kiểm tra cấp dưới đã gửi đúng kết quả năm {year}.",
        "Package '{package}' holds the results of {value}; the others are for {year}. "
        + _LEFT_OUT_EN
        + " Check that the committee sent its {year} results.",
    ),
    IssueType(
        "rollup-ruleset-mixed",
        E,
        "Gói kết quả theo bộ quy tắc khác",
        "A package was rated under another rule-set",
        "Gói «{package}» được xếp loại theo bộ quy tắc {value}, cấp này dùng {ruleset}. "
        + _LEFT_OUT
        + " Hãy kiểm tra năm đánh giá và phiên bản xeploai của cấp dưới.",
        "Package '{package}' was rated under rule-set {value}; this level uses {ruleset}. "
        + _LEFT_OUT_EN
        + " Check the committee's rating year and xeploai version.",
    ),
    IssueType(
        "rollup-overrides-differ",
        W,
        "Cấp dưới dùng tham số quy tắc của địa phương khác nhau",
        "Committees used different local rule parameters",
        "Gói «{package}» dùng tham số địa phương khác cấp này: {value} (cấp này: {expected}). "
        "Kết quả vẫn được tổng hợp; hãy kiểm tra cấp dưới áp dụng đúng hướng dẫn của cấp trên.",
        "Package '{package}' used other local parameters: {value} (this level: {expected}). "
        "Its results are still combined; check that the committee applied the higher level's "
        "guidance.",
    ),
    IssueType(
        "rollup-committee-duplicated",
        E,
        "Hai gói kết quả của cùng một tổ chức",
        "Two packages for the same organization",
        "Tổ chức {value} có hai gói kết quả: «{package}» và «{other}». Không biết gói nào đúng "
        "nên cả hai không được tổng hợp. Hãy giữ lại một gói (bản mới nhất) rồi chạy lại.",
        "The organization {value} has two packages: '{package}' and '{other}'. Neither is "
        "combined, as there is no telling which is right. Keep one (the latest) and run again.",
    ),
    IssueType(
        "rollup-committee-unknown",
        E,
        "Gói kết quả của tổ chức không có trong danh sách cấp này",
        "A package for an organization not in this level's roster",
        "Gói «{package}» là kết quả của tổ chức «{value}», không có trong danh sách tổ chức "
        "trực thuộc của cấp này. " + _LEFT_OUT + " Hãy kiểm tra gói gửi nhầm hoặc bổ sung tổ "
        "chức vào danh sách.",
        "Package '{package}' holds the results of '{value}', which is not in this level's list "
        "of subordinate organizations. "
        + _LEFT_OUT_EN
        + " Check for a package sent by mistake, or add the organization to the roster.",
    ),
    IssueType(
        "rollup-committee-missing",
        W,
        "Tổ chức trực thuộc chưa gửi kết quả",
        "A subordinate organization has not reported",
        "{value} ({name}) chưa có gói kết quả được tổng hợp. Số liệu cấp này chưa đầy đủ; hãy "
        "nhắc tổ chức gửi thư mục kết quả hoặc tệp .zip rồi chạy lại.",
        "{value} ({name}) has no package combined. This level's figures are incomplete; remind "
        "the organization to send its output folder or .zip, and run again.",
    ),
    IssueType(
        "rollup-proposed-only",
        W,
        "Kết quả của cấp dưới mới là đề xuất, chưa có quyết định",
        "A committee's results are proposals, not yet decided",
        "Gói «{package}» ({value}) chưa áp dụng quyết định của cấp có thẩm quyền: số liệu của "
        "tổ chức này là mức đề xuất và được ghi rõ «đề xuất» trong tổng hợp.",
        "Package '{package}' ({value}) has no decision of the competent level applied: its "
        "figures are proposals and are labelled so in the summary.",
    ),
    IssueType(
        "rollup-below-incomplete",
        W,
        "Số liệu của cấp dưới chưa đầy đủ",
        "A committee's own figures are incomplete",
        "Gói «{package}» ({value}) mới tổng hợp {reported}/{committees} tổ chức trực thuộc của "
        "nó; số liệu được dùng như đã gửi. Hãy đề nghị cấp đó tổng hợp đủ rồi gửi lại.",
        "Package '{package}' ({value}) combines only {reported} of its {committees} "
        "organizations; its figures are used as sent. Ask that committee to combine all of "
        "them and send the package again.",
    ),
    IssueType(
        "rollup-org-quota-over",
        W,
        "Số tổ chức HTXSNV vượt tỷ lệ trong nhóm loại hình",
        "Organizations rated HTXSNV above the ceiling in a type group",
        "Nhóm «{value}»: {n_htxsnv} tổ chức HTXSNV, vượt mức tối đa {ceiling} ({ratio} số tổ "
        "chức HTTNV: {n_httnv}). Cấp này xem xét lại theo quy định.",
        "Group '{value}': {n_htxsnv} organizations HTXSNV, above the ceiling of {ceiling} "
        "({ratio} of the {n_httnv} rated HTTNV). This level reviews it as the rules require.",
    ),
)
