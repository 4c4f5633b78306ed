"""Issue codes of the engine area: what the rules find in a cell's (well-formed) return.

Messages name the member or the cell, the rule they come from (``{rule}``: its code and clause)
and end with what to do. Every field is filled in the right language by ``engine.issues``.
"""

from toolkit.catalogue import IssueType, define
from toolkit.model import Severity

E, W = Severity.ERROR, Severity.WARNING

define(
    # --- the vote (R11–R14) ------------------------------------------------------------------
    IssueType(
        "vote-tie",
        W,
        "Hòa phiếu khi biểu quyết xếp loại đảng viên",
        "Tie in the vote on a member's rating",
        "Đảng viên {name}: {levels} hòa phiếu ({votes}). Kết quả không được tự quyết định: "
        "báo cáo cấp ủy cấp trên xem xét hoặc chi bộ biểu quyết lại ({rule}).",
        "Member {name}: {levels} tie ({votes}). The result is not decided automatically: "
        "report it to the higher committee or hold the vote again ({rule}).",
        case="Hòa phiếu",
    ),
    IssueType(
        "vote-no-level-carried",
        W,
        "Không mức nào đạt đủ số phiếu",
        "No level carried the vote",
        "Đảng viên {name}: không mức xếp loại nào được quá {threshold} số {basis}{cumulative} "
        "(cao nhất {best}). Báo cáo cấp ủy cấp trên xem xét hoặc chi bộ biểu quyết lại ({rule}).",
        "Member {name}: no level got more than {threshold} of {basis}{cumulative} "
        "(best {best}). Report it to the higher committee or hold the vote again ({rule}).",
        case="Không mức nào đạt",
    ),
    IssueType(
        "cell-vote-tie",
        W,
        "Hòa phiếu khi biểu quyết xếp loại chi bộ",
        "Tie in the vote on the cell's rating",
        "{cell}: khi biểu quyết xếp loại chi bộ, {levels} hòa phiếu ({votes}). Báo cáo cấp ủy "
        "cấp trên xem xét ({rule}).",
        "{cell}: in the vote on the cell's rating, {levels} tie ({votes}). Report it to the "
        "higher committee ({rule}).",
        case="Chi bộ: hòa phiếu",
    ),
    IssueType(
        "cell-vote-no-level-carried",
        W,
        "Không mức nào đạt khi biểu quyết xếp loại chi bộ",
        "No level carried the vote on the cell",
        "{cell}: khi biểu quyết xếp loại chi bộ, không mức nào được quá {threshold} số {basis}"
        "{cumulative} (cao nhất {best}). Báo cáo cấp ủy cấp trên xem xét ({rule}).",
        "{cell}: in the vote on the cell's rating, no level got more than {threshold} of "
        "{basis}{cumulative} (best {best}). Report it to the higher committee ({rule}).",
        case="Chi bộ: không mức nào đạt",
    ),
    IssueType(
        "meeting-conclusion-unsupported",
        W,
        "Kết luận của hội nghị không được số phiếu ủng hộ",
        "The meeting's conclusion is not supported by the tally",
        "Đảng viên {name}: hội nghị kết luận {conclusion}, nhưng theo ngưỡng quá {threshold} số "
        "{basis} thì số phiếu {tally}. Kết luận được giữ làm mức đề xuất, không bị thay; cấp ủy "
        "cấp trên xem xét ({rule}).",
        "Member {name}: the meeting concluded {conclusion}, but under the threshold of more "
        "than {threshold} of {basis} the tally {tally}. The conclusion stands as the proposal "
        "and is not replaced; the higher committee decides ({rule}).",
        case="Kết luận của hội nghị không khớp số phiếu",
    ),
    IssueType(
        "meeting-conclusion-missing",
        W,
        "Thiếu kết luận của hội nghị",
        "The meeting's conclusion is missing",
        "Đảng viên {name}: cột «Kết luận của hội nghị» để trống, nên mức đề xuất được tính từ "
        "số phiếu ({rule}). Hãy ghi kết luận của hội nghị.",
        "Member {name}: the «Kết luận của hội nghị» column is empty, so the proposal comes from "
        "the tally ({rule}). Enter the meeting's conclusion.",
    ),
    IssueType(
        "meeting-conclusion-differs",
        W,
        "Kết luận của hội nghị khác mức tính từ số phiếu",
        "The meeting's conclusion differs from the tally",
        "Đảng viên {name}: hội nghị kết luận {conclusion}, còn số phiếu {tally}. Mức đề xuất "
        "tính từ số phiếu ({rule}); hãy kiểm tra lại biên bản.",
        "Member {name}: the meeting concluded {conclusion}, while the tally {tally}. The "
        "proposal comes from the tally ({rule}); check the minutes.",
    ),
    IssueType(
        "vote-denominator-zero",
        E,
        "Mẫu số biểu quyết bằng 0",
        "The vote denominator is 0",
        "{cell}: mẫu số biểu quyết (số {basis}) là {value}, nên không tính được tỷ lệ phiếu. "
        "Hãy ghi đủ số liệu hội nghị trong biên bản kiểm phiếu.",
        "{cell}: the vote denominator (the number of {basis}) is {value}, so no share can be "
        "computed. Fill in the meeting figures of the ballot workbook.",
    ),
    IssueType(
        "votes-exceed-voters",
        E,
        "Số phiếu nhiều hơn số đảng viên chính thức có mặt",
        "More votes than official members present",
        "{cell}: {count} đảng viên có tổng số phiếu nhiều hơn {present} đảng viên chính thức có "
        "mặt ({examples}). Đảng viên dự bị không biểu quyết ({rule}): hãy kiểm lại phiếu.",
        "{cell}: members with more votes in total than the {present} official members "
        "present: {count} ({examples}). Probationary members do not vote ({rule}): recount "
        "the ballots.",
    ),
    IssueType(
        "votes-exceed-denominator",
        E,
        "Số phiếu nhiều hơn mẫu số biểu quyết",
        "More votes than the vote denominator",
        "{cell}: {count} đảng viên ({examples}) có tổng số phiếu nhiều hơn mẫu số biểu quyết "
        "là {denominator} {basis}. Hãy kiểm lại số phiếu và số liệu hội nghị.",
        "{cell}: members with more votes in total than the vote denominator of "
        "{denominator} {basis}: {count} ({examples}). Check the votes and the meeting figures.",
    ),
    IssueType(
        "member-not-voted",
        E,
        "Đảng viên được xếp loại nhưng không có kết quả biểu quyết",
        "A rated member has no vote result",
        "Đảng viên {name} được xếp loại nhưng không có kết quả biểu quyết. Hãy ghi số phiếu "
        "trong biên bản kiểm phiếu, hoặc ghi lý do không xếp loại trong phiếu tự đánh giá.",
        "Member {name} is rated but has no vote result. Enter the votes in the ballot "
        "workbook, or give the reason for not rating in the self-assessment workbook.",
    ),
    IssueType(
        "tally-for-unknown-member",
        E,
        "Kết quả biểu quyết cho người không có trong danh sách chi bộ",
        "Votes for someone not on the cell's roster",
        "{cell}: biên bản kiểm phiếu có kết quả cho mã đảng viên {value}, không có trong danh "
        "sách chi bộ; số phiếu này không được tính. Hãy kiểm tra mã đảng viên.",
        "{cell}: the ballot workbook has votes for member id {value}, who is not on the cell's "
        "roster; they are not counted. Check the member id.",
    ),
    IssueType(
        "assessment-for-unknown-member",
        E,
        "Phiếu tự đánh giá của người không có trong danh sách chi bộ",
        "Self-assessment for someone not on the cell's roster",
        "{cell}: phiếu tự đánh giá có dòng cho mã đảng viên {value}, không có trong danh sách "
        "chi bộ; dòng này không được tính. Hãy kiểm tra mã đảng viên.",
        "{cell}: the self-assessment workbook has a row for member id {value}, who is not on "
        "the cell's roster; it is not counted. Check the member id.",
    ),
    # --- who is rated (R3, R18) ---------------------------------------------------------------
    IssueType(
        "excluded-member-rated",
        E,
        "Xếp loại đảng viên thuộc diện không kiểm điểm, xếp loại",
        "A rating given to a member who must not be rated",
        "Đảng viên {name} thuộc diện không kiểm điểm, xếp loại ({reason}) nhưng có {given}. "
        "Hãy bỏ mức xếp loại, điểm và phiếu của đảng viên này, hoặc sửa lý do ({rule}).",
        "Member {name} must not be rated ({reason}) but has {given}. Remove the level, score "
        "and votes of this member, or correct the reason ({rule}).",
    ),
    IssueType(
        "new-member-rated",
        E,
        "Đảng viên kết nạp chưa đủ thời gian được xếp loại",
        "A member admitted too recently is rated",
        "Đảng viên {name} kết nạp ngày {admitted}, đến ngày {reference} chưa đủ {months} tháng "
        "nên không kiểm điểm, xếp loại ({rule}). Hãy ghi lý do không xếp loại là kết nạp chưa "
        "đủ {months} tháng, hoặc sửa ngày kết nạp.",
        "Member {name} was admitted on {admitted}, less than {months} months before "
        "{reference}, so is neither reviewed nor rated ({rule}). Give 'admitted less than "
        "{months} months ago' as the reason, or correct the admission date.",
    ),
    IssueType(
        "not-rated-member-voted",
        W,
        "Có phiếu biểu quyết cho đảng viên không xếp loại",
        "Votes for a member who is not rated",
        "Đảng viên {name} không xếp loại tại hội nghị này ({reason}) nhưng có {value} phiếu "
        "biểu quyết; số phiếu này không được tính. Nếu đảng viên đã được đánh giá, hãy xóa lý do "
        "không xếp loại ({rule}).",
        "Member {name} is not rated at this meeting ({reason}) but got {value} votes; they "
        "are not counted. If the member was in fact rated, remove the reason ({rule}).",
    ),
    # --- caps (R5–R7, R15, R17) ---------------------------------------------------------------
    IssueType(
        "capped-by-discipline",
        E,
        "Đảng viên bị kỷ luật trong năm được đề xuất cao hơn KHTNV",
        "A member disciplined in the year proposed above KHTNV",
        "Đảng viên {name} bị xử lý kỷ luật trong năm nhưng được biểu quyết {value}: mức đề xuất "
        "hạ xuống KHTNV ({rule}). Nếu đảng viên tự phát hiện và khắc phục xong hậu quả, hoặc vi "
        "phạm đã tính khi xếp loại năm trước, hãy ghi rõ trong phiếu tự đánh giá.",
        "Member {name} was disciplined during the year but the vote carried {value}: the "
        "proposal is lowered to KHTNV ({rule}). If the member self-detected and remedied the "
        "violation, or it was counted in an earlier year, say so in the self-assessment.",
    ),
    IssueType(
        "capped-by-khtnv-ground",
        E,
        "Đảng viên có căn cứ KHTNV được đề xuất cao hơn",
        "A member with a ground for KHTNV proposed higher",
        "Đảng viên {name} có căn cứ xếp loại KHTNV (suy thoái, dưới 50% chỉ tiêu hoặc vi phạm "
        "những điều đảng viên không được làm) nhưng được biểu quyết {value}: mức đề xuất hạ "
        "xuống KHTNV ({rule}). Hãy kiểm tra lại căn cứ này trong phiếu tự đánh giá.",
        "Member {name} has a ground for KHTNV (degradation, under 50% of targets, or a breach "
        "of what members may not do) but the vote carried {value}: the proposal is lowered to "
        "KHTNV ({rule}). Check this ground in the self-assessment.",
    ),
    IssueType(
        "capped-by-sick-leave",
        W,
        "Nghỉ ốm dài ngày được đề xuất HTTNV trở lên",
        "Long sick leave proposed HTTNV or above",
        "Đảng viên {name} nghỉ ốm {months} tháng trong năm (từ {limit} tháng trở lên không xếp "
        "loại HTTNV trở lên) nhưng được biểu quyết {value}: mức đề xuất hạ xuống HTNV ({rule}). "
        "Nghỉ thai sản không tính là nghỉ ốm: hãy kiểm tra số tháng đã ghi.",
        "Member {name} was on sick leave for {months} months in the year ({limit} months or "
        "more rules out HTTNV and above) but the vote carried {value}: the proposal is lowered "
        "to HTNV ({rule}). Maternity leave is not sick leave: check the months entered.",
    ),
    IssueType(
        "capped-by-shortcomings",
        E,
        "Chưa khắc phục hết hạn chế, khuyết điểm kỳ trước mà được đề xuất HTXSNV",
        "Proposed HTXSNV with shortcomings of the previous review not all remedied",
        "Đảng viên {name} chưa khắc phục 100% hạn chế, khuyết điểm được chỉ ra ở kỳ kiểm điểm "
        "trước nhưng được biểu quyết {value}: mức đề xuất hạ xuống HTTNV ({rule}). Hãy kiểm tra "
        "cột «Đã khắc phục 100% hạn chế, khuyết điểm kỳ trước».",
        "Member {name} has not remedied all the shortcomings named at the previous review but "
        "the vote carried {value}: the proposal is lowered to HTTNV ({rule}). Check the column "
        "on the previous review's shortcomings.",
    ),
    IssueType(
        "capped-by-tasks-not-completed",
        E,
        "Trên 50% nhiệm vụ không hoàn thành mà được đề xuất cao hơn KHTNV",
        "More than half the tasks not completed, proposed above KHTNV",
        "Đảng viên {name} có {percent}% số nhiệm vụ trong năm không hoàn thành (trên {limit}) "
        "nhưng được biểu quyết {value}: mức đề xuất hạ xuống KHTNV ({rule}). Hãy kiểm tra tỷ lệ "
        "đã ghi.",
        "Member {name} did not complete {percent}% of the year's tasks (more than {limit}) but "
        "the vote carried {value}: the proposal is lowered to KHTNV ({rule}). Check the share "
        "entered.",
    ),
    IssueType(
        "capped-by-low-confidence",
        E,
        "Trên 50% phiếu tín nhiệm thấp mà được đề xuất cao hơn KHTNV",
        "More than half low-confidence votes, proposed above KHTNV",
        "Đảng viên {name} giữ chức vụ lãnh đạo, quản lý có {percent}% phiếu tín nhiệm thấp "
        "(trên {limit}) nhưng được biểu quyết {value}: mức đề xuất hạ xuống KHTNV ({rule}). Hãy "
        "kiểm tra tỷ lệ đã ghi.",
        "Member {name}, a leader, got {percent}% low-confidence votes (more than {limit}) but "
        "the vote carried {value}: the proposal is lowered to KHTNV ({rule}). Check the share "
        "entered.",
    ),
    IssueType(
        "discipline-remedied-for-decision",
        W,
        "Bị kỷ luật nhưng tự giác khắc phục: cấp có thẩm quyền quyết định",
        "Disciplined but self-remedied: for the competent level to decide",
        "Đảng viên {name} bị xử lý kỷ luật trong năm, đã tự giác nhận lỗi, tự phát hiện và khắc "
        "phục xong hậu quả: không tự động miễn xếp loại KHTNV, nhưng kỷ luật cũng không tự hạ "
        "mức đề xuất; cấp có thẩm quyền xem xét, quyết định mức xếp loại ({rule}).",
        "Member {name} was disciplined during the year, owned up, found the violation and "
        "remedied it: this is no automatic exemption from KHTNV, nor does the discipline lower "
        "the proposal by itself; the competent level decides the rating ({rule}).",
        case="Bị kỷ luật, đã tự giác khắc phục",
    ),
    IssueType(
        "condition-not-for-subject-type",
        W,
        "Tỷ lệ ghi cho đối tượng không áp dụng",
        "A share given for a subject type it does not apply to",
        "Đảng viên {name}, đối tượng «{subject}», có ghi tỷ lệ {what} là {value}%, nhưng căn "
        "cứ này không "
        "áp dụng cho đối tượng này nên không được xét ({rule}). Hãy kiểm tra đối tượng trong "
        "danh sách đảng viên hoặc xóa tỷ lệ.",
        'Member {name}, of the type "{subject}", has a share {what} of {value}%, but that '
        "ground does not "
        "apply to this subject type and is not used ({rule}). Check the subject type on the "
        "roster or delete the share.",
    ),
    IssueType(
        "capped-by-head-rule",
        W,
        "Người đứng đầu được đề xuất cao hơn mức của chi bộ",
        "The head proposed above the cell's level",
        "Đảng viên {name} là người đứng đầu chi bộ, được biểu quyết {value}, cao hơn mức của "
        "chi bộ ({cell_level}): mức đề xuất hạ xuống {cell_level} ({rule}).",
        "Member {name} heads the cell and the vote carried {value}, above the cell's level "
        "({cell_level}): the proposal is lowered to {cell_level} ({rule}).",
        case="Người đứng đầu cao hơn chi bộ",
    ),
    IssueType(
        "cell-capped-by-discipline",
        E,
        "Chi bộ bị kỷ luật trong năm được đề xuất cao hơn KHTNV",
        "A cell disciplined in the year proposed above KHTNV",
        "{cell}: chi bộ bị thi hành kỷ luật trong năm nhưng được biểu quyết {value}: mức đề "
        "xuất hạ xuống KHTNV ({rule}).",
        "{cell}: the cell was disciplined during the year but the vote carried {value}: the "
        "proposal is lowered to KHTNV ({rule}).",
    ),
    # --- scores (R22, QĐ 366) ---------------------------------------------------------------
    IssueType(
        "member-score-missing",
        E,
        "Thiếu điểm tự đánh giá của đảng viên",
        "A member's self-score is missing",
        "Đảng viên {name} chưa có điểm tự đánh giá (thang điểm 100, {rule}). Hãy ghi điểm.",
        "Member {name} has no self-score (100-point scale, {rule}). Enter the score.",
    ),
    IssueType(
        "member-score-outside-scale",
        E,
        "Điểm của đảng viên ngoài thang 0–100",
        "A member's score is outside 0–100",
        "Đảng viên {name} có điểm {score}, ngoài thang điểm 0–100. Hãy sửa điểm.",
        "Member {name} has the score {score}, outside the 0–100 scale. Correct the score.",
    ),
    IssueType(
        "member-score-band-mismatch",
        W,
        "Mức biểu quyết không khớp khung điểm",
        "The voted level does not match the score band",
        "Đảng viên {name}: điểm {score} thuộc khung {band_level} ({band}) nhưng biểu quyết "
        "{voted} ({rule}). Hãy kiểm tra lại điểm hoặc kết quả biểu quyết.",
        "Member {name}: the score {score} falls in the {band_level} band ({band}) but the "
        "vote carried {voted} ({rule}). Check the score or the vote.",
    ),
    IssueType(
        "cell-score-missing",
        E,
        "Thiếu điểm tự đánh giá của chi bộ",
        "The cell's self-score is missing",
        "{cell}: chưa có điểm tự đánh giá của chi bộ (thang điểm 100, {rule}). Hãy ghi điểm.",
        "{cell}: the cell's self-score is missing (100-point scale, {rule}). Enter the score.",
    ),
    IssueType(
        "cell-score-outside-scale",
        E,
        "Điểm của chi bộ ngoài thang 0–100",
        "The cell's score is outside 0–100",
        "{cell}: điểm tự đánh giá của chi bộ là {score}, ngoài thang điểm 0–100. Hãy sửa điểm.",
        "{cell}: the cell's self-score is {score}, outside the 0–100 scale. Correct the score.",
    ),
    IssueType(
        "cell-score-band-mismatch",
        W,
        "Mức của chi bộ không khớp khung điểm",
        "The cell's level does not match its score band",
        "{cell}: điểm {score} thuộc khung {band_level} ({band}) nhưng mức của chi bộ là "
        "{voted} ({rule}). Hãy kiểm tra lại điểm hoặc kết quả biểu quyết.",
        "{cell}: the score {score} falls in the {band_level} band ({band}) but the cell's "
        "level is {voted} ({rule}). Check the score or the vote.",
    ),
    # --- the meeting -------------------------------------------------------------------------
    IssueType(
        "meeting-below-quorum",
        W,
        "Hội nghị không đủ số đảng viên chính thức có mặt",
        "Not enough official members present",
        "{cell}: có mặt {present}/{convened} đảng viên chính thức được triệu tập, cần ít nhất "
        "{needed} ({share}) để hội nghị hợp lệ ({rule}).",
        "{cell}: {present} of {convened} convened official members were present; at least "
        "{needed} ({share}) are needed for a valid meeting ({rule}).",
    ),
    IssueType(
        "not-counted-disagrees",
        W,
        "Số không tính vào số triệu tập khác với biểu mẫu tự đánh giá",
        "Members not counted as convened disagree with the self-assessment",
        "{cell}: biên bản ghi {typed} đảng viên chính thức không tính vào số triệu tập, còn "
        "biểu mẫu tự đánh giá có {listed} đảng viên chính thức được miễn công tác và sinh hoạt "
        "đảng hoặc bị đình chỉ sinh hoạt đảng ({names}). Số này quyết định mẫu số biểu quyết: "
        "hãy đối chiếu hai biểu mẫu (người được miễn mà vẫn dự họp thì vẫn tính; người sinh "
        "hoạt tạm thời nơi khác thì không tính).",
        "{cell}: the ballot form records {typed} official members not counted as convened, "
        "while the self-assessment lists {listed} official members exempt from work and "
        "activities or suspended ({names}). This number decides the vote denominator: compare "
        "the two forms (an exempt member who attended still counts; one on temporary activity "
        "elsewhere does not).",
    ),
    IssueType(
        "meeting-quorum-unknown",
        W,
        "Không kiểm tra được số có mặt của hội nghị",
        "The meeting's attendance cannot be checked",
        "{cell}: số đảng viên chính thức được triệu tập (trừ người không tính) là {value}, nên "
        "không kiểm tra được hội nghị có đủ người không ({rule}). Hãy ghi số liệu hội nghị.",
        "{cell}: the number of convened official members (less those not counted) is {value}, "
        "so the attendance cannot be checked ({rule}). Fill in the meeting figures.",
    ),
    IssueType(
        "meeting-after-deadline",
        W,
        "Hội nghị xếp loại họp sau thời hạn",
        "The rating meeting was held after the deadline",
        "{cell}: hội nghị họp ngày {held}, sau thời hạn {deadline} ({rule}). Hãy kiểm tra ngày "
        "họp.",
        "{cell}: the meeting was held on {held}, after the deadline of {deadline} ({rule}). "
        "Check the meeting date.",
    ),
    IssueType(
        "meeting-before-rating-year",
        W,
        "Ngày hội nghị trước năm đánh giá",
        "The meeting date is before the rating year",
        "{cell}: hội nghị họp ngày {held}, trước năm đánh giá {year}. Hãy kiểm tra ngày họp "
        "và năm đánh giá.",
        "{cell}: the meeting was held on {held}, before the rating year {year}. Check the "
        "meeting date and the rating year.",
    ),
    IssueType(
        "cell-not-voted",
        W,
        "Chưa có mức xếp loại của chi bộ",
        "The cell has no level",
        "{cell}: chưa có kết quả biểu quyết xếp loại chi bộ và không ghi mức tự xếp loại. Hãy "
        "ghi kết quả biểu quyết xếp loại chi bộ trong biên bản kiểm phiếu.",
        "{cell}: there is no vote on the cell's rating and no self-proposed level. Enter the "
        "vote on the cell in the ballot workbook.",
    ),
    IssueType(
        "cell-htxsnv-conditions-not-met",
        W,
        "Chi bộ đề xuất HTXSNV chưa đủ điều kiện về kết quả đảng viên",
        "A cell proposed HTXSNV without the member results it needs",
        "{cell}: đề xuất HTXSNV nhưng {broken} ({rule}). Cấp trên xem xét lại mức của chi bộ.",
        "{cell}: proposed HTXSNV but {broken} ({rule}). The higher committee should review "
        "the cell's level.",
        case="Chi bộ đề xuất HTXSNV chưa đủ điều kiện",
    ),
    IssueType(
        "cell-not-in-tree",
        W,
        "Chi bộ không có trong cây tổ chức",
        "The cell is not in the org tree",
        "{cell}: không có trong cây tổ chức của danh sách, nên chỉ tiêu HTXSNV được xét riêng "
        "tại chi bộ. Hãy bổ sung chi bộ vào danh sách tổ chức.",
        "{cell}: not in the roster's org tree, so its HTXSNV quota is checked on its own. Add "
        "the cell to the roster.",
    ),
    # --- the quota (R8–R10) -----------------------------------------------------------------
    IssueType(
        "quota-exceeded",
        E,
        "Vượt tỷ lệ HTXSNV",
        "HTXSNV above the quota",
        "{scope}: {count} đảng viên đề xuất HTXSNV, vượt trần {ceiling} ({ratio} của {httnv} "
        "HTTNV) {over} người ({rule}). Cấp có thẩm quyền chỉ công nhận tối đa {ceiling} HTXSNV.",
        "{scope}: HTXSNV proposals {count}, that is {over} above the ceiling of {ceiling} "
        "({ratio} of {httnv} HTTNV) ({rule}). The competent committee may confirm at most "
        "{ceiling} HTXSNV.",
    ),
    IssueType(
        "quota-exceeded-advisory",
        W,
        "Tỷ lệ HTXSNV của chi bộ vượt trần (chỉ để tham khảo)",
        "The cell's HTXSNV ratio is above the ceiling (advisory)",
        "{scope}: {count} HTXSNV trên {httnv} HTTNV, quá trần {ceiling} ({ratio}) tại chi bộ. "
        "Chỉ tiêu được xét chung ở {parent}, nên đây chỉ là cảnh báo ({rule}).",
        "{scope}: {count} HTXSNV for {httnv} HTTNV, above the ceiling of {ceiling} ({ratio}) "
        "in the cell. The quota is decided for the whole of {parent}, so this is advisory "
        "({rule}).",
    ),
    IssueType(
        "quota-lowered-by-ranking",
        W,
        "Cấp trên quyết định HTTNV do vượt tỷ lệ HTXSNV",
        "Decided HTTNV by the quota ranking",
        "Đảng viên {name} đề xuất HTXSNV nhưng xếp thứ {rank} trong {scope}, ngoài trần "
        "{ceiling}: mức quyết định là HTTNV ({rule}).",
        "Member {name} was proposed HTXSNV but ranks {rank} in {scope}, beyond the ceiling "
        "of {ceiling}: the decided level is HTTNV ({rule}).",
        case="Ngoài trần HTXSNV (xếp hạng)",
    ),
    IssueType(
        "quota-ranking-tie",
        W,
        "Ngang nhau ở vị trí trần HTXSNV",
        "A tie at the HTXSNV ceiling",
        "{scope}: {names} ngang nhau về tỷ lệ phiếu HTXSNV và điểm ở vị trí trần {ceiling}; "
        "thứ tự hiện theo mã đảng viên. Cấp trên cần quyết định ({rule}).",
        "{scope}: {names} are level on HTXSNV vote share and score at the ceiling of "
        "{ceiling}; the order shown is by member id. The higher committee must decide ({rule}).",
        case="Bằng nhau khi xếp hạng HTXSNV",
    ),
    IssueType(
        "quota-scope-incomplete",
        W,
        "Thiếu kết quả của chi bộ trong phạm vi xét tỷ lệ",
        "Cells missing from a quota scope",
        "{scope}: chưa có kết quả của {count} chi bộ ({names}), nên tỷ lệ HTXSNV của toàn phạm "
        "vi chưa đầy đủ. Hãy đôn đốc các chi bộ gửi (hoặc sửa và gửi lại) hồ sơ.",
        "{scope}: no results yet from {count} cell(s) ({names}), so the HTXSNV ratio of the "
        "whole scope is incomplete. Ask those cells for their (corrected) returns.",
    ),
)

define(
    # --- the competent level's decisions (QĐ 366 Điều 12) --------------------------------------
    IssueType(
        "decision-unknown-row",
        E,
        "Quyết định cho đảng viên hoặc tổ chức không có trong kết quả",
        "A decision for a member or organization not in the results",
        "Dòng quyết định cho «{who}» không khớp với đảng viên hay tổ chức nào trong kết quả "
        "tổng hợp: không áp dụng. Dùng biểu mẫu quyết định lập từ chính kết quả này.",
        "The decision row for «{who}» matches no member or organization of the results: not "
        "applied. Use the decisions workbook made from these very results.",
    ),
    IssueType(
        "decision-proposal-changed",
        W,
        "Mức đề xuất đã thay đổi từ khi lập biểu mẫu quyết định",
        "The proposal changed since the decisions workbook was made",
        "{who}: biểu mẫu quyết định lập khi mức đề xuất là «{before}», nay là «{now}» (chi bộ "
        "đã gửi lại hồ sơ). Quyết định «{decided}» chưa được áp dụng: cấp có thẩm quyền xem lại "
        "với mức đề xuất mới.",
        "{who}: the decisions workbook was made when the proposal was «{before}», it is now "
        "«{now}» (the cell sent its files again). The decision «{decided}» is not applied: "
        "review it against the new proposal.",
    ),
    IssueType(
        "decision-for-not-rated",
        E,
        "Quyết định mức xếp loại cho đảng viên không xếp loại",
        "A level decided for a member who is not rated",
        "{who} không xếp loại năm nay ({reason}) nhưng được quyết định «{decided}»: không áp "
        "dụng. Để trống mức quyết định của dòng này.",
        "{who} is not rated this year ({reason}) but was decided «{decided}»: not applied. "
        "Leave the decided level of this row blank.",
    ),
    IssueType(
        "decision-reason-missing",
        E,
        "Thiếu lý do của quyết định",
        "The decision's reason is missing",
        "{who}: quyết định «{decided}» {why} nên phải ghi lý do: chưa áp dụng. Ghi lý do vào "
        "cột «Lý do».",
        "{who}: the decision «{decided}» {why}, so it needs a reason: not applied. Write "
        "the reason in the «Lý do» column.",
    ),
    IssueType(
        "decision-over-ceiling",
        E,
        "Số HTXSNV được quyết định vượt trần",
        "More HTXSNV decided than the ceiling allows",
        "{scope}: quyết định {n_htxsnv} HTXSNV trong khi trần là {ceiling} ({ratio} của "
        "{n_httnv} HTTNV). Cấp có thẩm quyền giảm số HTXSNV, hoặc ghi căn cứ được phép vượt "
        "trong tệp quy tắc.",
        "{scope}: {n_htxsnv} HTXSNV decided against a ceiling of {ceiling} ({ratio} of "
        "{n_httnv} HTTNV). Decide fewer HTXSNV, or record the exception granted in the rules "
        "file.",
    ),
    IssueType(
        "decision-workbook-other",
        E,
        "Biểu mẫu quyết định của cấp ủy hoặc năm khác",
        "A decisions workbook of another committee or year",
        "Tệp quyết định lập cho {found}, không phải {expected}: không áp dụng quyết định nào. "
        "Dùng biểu mẫu quyet-dinh.xlsx do lần tổng hợp này ghi ra.",
        "The decisions workbook was made for {found}, not {expected}: no decision applied. "
        "Use the quyet-dinh.xlsx written by this aggregation.",
    ),
)
