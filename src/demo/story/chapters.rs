//! The chapters of the story, in date order.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::json;

use super::{command, missing, Proposal, Story};
use crate::app::secondments::change;
use crate::app::units::DbConnection;
use crate::app::{clock, extensions, org_units, outcomes, reference, AppError};
use crate::demo::data::{self, day};
use crate::domain::dates::last_day_of_months;
use crate::domain::secondment::Kind;

impl Story {
    /// The whole story, from April 2021 to today.
    pub fn tell(&mut self, tx: &mut DbConnection) -> Result<(), AppError> {
        self.begin("the Thái Nguyên secondment");
        self.thai_nguyen(tx)?;
        self.begin("the Quảng Bình secondment");
        self.quang_binh(tx)?;
        self.begin("the merger of the ministries");
        self.ministries_merge(tx)?;
        self.begin("the merger of the provinces");
        self.provinces_merge(tx)?;
        self.begin("the current postings");
        self.both_directions(tx)?;
        self.complete_due(tx, self.today())?;
        clock::story_clock(None);
        Ok(())
    }

    /// Phạm Quang Hiếu in Thái Nguyên, 2021-04-01 to 2023-03-31 (SPEC 1).
    fn thai_nguyen(&mut self, tx: &mut DbConnection) -> Result<(), AppError> {
        let (start, end) = (day(2021, 4, 1), day(2023, 3, 31));
        let id = self.post(
            tx,
            &Proposal {
                kind: Kind::Secondment,
                person: &data::HIEU,
                host: "TN-STTTT",
                title: "Chuyên gia đầu mối chuyển đổi số của tỉnh",
                mandate: "Giúp tỉnh thực hiện Nghị quyết số 01-NQ/TU ngày 31/12/2020 về chuyển \
                          đổi số giai đoạn 2021-2025; làm đầu mối giữa tỉnh và Bộ, báo cáo định \
                          kỳ về Bộ.",
                start,
                end,
                agreement: "Thỏa thuận số 15/TT-BTTTT-UBND",
                consulted: day(2021, 3, 10),
                decision_ref: "Quyết định số 512/QĐ-BTTTT",
            },
            &[
                data::MINISTRY_DIRECTOR.email,
                data::THAI_NGUYEN_DIRECTOR.email,
            ],
        )?;
        self.tick(tx, start)?;
        let cadre = self.caller(tx, data::HIEU.email)?;
        let director = self.caller(tx, data::THAI_NGUYEN_DIRECTOR.email)?;
        for &((y, m, d), pillar, title, description, (metric, value, unit)) in data::HIEU_OUTCOMES {
            let cx = self.at(day(y, m, d));
            self.doing(format!("Hiếu logging \"{title}\" on {}", cx.today));
            let outcome = command(json!({
                "title": title,
                "description": description,
                "pillar": pillar,
                "occurred_on": day(y, m, d),
                "metrics": [{ "name": metric, "value": value, "unit": unit }],
            }))?;
            let logged = outcomes::create(&cadre, tx, &id, outcome)?;
            let cx = self.at(day(y, m, d) + chrono::Days::new(3));
            self.doing(format!(
                "the host director acknowledging \"{title}\" on {}",
                cx.today
            ));
            outcomes::acknowledge(&director, tx, &logged.id)?;
        }
        self.tick(tx, end.succ_opt().unwrap_or(end))?;
        let cx = self.at(end + chrono::Days::new(5));
        self.doing(format!("the host director evaluating Hiếu on {}", cx.today));
        let evaluation = command(json!({
            "rating": "excellent",
            "comment": data::HIEU_EVALUATION,
        }))?;
        outcomes::evaluate(&director, tx, &id, evaluation)?;
        self.doing(format!("HR recording Hiếu's return on {}", cx.today));
        let hr = self.caller(tx, data::HR.email)?;
        let returned = command(json!({ "return_arrangement": data::HIEU_RETURN }))?;
        change::update(&hr, tx, &cx, &id, None, returned)?;
        Ok(())
    }

    /// Lê Thị Thu Hà in Quảng Bình from 2025-01-01, across the merge.
    fn quang_binh(&mut self, tx: &mut DbConnection) -> Result<(), AppError> {
        let start = day(2025, 1, 1);
        self.post(
            tx,
            &Proposal {
                kind: Kind::Secondment,
                person: &data::HA,
                host: "QB-SKHCN",
                title: "Phó Giám đốc Sở (biệt phái)",
                mandate: "Xây dựng Trung tâm giám sát an toàn thông tin (SOC) của tỉnh và giữ \
                          cho hệ thống vận hành liên tục qua việc sắp xếp đơn vị hành chính.",
                start,
                end: last_day_of_months(start, 36),
                agreement: "Thỏa thuận số 07/TT-BTTTT-UBND",
                consulted: day(2024, 12, 2),
                decision_ref: "Quyết định số 2310/QĐ-BTTTT",
            },
            &[
                data::MINISTRY_DIRECTOR.email,
                data::QUANG_TRI_DIRECTOR.email,
            ],
        )?;
        self.tick(tx, start)
    }

    /// 2025-03-01: the ministry and the provincial department of
    /// Information and Communications merge into Science and Technology.
    fn ministries_merge(&mut self, tx: &mut DbConnection) -> Result<(), AppError> {
        let on = day(2025, 3, 1);
        self.at(on);
        let admin = self.admin(tx)?;
        for (source, target) in [("BTTTT", "BKHCN"), ("TN-STTTT", "TN-SKHCN")] {
            self.doing(format!("merging {source} into {target} on {on}"));
            let merger = command(json!({
                "source_ids": [self.unit(source)?],
                "target_id": self.unit(target)?,
                "effective_date": on,
            }))?;
            org_units::merge(&admin, tx, merger)?;
        }
        for email in [data::HR.email, data::MINISTRY_DIRECTOR.email] {
            self.move_user(tx, email, self.unit("BKHCN")?)?;
        }
        Ok(())
    }

    /// 2025-07-01: the 34 provinces (reference data); Quảng Bình's
    /// department merges into the new Quảng Trị's.
    fn provinces_merge(&mut self, tx: &mut DbConnection) -> Result<(), AppError> {
        let admin = self.admin(tx)?;
        let on = reference::reorganisation_day();
        self.at(on);
        self.doing(format!("loading the 34 provinces of {on}"));
        reference::load_provinces(&admin, tx)?;
        let current = |tx: &mut DbConnection, name: &str| -> Result<String, AppError> {
            let province =
                reference::former_province(name)?.ok_or_else(|| missing("province", name))?;
            reference::unit_with_code(&admin, tx, &province.successor_code)
        };
        let thai_nguyen = current(tx, "Thái Nguyên")?;
        let quang_tri = current(tx, "Quảng Bình")?;
        let department = self.add_unit(
            tx,
            &admin,
            &data::QUANG_TRI_DEPARTMENT,
            Some(quang_tri.clone()),
        )?;
        self.doing(format!("merging QB-SKHCN into QT-SKHCN on {on}"));
        let merger = command(json!({
            "source_ids": [self.unit("QB-SKHCN")?],
            "target_id": department,
            "effective_date": on,
        }))?;
        org_units::merge(&admin, tx, merger)?;
        self.move_user(tx, data::THAI_NGUYEN_DIRECTOR.email, thai_nguyen)?;
        self.move_user(tx, data::QUANG_TRI_DIRECTOR.email, quang_tri)?;
        Ok(())
    }

    /// Running today: a province-to-ministry posting nearing its end with
    /// an extension waiting for the directors, and a rotation.
    fn both_directions(&mut self, tx: &mut DbConnection) -> Result<(), AppError> {
        let this_month = self.today().with_day(1).unwrap_or(self.today());
        let months_ago = |n: u32| this_month.checked_sub_months(Months::new(n));
        let start = months_ago(22).unwrap_or(this_month);
        let id = self.post(
            tx,
            &Proposal {
                kind: Kind::Secondment,
                person: &data::NHUNG,
                host: "BKHCN-DMST",
                title: "Chuyên viên biệt phái tại Cục Đổi mới sáng tạo",
                mandate: "Đưa kinh nghiệm chuyển đổi số của Thái Nguyên lên Bộ: mô hình biệt \
                          phái theo cả hai chiều, từ địa phương về Trung ương.",
                start,
                end: last_day_of_months(start, 24),
                agreement: "Thỏa thuận số 03/TT-UBND-BKHCN",
                consulted: start
                    .checked_sub_days(chrono::Days::new(20))
                    .unwrap_or(start),
                decision_ref: "Quyết định số 88/QĐ-UBND",
            },
            &[
                data::THAI_NGUYEN_DIRECTOR.email,
                data::MINISTRY_DIRECTOR.email,
            ],
        )?;
        self.tick(tx, start)?;
        let cadre = self.caller(tx, data::NHUNG.email)?;
        let cx = self.at(self.today() - chrono::Days::new(6));
        self.doing(format!("Nhung asking for an extension on {}", cx.today));
        let extension = command(json!({
            "requested_end_date": last_day_of_months(start, 36),
            "reason": "Hoàn thành đề án nền tảng đổi mới sáng tạo mở; Sở đề nghị thời hạn tối \
                       thiểu 36 tháng.",
        }))?;
        extensions::request(&cadre, tx, &cx, &id, extension)?;
        let start: NaiveDate = months_ago(3)
            .unwrap_or(this_month)
            .max(reference::reorganisation_day());
        self.post(
            tx,
            &Proposal {
                kind: Kind::Rotation,
                person: &data::DUC,
                host: "QT-SKHCN",
                title: "Phó Giám đốc Sở (luân chuyển)",
                mandate: "Luân chuyển cán bộ trong quy hoạch để rèn luyện thực tiễn ở tỉnh mới \
                          sau hợp nhất.",
                start,
                end: last_day_of_months(start, 36),
                agreement: "Thỏa thuận số 21/TT-BKHCN-UBND",
                consulted: start
                    .checked_sub_days(chrono::Days::new(30))
                    .unwrap_or(start),
                decision_ref: "Quyết định số 1502/QĐ-BKHCN",
            },
            &[
                data::MINISTRY_DIRECTOR.email,
                data::QUANG_TRI_DIRECTOR.email,
            ],
        )?;
        self.tick(tx, start)
    }
}
