//! The texts of the demo story (SPEC 1): units, officials, demo users,
//! postings and outcomes. Names and figures are illustrative.

use chrono::NaiveDate;

/// A calendar day of the story; the constants below are valid dates.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Where a unit hangs in the tree.
#[derive(Debug, Clone, Copy)]
pub enum Parent {
    /// At the top.
    Root,
    /// Under a unit of this list, by code.
    Unit(&'static str),
    /// Under a former province of the reference data, by name.
    FormerProvince(&'static str),
}

/// A unit of the story.
#[derive(Debug, Clone, Copy)]
pub struct Unit {
    /// Code.
    pub code: &'static str,
    /// Vietnamese name.
    pub name: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Stored kind.
    pub kind: &'static str,
    /// Parent.
    pub parent: Parent,
    /// First day (year, month, day).
    pub valid_from: (i32, u32, u32),
}

/// The ministries, their departments and the provincial departments that
/// exist before the story begins (2021).
pub const UNITS: &[Unit] = &[
    Unit {
        code: "BTTTT",
        name: "Bộ Thông tin và Truyền thông",
        name_en: "Ministry of Information and Communications",
        kind: "ministry",
        parent: Parent::Root,
        valid_from: (2007, 8, 1),
    },
    Unit {
        code: "BTTTT-THH",
        name: "Cục Tin học hóa",
        name_en: "Authority of Information Technology Application",
        kind: "ministry_department",
        parent: Parent::Unit("BTTTT"),
        valid_from: (2008, 1, 1),
    },
    Unit {
        code: "BTTTT-ATTT",
        name: "Cục An toàn thông tin",
        name_en: "Authority of Information Security",
        kind: "ministry_department",
        parent: Parent::Unit("BTTTT"),
        valid_from: (2008, 1, 1),
    },
    Unit {
        code: "BKHCN",
        name: "Bộ Khoa học và Công nghệ",
        name_en: "Ministry of Science and Technology",
        kind: "ministry",
        parent: Parent::Root,
        valid_from: (2002, 8, 1),
    },
    Unit {
        code: "BKHCN-DMST",
        name: "Cục Đổi mới sáng tạo",
        name_en: "National Innovation Agency",
        kind: "ministry_department",
        parent: Parent::Unit("BKHCN"),
        valid_from: (2008, 1, 1),
    },
    Unit {
        code: "TN-STTTT",
        name: "Sở Thông tin và Truyền thông tỉnh Thái Nguyên",
        name_en: "Thai Nguyen Department of Information and Communications",
        kind: "provincial_department",
        parent: Parent::FormerProvince("Thái Nguyên"),
        valid_from: (2008, 8, 1),
    },
    Unit {
        code: "TN-SKHCN",
        name: "Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
        name_en: "Thai Nguyen Department of Science and Technology",
        kind: "provincial_department",
        parent: Parent::FormerProvince("Thái Nguyên"),
        valid_from: (2008, 8, 1),
    },
    Unit {
        code: "QB-SKHCN",
        name: "Sở Khoa học và Công nghệ tỉnh Quảng Bình",
        name_en: "Quang Binh Department of Science and Technology",
        kind: "provincial_department",
        parent: Parent::FormerProvince("Quảng Bình"),
        valid_from: (2008, 8, 1),
    },
];

/// The former provinces the story touches before the 2025 reorganisation.
pub const FORMER_PROVINCES: &[&str] = &["Thái Nguyên", "Quảng Bình"];

/// The department of the new Quảng Trị into which Quảng Bình's merges.
pub const QUANG_TRI_DEPARTMENT: Unit = Unit {
    code: "QT-SKHCN",
    name: "Sở Khoa học và Công nghệ tỉnh Quảng Trị",
    name_en: "Quang Tri Department of Science and Technology",
    kind: "provincial_department",
    parent: Parent::Root,
    valid_from: (2025, 7, 1),
};

/// An official of the story.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    /// Staff code.
    pub staff_code: &'static str,
    /// Full name.
    pub full_name: &'static str,
    /// Email (also the cadre's login).
    pub email: &'static str,
    /// Home unit code.
    pub home: &'static str,
    /// Position.
    pub position: &'static str,
    /// Rank.
    pub rank: &'static str,
    /// Date of birth.
    pub born: (i32, u32, u32),
    /// Retirement date, for the rotation's working-time rule.
    pub retires: Option<(i32, u32, u32)>,
    /// In the succession plan (rotations).
    pub in_succession_plan: bool,
}

/// Phạm Quang Hiếu, seconded to Thái Nguyên (SPEC 1).
pub const HIEU: Person = Person {
    staff_code: "BTTTT-0412",
    full_name: "Phạm Quang Hiếu",
    email: "hieu.pq@example.gov.vn",
    home: "BTTTT-THH",
    position: "Phó Cục trưởng",
    rank: "Chuyên viên chính",
    born: (1985, 6, 14),
    retires: None,
    in_succession_plan: false,
};

/// Seconded to Quảng Bình across the 2025 merge.
pub const HA: Person = Person {
    staff_code: "BTTTT-0587",
    full_name: "Lê Thị Thu Hà",
    email: "ha.ltt@example.gov.vn",
    home: "BTTTT-ATTT",
    position: "Trưởng phòng",
    rank: "Chuyên viên chính",
    born: (1988, 2, 3),
    retires: None,
    in_succession_plan: false,
};

/// From Thái Nguyên to the ministry: the other direction.
pub const NHUNG: Person = Person {
    staff_code: "TN-0133",
    full_name: "Nguyễn Thị Hồng Nhung",
    email: "nhung.nth@example.gov.vn",
    home: "TN-SKHCN",
    position: "Phó Trưởng phòng Chuyển đổi số",
    rank: "Chuyên viên",
    born: (1990, 11, 20),
    retires: None,
    in_succession_plan: false,
};

/// A leader in the succession plan, rotated to Quảng Trị.
pub const DUC: Person = Person {
    staff_code: "BTTTT-0221",
    full_name: "Đặng Văn Đức",
    email: "duc.dv@example.gov.vn",
    home: "BTTTT-ATTT",
    position: "Phó Cục trưởng",
    rank: "Chuyên viên cao cấp",
    born: (1982, 5, 12),
    retires: Some((2044, 5, 12)),
    in_succession_plan: true,
};

/// A demo account other than the cadres (whose login is their official's
/// email).
#[derive(Debug, Clone, Copy)]
pub struct Account {
    /// Login.
    pub email: &'static str,
    /// Name.
    pub full_name: &'static str,
    /// Stored role.
    pub role: &'static str,
    /// `vi` or `en`.
    pub language: &'static str,
    /// The unit of the scope when the story begins: a code of [`UNITS`]
    /// or the name of a former province.
    pub unit: Option<&'static str>,
}

/// The administrator.
pub const ADMIN: Account = Account {
    email: "quan.tri@example.gov.vn",
    full_name: "Quản trị hệ thống",
    role: "admin",
    language: "en",
    unit: None,
};

/// The ministry's HR officer (Department of Personnel).
pub const HR: Account = Account {
    email: "nhan.su@example.gov.vn",
    full_name: "Trần Thị Mai",
    role: "hr_officer",
    language: "vi",
    unit: Some("BTTTT"),
};

/// The ministry's director: home side of the ministry's postings.
pub const MINISTRY_DIRECTOR: Account = Account {
    email: "lanh.dao.bo@example.gov.vn",
    full_name: "Nguyễn Văn Hùng",
    role: "director",
    language: "vi",
    unit: Some("BTTTT"),
};

/// The director for Thái Nguyên: host of Hiếu's secondment.
pub const THAI_NGUYEN_DIRECTOR: Account = Account {
    email: "giam.doc.thai.nguyen@example.gov.vn",
    full_name: "Hoàng Văn Sơn",
    role: "director",
    language: "vi",
    unit: Some("Thái Nguyên"),
};

/// The director for Quảng Bình, then the new Quảng Trị.
pub const QUANG_TRI_DIRECTOR: Account = Account {
    email: "giam.doc.quang.tri@example.gov.vn",
    full_name: "Võ Thị Lan",
    role: "director",
    language: "vi",
    unit: Some("Quảng Bình"),
};

/// An outcome Hiếu logged: day, pillar, title, description, metric.
pub type Result3 = (
    (i32, u32, u32),
    &'static str,
    &'static str,
    &'static str,
    (&'static str, f64, &'static str),
);

/// Hiếu's outcomes on the three pillars.
pub const HIEU_OUTCOMES: &[Result3] = &[
    (
        (2021, 12, 20),
        "digital_government",
        "Dịch vụ công trực tuyến toàn trình trên Cổng dịch vụ công của tỉnh",
        "Rà soát và đưa các thủ tục hành chính của tỉnh lên mức toàn trình.",
        ("thủ tục trực tuyến toàn trình", 62.0, "%"),
    ),
    (
        (2022, 3, 1),
        "digital_government",
        "Trung tâm Giám sát, điều hành thông minh (IOC) của tỉnh đi vào vận hành",
        "Kết nối dữ liệu các sở, ngành về một trung tâm điều hành.",
        ("hệ thống được kết nối", 14.0, "hệ thống"),
    ),
    (
        (2022, 6, 30),
        "digital_economy",
        "Đưa doanh nghiệp nhỏ và vừa lên sàn thương mại điện tử",
        "Phối hợp với các sàn thương mại điện tử đào tạo và hỗ trợ doanh nghiệp.",
        ("doanh nghiệp tham gia sàn", 1200.0, "doanh nghiệp"),
    ),
    (
        (2022, 9, 30),
        "digital_society",
        "Tổ công nghệ số cộng đồng ở các xã, phường",
        "Thành lập và tập huấn các tổ hướng dẫn người dân dùng dịch vụ số.",
        ("tổ công nghệ số cộng đồng", 178.0, "tổ"),
    ),
];

/// The Thái Nguyên director's final evaluation (SPEC 1).
pub const HIEU_EVALUATION: &str = "Hoàn thành xuất sắc vai trò đầu mối giữa tỉnh và Bộ. \
    Thời hạn \"không quá 2 năm\" là quá ngắn: đề nghị tối thiểu 36 tháng, áp dụng cả chiều \
    từ địa phương về Trung ương và thể chế hóa mô hình.";

/// Where Hiếu went after the secondment (SPEC 1).
pub const HIEU_RETURN: &str = "Quyền Cục trưởng Cục Công nghệ thông tin, Bộ Tư pháp";
