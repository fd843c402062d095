//! The story obeys the rules users obey: a step no user could take stops
//! it loudly, with the application's refusal and the step's name, and
//! leaves nothing behind.

use std::path::Path;
use std::sync::Arc;

use super::{Proposal, Story};
use crate::app::population::{self, Population};
use crate::app::units::{self, DbConnection};
use crate::app::{clock, AppError, Context, Refusal};
use crate::config::{Environment, Secret, Settings};
use crate::demo::data::{self, day};
use crate::demo::{load, logins};
use crate::domain::secondment::Kind;

/// The test settings on a new SQLite file in `dir`.
fn settings_in(dir: &Path) -> Settings {
    let mut settings = Settings::load_from(Environment::Test, Path::new("config")).unwrap();
    let file = dir.join("demo.db");
    settings.database.url = Secret::new(format!("sqlite://{}", file.display()));
    settings
}

/// Sets up the cast, then tells `step`, in one unit as `load` tells the
/// story; returns the refusal as `load` reports it and what the database
/// holds afterwards.
fn refused(
    step: impl FnOnce(&mut Story, &mut DbConnection) -> Result<(), AppError>,
) -> (anyhow::Error, Population) {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings_in(dir.path());
    let db = units::open(&settings).unwrap();
    let (_, accounts) = logins().unwrap();
    let cx = Context {
        settings: Arc::new(settings),
        today: day(2026, 6, 15),
    };
    let mut story = Story::new(cx);
    let told = units::write_now(&db, |tx| {
        story.set_up(tx, &accounts)?;
        story.begin("a step no user could take");
        step(&mut story, tx)
    });
    clock::story_clock(None);
    let refusal = story.refused(told.expect_err("the step is refused"));
    let after = units::read_now(&db, population::count).unwrap();
    (refusal, after)
}

/// A posting of Hiếu's that starts after the test's today.
fn hieu() -> Proposal<'static> {
    Proposal {
        kind: Kind::Secondment,
        person: &data::HIEU,
        host: "TN-STTTT",
        title: "Chuyên gia đầu mối chuyển đổi số của tỉnh",
        mandate: "Làm đầu mối giữa tỉnh và Bộ.",
        start: day(2026, 7, 1),
        end: day(2027, 6, 30),
        agreement: "Thỏa thuận số 15/TT-BTTTT-UBND",
        consulted: day(2026, 6, 1),
        decision_ref: "Quyết định số 512/QĐ-BTTTT",
    }
}

fn refusal_of(e: &anyhow::Error) -> Option<Refusal> {
    match e.downcast_ref::<AppError>() {
        Some(AppError::Forbidden { reason, .. }) => Some(*reason),
        _ => None,
    }
}

#[test]
fn the_demo_story_refuses_a_cadre_approving_their_own_proposal() {
    let (refusal, after) =
        refused(|story, tx| story.post(tx, &hieu(), &[data::HIEU.email]).map(drop));
    assert_eq!(refusal_of(&refusal), Some(Refusal::Role), "{refusal:#}");
    let told = format!("{refusal:#}");
    assert!(
        told.contains("hieu.pq@example.gov.vn approving Phạm Quang Hiếu on 2026-06-03"),
        "{told}"
    );
    assert!(after.is_empty(), "the refused story left {after:?}");
}

#[test]
fn the_demo_story_refuses_hr_proposing_outside_the_ministrys_scope() {
    // Nhung's home and the host are both provincial: neither is in the
    // ministry's HR scope.
    let outside = Proposal {
        person: &data::NHUNG,
        host: "QB-SKHCN",
        ..hieu()
    };
    let (refusal, after) = refused(|story, tx| {
        story
            .post(tx, &outside, &[data::MINISTRY_DIRECTOR.email])
            .map(drop)
    });
    assert_eq!(
        refusal_of(&refusal),
        Some(Refusal::OutOfScope),
        "{refusal:#}"
    );
    let told = format!("{refusal:#}");
    assert!(
        told.contains(
            "a step no user could take, HR proposing Nguyễn Thị Hồng Nhung on 2026-06-02"
        ),
        "{told}"
    );
    assert!(after.is_empty(), "the refused story left {after:?}");
}

#[test]
fn the_demo_story_is_told_whole_through_the_application() {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings_in(dir.path());
    let loaded = load(&settings).unwrap();
    assert_eq!(loaded.logins.len(), 9);
    assert!(loaded.reminders_planned > 0);
    let db = units::open(&settings).unwrap();
    let told = units::read_now(&db, population::count).unwrap();
    assert_eq!(
        (told.users, told.officials, told.secondments),
        (9, 4, 4),
        "{told:?}"
    );
    // Told once only.
    let again = load(&settings).unwrap_err();
    assert!(format!("{again:#}").contains("only into an empty database"));
}
