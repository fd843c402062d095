//! Changing a secondment seen at a version: a draft's fields, the legal
//! steps, the return arrangement once completed (HR officers and
//! administrators, within their scope).

use super::{full, placement, trimmed, visible, Secondment, UpdateSecondment};
use crate::app::fields::Plain;
use crate::app::validate::{check_len, finish};
use crate::app::{caller, AppError, Context, Refusal};
use crate::auth::AuthUser;
use crate::domain::actor::Actor;
use crate::domain::secondment::Policy;
use crate::domain::secondment_steps::{edit_violation, Edit};
use crate::store::secondment_changes::{self, Edited, SecondmentFields};
use crate::store::secondments::{self, lock_official, SecondmentRow, Viewer};
use crate::store::{officials, DbConnection};

/// Changes secondment `id` seen at `version` (`None`: whatever the
/// version): `PATCH /secondments/{id}` and the console's forms (a draft's
/// fields, the return arrangement).
pub fn update(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    id: &str,
    version: Option<i32>,
    cmd: UpdateSecondment,
) -> Result<Secondment, AppError> {
    let mut errors = Vec::new();
    if let Some(t) = &cmd.position_title {
        check_len("position_title", t.trim(), 1, 300, &mut errors);
    }
    finish(errors)?;
    let viewer = caller::viewer(tx, caller)?;
    visible(tx, &viewer, id)?;
    if !viewer.is_hr() {
        return Err(AppError::forbidden(
            Refusal::Role,
            "Only HR officers and administrators change secondments.",
        ));
    }
    let policy = cx.settings.policy.rules();
    change(
        tx,
        &caller.actor(),
        &viewer,
        &policy,
        id,
        version,
        |f, ret| apply(cmd, f, ret),
    )?;
    full(tx, id)
}

/// The command's fields over the record's (absent ones stay).
fn apply(b: UpdateSecondment, f: &mut SecondmentFields, ret: &mut Option<String>) {
    if let Some(v) = b.kind {
        f.kind = v;
    }
    if let Some(v) = b.home_unit_id {
        f.home_unit_id = v.plain();
    }
    if let Some(v) = b.host_unit_id {
        f.host_unit_id = v.plain();
    }
    if let Some(v) = b.ground {
        f.ground = v.as_str().to_string();
    }
    if let Some(v) = b.position_title {
        f.position_title = v.trim().to_string();
    }
    if let Some(v) = b.mandate {
        f.mandate = v.trim().to_string();
    }
    if let Some(v) = b.start_date {
        f.start_date = v.plain();
    }
    if let Some(v) = b.end_date {
        f.end_date = v.plain();
    }
    if let Some(v) = b.agreement_ref {
        f.agreement_ref = trimmed(v.plain());
    }
    if let Some(v) = b.consultation {
        f.consultation_held_on = v.as_ref().map(|c| c.held_on).plain();
        f.consultation_note = v.and_then(|c| trimmed(c.note.plain()));
    }
    if let Some(v) = b.exception_ref {
        f.exception_ref = trimmed(v.plain());
    }
    if let Some(v) = b.return_arrangement {
        *ret = trimmed(Some(v.plain()));
    }
}

/// Applies `edit` (to the fields and the return arrangement) to secondment
/// `id` at `version`, as the rules of editing allow it in its status, with
/// the units' and dates' rules checked again when they change; the units
/// must stay in `viewer`'s scope.
fn change(
    tx: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    policy: &Policy,
    id: &str,
    version: Option<i32>,
    edit: impl FnOnce(&mut SecondmentFields, &mut Option<String>),
) -> Result<SecondmentRow, AppError> {
    let before = secondments::find(tx, id)?;
    if version.is_some_and(|v| v != before.version) {
        return Err(AppError::Stale);
    }
    lock_official(tx, &before.official_id)?;
    let old = SecondmentFields::from(&before);
    let mut f = old.clone();
    let mut return_arrangement = before.return_arrangement.clone();
    edit(&mut f, &mut return_arrangement);
    if !viewer.scope.contains(&f.home_unit_id) && !viewer.scope.contains(&f.host_unit_id) {
        return Err(AppError::forbidden(
            Refusal::OutOfScope,
            "Neither the home nor the host unit would be in your scope.",
        ));
    }
    let structural = f.start_date != old.start_date
        || f.end_date != old.end_date
        || f.host_unit_id != old.host_unit_id
        || f.home_unit_id != old.home_unit_id
        || f.kind != old.kind;
    let removes_legal_step = (old.agreement_ref.is_some() && f.agreement_ref.is_none())
        || (old.consultation_held_on.is_some() && f.consultation_held_on.is_none());
    let edited = Edit {
        structural,
        removes_legal_step,
        return_changed: return_arrangement != before.return_arrangement,
    };
    if let Some(broken) = edit_violation(before.status(), edited) {
        return Err(AppError::Rule(vec![broken]));
    }
    let direction = if structural || f.exception_ref != old.exception_ref {
        let official = officials::find(tx, &before.official_id)?;
        placement::check(tx, policy, &official, &f, Some(id))?
    } else {
        before.direction
    };
    let edited = Edited {
        fields: f,
        return_arrangement,
        direction,
    };
    secondment_changes::save(tx, actor, &before, &edited)?.ok_or(AppError::Stale)
}
