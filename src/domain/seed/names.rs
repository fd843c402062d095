//! Vietnamese names and the words of synthetic records.

use super::SeedRng;

/// Family names weighted roughly by how common they are.
const FAMILY: &[(&str, u64)] = &[
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Trương", 1),
    ("Lương", 1),
];

const MIDDLE_MALE: &[&str] = &[
    "Văn", "Quang", "Minh", "Đức", "Hữu", "Công", "Thanh", "Ngọc", "Xuân", "Tiến", "Mạnh", "Quốc",
    "Trọng", "Anh",
];

const MIDDLE_FEMALE: &[&str] = &[
    "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Hồng", "Thùy", "Kim", "Mai", "Bích",
];

const GIVEN_MALE: &[&str] = &[
    "Hiếu", "Dũng", "Hùng", "Tuấn", "Nam", "Long", "Sơn", "Thắng", "Cường", "Hải", "Khánh", "Phúc",
    "Đạt", "Việt", "Huy", "Tùng", "Quân", "Bình", "Trung", "Kiên", "Lâm", "Vinh", "Hoàng", "Toàn",
    "Thành", "Đông", "Nghĩa", "Phong",
];

const GIVEN_FEMALE: &[&str] = &[
    "Lan", "Hương", "Hà", "Linh", "Trang", "Thảo", "Ngân", "Vy", "Yến", "Nhung", "Hạnh", "Huyền",
    "Phương", "Quyên", "Oanh", "Tâm", "Anh", "Giang", "Loan", "Dung", "Chi", "Ngọc",
];

/// A generated person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Full name with diacritics, family name first.
    pub full_name: String,
    /// Whether the name is a woman's (for the retirement age).
    pub female: bool,
}

/// A Vietnamese full name: family, middle and given name.
pub fn person(rng: &mut SeedRng) -> Person {
    let female = rng.chance(45);
    let family = rng.weighted(FAMILY, "Nguyễn");
    let (middle, given) = if female {
        (rng.word(MIDDLE_FEMALE), rng.word(GIVEN_FEMALE))
    } else {
        (rng.word(MIDDLE_MALE), rng.word(GIVEN_MALE))
    };
    let full_name = if rng.chance(15) {
        // Four-word names ("Nguyễn Thị Thu Hà") are common too.
        let second = if female {
            rng.word(MIDDLE_FEMALE)
        } else {
            rng.word(MIDDLE_MALE)
        };
        if second == middle {
            format!("{family} {middle} {given}")
        } else {
            format!("{family} {middle} {second} {given}")
        }
    } else {
        format!("{family} {middle} {given}")
    };
    Person { full_name, female }
}

/// Positions held by officials.
pub const POSITIONS: &[&str] = &[
    "Chuyên viên",
    "Chuyên viên chính",
    "Chuyên viên cao cấp",
    "Phó Trưởng phòng",
    "Trưởng phòng",
    "Phó Vụ trưởng",
    "Phó Giám đốc Sở",
    "Kỹ sư",
    "Thanh tra viên",
];

/// Civil-service ranks.
pub const RANKS: &[&str] = &[
    "Chuyên viên (01.003)",
    "Chuyên viên chính (01.002)",
    "Chuyên viên cao cấp (01.001)",
    "Kỹ sư (13.095)",
];

/// Titles of the posts officials are seconded to.
pub const POSTING_TITLES: &[&str] = &[
    "Phó Giám đốc Sở",
    "Phó Trưởng phòng Chuyển đổi số",
    "Chuyên gia tư vấn chuyển đổi số",
    "Phó Chủ tịch UBND xã",
    "Phó Vụ trưởng",
    "Chuyên viên cao cấp",
    "Đầu mối phối hợp với Bộ",
];

/// What a posting is for.
pub const MANDATES: &[&str] = &[
    "Hỗ trợ triển khai Nghị quyết về chuyển đổi số giai đoạn 2021-2025",
    "Xây dựng chính quyền số và nền tảng dữ liệu dùng chung của tỉnh",
    "Làm đầu mối phối hợp giữa địa phương và Bộ",
    "Triển khai dịch vụ công trực tuyến toàn trình",
    "Phát triển kinh tế số và thương mại điện tử",
    "Tham gia xây dựng thể chế và chính sách của Bộ",
    "Đào tạo kỹ năng số cho cán bộ, công chức cấp xã",
];

/// Why a posting ended early or was withdrawn.
pub const END_REASONS: &[&str] = &[
    "Thay đổi nhu cầu công tác của đơn vị",
    "Cán bộ được điều động nhận nhiệm vụ mới",
    "Theo nguyện vọng cá nhân vì lý do gia đình",
    "Đơn vị tiếp nhận sắp xếp lại tổ chức bộ máy",
];

/// What a director wrote when rejecting.
pub const REJECTIONS: &[&str] = &[
    "Đơn vị chưa bố trí được người thay thế",
    "Vị trí tiếp nhận chưa phù hợp với chuyên môn",
    "Đề nghị xem xét lại thời hạn biệt phái",
];

/// The titles of outcomes, by pillar stored form.
pub fn outcome_title(pillar: &str, rng: &mut SeedRng) -> &'static str {
    let titles: &[&str] = match pillar {
        "digital_government" => &[
            "Đưa vào vận hành cổng dịch vụ công của tỉnh",
            "Số hóa hồ sơ thủ tục hành chính",
            "Triển khai hệ thống quản lý văn bản điện tử liên thông",
        ],
        "digital_economy" => &[
            "Đưa sản phẩm OCOP lên sàn thương mại điện tử",
            "Hỗ trợ doanh nghiệp nhỏ chuyển đổi số",
            "Phổ cập thanh toán không dùng tiền mặt",
        ],
        "digital_society" => &[
            "Tập huấn kỹ năng số cho người dân",
            "Thành lập tổ công nghệ số cộng đồng",
            "Phổ cập định danh điện tử",
        ],
        _ => &[
            "Báo cáo chuyên đề gửi Bộ",
            "Đề xuất sửa đổi quy chế phối hợp",
        ],
    };
    rng.word(titles)
}

/// A measured result for an outcome title: `(name, unit, largest value)`.
pub fn metric_for(pillar: &str) -> (&'static str, &'static str, i64) {
    match pillar {
        "digital_government" => ("dịch vụ công trực tuyến toàn trình", "dịch vụ", 400),
        "digital_economy" => ("doanh nghiệp được hỗ trợ", "doanh nghiệp", 300),
        "digital_society" => ("người dân được tập huấn", "người", 5000),
        _ => ("văn bản được ban hành", "văn bản", 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_three_or_four_words_and_diacritics_are_common() {
        let mut rng = SeedRng::new(11);
        let people: Vec<Person> = (0..500).map(|_| person(&mut rng)).collect();
        assert!(people.iter().all(|p| {
            let words = p.full_name.split(' ').count();
            (3..=4).contains(&words)
        }));
        let nguyen = people
            .iter()
            .filter(|p| p.full_name.starts_with("Nguyễn "))
            .count();
        assert!((100..300).contains(&nguyen), "{nguyen}");
        assert!(people.iter().any(|p| p.full_name.starts_with("Đặng ")));
    }
}
