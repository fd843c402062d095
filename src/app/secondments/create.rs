//! A new proposal, created as a draft by HR in the scope of its home or
//! host unit (or an administrator).

use super::{full, placement, trimmed, CreateSecondment, Secondment};
use crate::app::fields::Plain;
use crate::app::validate::{check_len, finish};
use crate::app::{caller, AppError, Context, Refusal};
use crate::auth::AuthUser;
use crate::domain::actor::Actor;
use crate::domain::secondment::Policy;
use crate::domain::user::Role;
use crate::store::secondment_changes::{self, SecondmentFields};
use crate::store::secondments::{lock_official, SecondmentRow};
use crate::store::{officials, DbConnection, StoreError};

/// Creates a draft: `POST /secondments` and the console's form. The home
/// unit defaults to the official's; one of the two units must be in the
/// caller's scope.
pub fn create(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    cmd: CreateSecondment,
) -> Result<Secondment, AppError> {
    caller.require_role(&[Role::Admin, Role::HrOfficer])?;
    let mut errors = Vec::new();
    let position_title = cmd.position_title.trim().to_string();
    let mandate = cmd.mandate.trim().to_string();
    check_len("position_title", &position_title, 1, 300, &mut errors);
    check_len("mandate", &mandate, 0, 10_000, &mut errors);
    finish(errors)?;
    let viewer = caller::viewer(tx, caller)?;
    let official_id = cmd.official_id.plain();
    let home_unit_id = match cmd.home_unit_id {
        Some(h) => h.plain(),
        None => official(tx, &official_id)?.home_unit_id,
    };
    let host_unit_id = cmd.host_unit_id.plain();
    if !viewer.scope.contains(&home_unit_id) && !viewer.scope.contains(&host_unit_id) {
        return Err(AppError::forbidden(
            Refusal::OutOfScope,
            "Neither the home nor the host unit is in your scope.",
        ));
    }
    let consultation = cmd.consultation;
    let fields = SecondmentFields {
        kind: cmd.kind,
        home_unit_id,
        host_unit_id,
        ground: cmd.ground.as_str().to_string(),
        position_title,
        mandate,
        start_date: cmd.start_date.plain(),
        end_date: cmd.end_date.plain(),
        agreement_ref: trimmed(cmd.agreement_ref.plain()),
        consultation_held_on: consultation.as_ref().map(|c| c.held_on).plain(),
        consultation_note: consultation.and_then(|c| trimmed(c.note.plain())),
        exception_ref: trimmed(cmd.exception_ref.plain()),
    };
    let row = propose(
        tx,
        &caller.actor(),
        &cx.settings.policy.rules(),
        &official_id,
        &fields,
    )?;
    full(tx, &row.id)
}

/// Creates the draft of `official_id` with `fields` once the rules accept
/// them (`placement::check`), serialised with the official's other
/// proposals.
fn propose(
    tx: &mut DbConnection,
    actor: &Actor,
    policy: &Policy,
    official_id: &str,
    fields: &SecondmentFields,
) -> Result<SecondmentRow, AppError> {
    lock_official(tx, official_id)?;
    let official = official(tx, official_id)?;
    let direction = placement::check(tx, policy, &official, fields, None)?;
    Ok(secondment_changes::insert(
        tx,
        actor,
        official_id,
        fields,
        direction,
    )?)
}

/// The official `official_id` names; 404 on the field when none.
fn official(
    tx: &mut DbConnection,
    official_id: &str,
) -> Result<crate::store::officials::OfficialRow, AppError> {
    match officials::find(tx, official_id) {
        Ok(o) => Ok(o),
        Err(StoreError::NotFound) => Err(AppError::unknown("official_id", "official")),
        Err(e) => Err(e.into()),
    }
}
