//! The organisation tree of a seeded database: ministries and their
//! departments, and under each current province its departments (Sở) and
//! communes.

use super::SeedRng;

/// The ministries and ministry-level agencies after the 2025 reorganisation.
const MINISTRIES: &[(&str, &str)] = &[
    ("Bộ Nội vụ", "Ministry of Home Affairs"),
    ("Bộ Tư pháp", "Ministry of Justice"),
    ("Bộ Tài chính", "Ministry of Finance"),
    ("Bộ Công Thương", "Ministry of Industry and Trade"),
    (
        "Bộ Nông nghiệp và Môi trường",
        "Ministry of Agriculture and Environment",
    ),
    ("Bộ Xây dựng", "Ministry of Construction"),
    (
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Ministry of Culture, Sports and Tourism",
    ),
    (
        "Bộ Khoa học và Công nghệ",
        "Ministry of Science and Technology",
    ),
    (
        "Bộ Giáo dục và Đào tạo",
        "Ministry of Education and Training",
    ),
    ("Bộ Y tế", "Ministry of Health"),
    (
        "Bộ Dân tộc và Tôn giáo",
        "Ministry of Ethnic and Religious Affairs",
    ),
    ("Bộ Ngoại giao", "Ministry of Foreign Affairs"),
    ("Ngân hàng Nhà nước Việt Nam", "State Bank of Vietnam"),
    ("Thanh tra Chính phủ", "Government Inspectorate"),
    ("Văn phòng Chính phủ", "Government Office"),
];

/// Departments every ministry has.
const MINISTRY_DEPARTMENTS: &[&str] = &[
    "Vụ Tổ chức cán bộ",
    "Vụ Kế hoạch - Tài chính",
    "Vụ Pháp chế",
    "Văn phòng Bộ",
    "Cục Chuyển đổi số",
    "Thanh tra Bộ",
];

/// Departments every province has.
const PROVINCIAL_DEPARTMENTS: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Khoa học và Công nghệ",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Công Thương",
    "Văn phòng Ủy ban nhân dân",
];

/// Words of commune names.
const COMMUNE_NAMES: &[&str] = &[
    "Tân Lập",
    "Hòa Bình",
    "Quang Trung",
    "Đồng Tâm",
    "Thắng Lợi",
    "Bình Minh",
    "Phú Thịnh",
    "An Khánh",
    "Tân Phú",
    "Hưng Đạo",
    "Thanh Xuân",
    "Vĩnh Phúc",
    "Đông Hòa",
    "Tiên Lãng",
    "Minh Đức",
    "Nam Sơn",
    "Tân Thành",
    "Long Hưng",
    "Phước Hải",
    "Trung Hòa",
];

/// Communes (and wards) per province.
pub const COMMUNES_PER_PROVINCE: usize = 6;

/// Where a seeded unit hangs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parent {
    /// Top of a tree.
    Root,
    /// Another seeded unit, by its index in the list.
    Seeded(usize),
    /// A current province of the reference data, by its code.
    Province(String),
}

/// Which tree a unit is in, for choosing homes and hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Under a ministry.
    Central,
    /// Under a province.
    Local,
}

/// One unit to create.
#[derive(Debug, Clone)]
pub struct UnitSpec {
    /// Unique code.
    pub code: String,
    /// Vietnamese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Stored kind.
    pub kind: &'static str,
    /// Parent.
    pub parent: Parent,
    /// Which tree.
    pub side: Side,
    /// The top of its tree: a ministry's index, or a province's code.
    pub top: Parent,
    /// Whether officials work here and postings go here (departments and
    /// communes, not ministries themselves).
    pub posting_unit: bool,
}

/// The units to create, given the current provinces `(code, name)`.
pub fn plan(seed: u64, provinces: &[(String, String)]) -> Vec<UnitSpec> {
    let mut units = Vec::new();
    for (m, (name, name_en)) in MINISTRIES.iter().enumerate() {
        let ministry = units.len();
        let code = format!("B{:02}", m + 1);
        units.push(UnitSpec {
            code: code.clone(),
            name: (*name).to_string(),
            name_en: Some((*name_en).to_string()),
            kind: "ministry",
            parent: Parent::Root,
            side: Side::Central,
            top: Parent::Seeded(ministry),
            posting_unit: false,
        });
        for (d, dept) in MINISTRY_DEPARTMENTS.iter().enumerate() {
            units.push(UnitSpec {
                code: format!("{code}-V{:02}", d + 1),
                name: format!("{dept} - {name}"),
                name_en: None,
                kind: "ministry_department",
                parent: Parent::Seeded(ministry),
                side: Side::Central,
                top: Parent::Seeded(ministry),
                posting_unit: true,
            });
        }
    }
    for (p, (code, name)) in provinces.iter().enumerate() {
        let province = Parent::Province(code.clone());
        for (d, dept) in PROVINCIAL_DEPARTMENTS.iter().enumerate() {
            units.push(UnitSpec {
                code: format!("{code}-S{:02}", d + 1),
                name: format!("{dept} tỉnh {name}"),
                name_en: None,
                kind: "provincial_department",
                parent: province.clone(),
                side: Side::Local,
                top: province.clone(),
                posting_unit: true,
            });
        }
        let mut rng = SeedRng::derive(seed, 0x0C0_4417E, p as u64);
        let first = rng.below(COMMUNE_NAMES.len() as u64) as usize;
        for c in 0..COMMUNES_PER_PROVINCE {
            let word = COMMUNE_NAMES
                .get((first + c * 7) % COMMUNE_NAMES.len())
                .copied()
                .unwrap_or("Tân Lập");
            let prefix = if rng.chance(30) { "Phường" } else { "Xã" };
            units.push(UnitSpec {
                code: format!("{code}-X{:02}", c + 1),
                name: format!("{prefix} {word}, tỉnh {name}"),
                name_en: None,
                kind: "commune",
                parent: province.clone(),
                side: Side::Local,
                top: province.clone(),
                posting_unit: true,
            });
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parents_come_first() {
        let provinces: Vec<(String, String)> = (1..=34)
            .map(|i| (format!("P{i:02}"), format!("Tỉnh {i}")))
            .collect();
        let units = plan(1, &provinces);
        let mut codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), units.len());
        for (i, u) in units.iter().enumerate() {
            if let Parent::Seeded(p) = u.parent {
                assert!(p < i);
            }
        }
        let communes = units.iter().filter(|u| u.kind == "commune").count();
        assert_eq!(communes, 34 * COMMUNES_PER_PROVINCE);
    }
}
