//! The chapters of the story, in date order.

use anyhow::{anyhow, Context as _};
use chrono::{Datelike, Months, NaiveDate};

use super::{Proposal, Story};
use crate::demo::data::{self, day};
use crate::domain::dates::last_day_of_months;
use crate::domain::outcome::Metric;
use crate::domain::secondment::Kind;
use crate::store::outcomes::{self, OutcomeFields};
use crate::store::{extensions, merge, reference, DbConnection};

impl Story {
    /// The whole story, from April 2021 to today.
    pub fn tell(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        self.thai_nguyen(conn)
            .context("the Thái Nguyên secondment")?;
        self.quang_binh(conn).context("the Quảng Bình secondment")?;
        self.ministries_merge(conn)
            .context("the merger of the ministries")?;
        self.provinces_merge(conn)
            .context("the merger of the provinces")?;
        self.both_directions(conn).context("the current postings")?;
        self.complete_due(conn, self.today)?;
        crate::store::story_clock(None);
        Ok(())
    }

    /// Phạm Quang Hiếu in Thái Nguyên, 2021-04-01 to 2023-03-31 (SPEC 1).
    fn thai_nguyen(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let (start, end) = (day(2021, 4, 1), day(2023, 3, 31));
        let id = self.post(
            conn,
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
        self.tick(conn, start)?;
        let (actor, cadre) = self.caller(conn, data::HIEU.email)?;
        let (director_actor, director) = self.caller(conn, data::THAI_NGUYEN_DIRECTOR.email)?;
        for &((y, m, d), pillar, title, description, (metric, value, unit)) in data::HIEU_OUTCOMES {
            let fields = OutcomeFields {
                title: title.into(),
                description: Some(description.into()),
                pillar: pillar.into(),
                occurred_on: day(y, m, d),
                metrics: vec![Metric {
                    name: metric.into(),
                    value,
                    unit: Some(unit.into()),
                }],
                milestone_id: None,
            };
            self.at(day(y, m, d));
            let outcome = outcomes::create(conn, &actor, &cadre, &id, &fields)?;
            self.at(day(y, m, d) + chrono::Days::new(3));
            outcomes::acknowledge(conn, &director_actor, &director, &outcome.id)?;
        }
        self.tick(conn, end.succ_opt().unwrap_or(end))?;
        self.at(end + chrono::Days::new(5));
        outcomes::evaluate(
            conn,
            &director_actor,
            &director,
            &id,
            "excellent",
            Some(data::HIEU_EVALUATION),
        )?;
        let (hr_actor, hr) = self.caller(conn, data::HR.email)?;
        crate::app::secondments::change::change(
            conn,
            &hr_actor,
            &hr,
            &self.policy,
            &id,
            None,
            |_, ret| *ret = Some(data::HIEU_RETURN.into()),
        )?;
        Ok(())
    }

    /// Lê Thị Thu Hà in Quảng Bình from 2025-01-01, across the merge.
    fn quang_binh(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let start = day(2025, 1, 1);
        self.post(
            conn,
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
        self.tick(conn, start)
    }

    /// 2025-03-01: the ministry and the provincial department of
    /// Information and Communications merge into Science and Technology.
    fn ministries_merge(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let on = day(2025, 3, 1);
        self.at(on);
        let admin = self.admin()?;
        for (source, target) in [("BTTTT", "BKHCN"), ("TN-STTTT", "TN-SKHCN")] {
            merge::merge(conn, &admin, &[self.unit(source)?], &self.unit(target)?, on)
                .with_context(|| format!("merging {source} into {target}"))?;
        }
        for email in [data::HR.email, data::MINISTRY_DIRECTOR.email] {
            self.move_user(conn, email, self.unit("BKHCN")?)?;
        }
        Ok(())
    }

    /// 2025-07-01: the 34 provinces (reference data); Quảng Bình's
    /// department merges into the new Quảng Trị's.
    fn provinces_merge(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let admin = self.admin()?;
        self.at(reference::reorganisation_day());
        reference::load_provinces(conn, &admin)?;
        let current = |conn: &mut DbConnection, name: &str| -> anyhow::Result<String> {
            let (_, code) = reference::former_province(name)?
                .ok_or_else(|| anyhow!("{name} is not in the reference data"))?;
            reference::id_of(conn, &code)?.ok_or_else(|| anyhow!("province {code} missing"))
        };
        let thai_nguyen = current(conn, "Thái Nguyên")?;
        let quang_tri = current(conn, "Quảng Bình")?;
        let department = self.add_unit(
            conn,
            &admin,
            &data::QUANG_TRI_DEPARTMENT,
            Some(quang_tri.clone()),
        )?;
        merge::merge(
            conn,
            &admin,
            &[self.unit("QB-SKHCN")?],
            &department,
            reference::reorganisation_day(),
        )?;
        self.move_user(conn, data::THAI_NGUYEN_DIRECTOR.email, thai_nguyen)?;
        self.move_user(conn, data::QUANG_TRI_DIRECTOR.email, quang_tri)?;
        Ok(())
    }

    /// Running today: a province-to-ministry posting nearing its end with
    /// an extension waiting for the directors, and a rotation.
    fn both_directions(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let this_month = self.today.with_day(1).unwrap_or(self.today);
        let months_ago = |n: u32| this_month.checked_sub_months(Months::new(n));
        let start = months_ago(22).unwrap_or(this_month);
        let id = self.post(
            conn,
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
        self.tick(conn, start)?;
        let (actor, cadre) = self.caller(conn, data::NHUNG.email)?;
        self.at(self.today - chrono::Days::new(6));
        let posting = crate::store::secondments::find(conn, &id)?;
        extensions::request(
            conn,
            &actor,
            &cadre.user_id,
            &posting,
            last_day_of_months(start, 36),
            "Hoàn thành đề án nền tảng đổi mới sáng tạo mở; Sở đề nghị thời hạn tối thiểu 36 tháng.",
        )?
        .context("an extension is pending already")?;
        let start: NaiveDate = months_ago(3)
            .unwrap_or(this_month)
            .max(reference::reorganisation_day());
        self.post(
            conn,
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
        self.tick(conn, start)
    }
}
