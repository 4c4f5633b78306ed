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

#: (org_type, label of the type, names of cells of that type)
CELL_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "truong-hoc",
        (
            "Chi bộ Trường THPT {place}",
            "Chi bộ Trường THCS {person}",
            "Chi bộ Trường Tiểu học {person}",
            "Chi bộ Trường Mầm non {flower}",
        ),
    ),
    ("phuong", ("Chi bộ Khu dân cư số {n}", "Chi bộ Tổ dân phố {n}")),
    (
        "co-quan",
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
        "doanh-nghiep",
        (
            "Chi bộ Công ty Cổ phần {company}",
            "Chi bộ Công ty TNHH MTV {company}",
        ),
    ),
)

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
