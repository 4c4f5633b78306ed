"""Vietnamese names and organizations for the demo district (invented, realistic in shape)."""

from __future__ import annotations

FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Mai", "Tạ",
)  # fmt: skip
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Đình", "Anh")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Mỹ", "Bích", "Hoài", "Diệu")
GIVEN_MALE = (
    "An", "Bình", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Minh", "Nam", "Phong",
    "Quân", "Sơn", "Trung", "Tuấn", "Việt", "Toản", "Thành", "Hiếu", "Đạt", "Lộc",
)  # fmt: skip
GIVEN_FEMALE = (
    "Chi", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc",
    "Phương", "Tâm", "Thảo", "Trang", "Vân", "Yến", "Ngà", "Nhung", "Oanh", "Quyên",
)  # fmt: skip

#: (loại hình, as the roster's «Loại hình» column and every output show it; names of cells of
#: that type). The agencies are a district's (Phòng …) up to 2024, a ward's from 2025.
SCHOOL = "Trường học"
CELL_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        SCHOOL,
        (
            "Chi bộ Trường THPT {place}",
            "Chi bộ Trường THCS {person}",
            "Chi bộ Trường Tiểu học {person}",
            "Chi bộ Trường Mầm non {flower}",
        ),
    ),
    ("Khu dân cư", ("Chi bộ Khu dân cư số {n}", "Chi bộ Tổ dân phố {n}")),
    (
        "Cơ quan hành chính",
        (
            "Chi bộ Phòng Tài chính – Kế hoạch",
            "Chi bộ Phòng Tư pháp",
            "Chi bộ Phòng Văn hóa và Thông tin",
            "Chi bộ Phòng Giáo dục và Đào tạo",
            "Chi bộ Trung tâm Y tế",
            "Chi bộ Công an {place}",
            "Chi bộ Phòng Tài nguyên và Môi trường",
            "Chi bộ Phòng Nội vụ",
        ),
    ),
    (
        "Doanh nghiệp",
        (
            "Chi bộ Công ty Cổ phần {company}",
            "Chi bộ Công ty TNHH MTV {company}",
        ),
    ),
)

#: the agencies of a ward (from the 2025 rating year: no district, no «Phòng Tư pháp» of one)
WARD_AGENCIES = (
    "Chi bộ Văn phòng HĐND và UBND phường",
    "Chi bộ Phòng Kinh tế",
    "Chi bộ Phòng Văn hóa – Xã hội",
    "Chi bộ Trung tâm Phục vụ hành chính công",
    "Chi bộ Trạm Y tế phường",
    "Chi bộ Công an phường",
    "Chi bộ Ban Chỉ huy Quân sự phường",
    "Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc phường",
)
#: the grassroots committees under a ward's Đảng ủy (from 2025), then «Đảng bộ cơ sở số N»
WARD_COMMITTEES = (
    "Đảng bộ Ủy ban nhân dân phường",
    "Đảng bộ các cơ quan Đảng phường",
    "Đảng bộ Công an phường",
    "Đảng bộ Quân sự phường",
)
#: what a committee is (its «Loại hình»)
COMMITTEE_TYPE = "Đảng bộ cơ sở"
#: what the demo's two committees are on the roster of the level above (the roll-up's)
WARD_TYPE = "Xã, phường"
DISTRICT_TYPE = "Quận, huyện"

PLACES = ("Liên Chiểu", "Hòa Khánh", "Hòa Minh", "Hòa Hiệp", "Nam Ô", "Xuân Thiều", "Kim Liên")
PERSONS = (
    "Nguyễn Lương Bằng", "Lê Lợi", "Trần Quốc Toản", "Ngô Quyền", "Lý Tự Trọng",
    "Võ Thị Sáu", "Phan Bội Châu", "Hoàng Văn Thụ", "Nguyễn Đình Chiểu", "Lê Quý Đôn",
)  # fmt: skip
FLOWERS = ("Hoa Hướng Dương", "Hoa Thủy Tiên", "Sơn Ca", "Hoa Sen", "Họa Mi", "Bình Minh")
COMPANIES = ("Cơ khí Hòa Khánh", "Dệt may Liên Chiểu", "Cấp nước Đà Nẵng", "Vận tải Biển Xanh")
POSITIONS = (
    "Giáo viên", "Chuyên viên", "Kỹ sư", "Nhân viên", "Cán bộ hưu trí", "Bác sĩ",
    "Kế toán", "Công nhân", "Điều dưỡng", "Cán bộ khu phố",
)  # fmt: skip
