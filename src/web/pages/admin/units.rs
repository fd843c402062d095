//! The unit tree and the merge form: a merge is previewed (what it would
//! move, nothing changed) before it is confirmed.

use std::collections::{HashMap, HashSet};

use actix_web::{web, HttpResponse};
use minijinja::{context, Value};
use serde::Serialize;

use super::{all_units, current, forbidden, Choice};
use crate::api::ApiError;
use crate::app::org_units::{self, MergeRequest, MergeResponse, OrgUnit};
use crate::web::form::Form;
use crate::web::render::{see_other, Console, PageError};

/// One unit of the tree, with the units under it.
#[derive(Serialize)]
struct Node {
    id: String,
    code: String,
    name: String,
    kind: crate::domain::org_unit::UnitKind,
    valid_to: Option<chrono::NaiveDate>,
    successor: Option<String>,
    children: Vec<Node>,
}

/// The tree: roots (no parent, or a parent not listed) first, children
/// under their parent, each level's current units by code, then those
/// merged away or closed.
fn tree(units: Vec<OrgUnit>) -> Vec<Node> {
    let names: HashMap<String, String> = units
        .iter()
        .map(|u| (u.id.clone(), format!("{} ({})", u.name, u.code)))
        .collect();
    let mut by_parent: HashMap<Option<String>, Vec<OrgUnit>> = HashMap::new();
    for u in units {
        let parent = u.parent_id.clone().filter(|p| names.contains_key(p));
        by_parent.entry(parent).or_default().push(u);
    }
    fn build(
        parent: Option<String>,
        by_parent: &mut HashMap<Option<String>, Vec<OrgUnit>>,
        names: &HashMap<String, String>,
        depth: usize,
    ) -> Vec<Node> {
        let mut level = by_parent.remove(&parent).unwrap_or_default();
        level.sort_by(|a, b| {
            let ended = |u: &OrgUnit| u.valid_to.is_some() || u.successor_id.is_some();
            (ended(a), &a.code).cmp(&(ended(b), &b.code))
        });
        level
            .into_iter()
            .map(|u| Node {
                children: if depth < 64 {
                    build(Some(u.id.clone()), by_parent, names, depth + 1)
                } else {
                    Vec::new()
                },
                successor: u
                    .successor_id
                    .as_ref()
                    .map(|s| names.get(s).cloned().unwrap_or_else(|| s.clone())),
                id: u.id,
                code: u.code,
                name: u.name,
                kind: u.kind,
                valid_to: u.valid_to,
            })
            .collect()
    }
    build(None, &mut by_parent, &names, 0)
}

/// The unit tree: parents and their children, merged-away units marked.
pub async fn units_page(c: Console) -> Result<HttpResponse, PageError> {
    let units = all_units(&c).await?;
    let merged = form_urlencoded::parse(c.req.query_string().as_bytes())
        .find(|(k, _)| k == "merged")
        .and_then(|(_, id)| units.iter().find(|u| u.id == id).map(Choice::of));
    c.render(
        "admin_units.html",
        context! { tree => tree(units), merged => merged },
    )
}

/// The choices of the merge form.
async fn merge_choices(c: &Console) -> Result<(Vec<OrgUnit>, Value), PageError> {
    let units = all_units(c).await?;
    let choices = current(&units);
    Ok((units, context! { units => choices }))
}

/// The merge form.
pub async fn merge_page(c: Console) -> Result<HttpResponse, PageError> {
    let (_, choices) = merge_choices(&c).await?;
    c.render(
        "admin_merge.html",
        context! { selected => Vec::<String>::new(), ..choices },
    )
}

/// The repeated `source_ids` fields of a multiple choice as the API's
/// list (`source_ids[0]`, `source_ids[1]`, ...).
fn indexed_sources(form: &Form) -> (Form, Vec<String>) {
    let mut sources = Vec::new();
    let mut fields = Vec::new();
    for (k, v) in &form.fields {
        if k == "source_ids" {
            fields.push((format!("source_ids[{}]", sources.len()), v.clone()));
            sources.push(v.clone());
        } else {
            fields.push((k.clone(), v.clone()));
        }
    }
    let mut indexed = form.clone();
    indexed.fields = fields;
    (indexed, sources)
}

/// What the preview names: the units that cease, the target and the
/// child units that would move under it.
#[derive(Serialize)]
struct Preview {
    sources: Vec<Choice>,
    target: Choice,
    children: Vec<Choice>,
    moved_secondments: usize,
    moved_officials: usize,
    moved_children: usize,
    effective_date: String,
}

/// What the merge form did.
enum Merge {
    /// `step=preview`: what the merge would do.
    Preview(MergeResponse),
    /// `step=confirm`: what the merge did.
    Done(MergeResponse),
}

/// The merge as confirmed, or its preview, each in a unit that writes
/// (the preview's writes are undone before it ends).
async fn run(
    c: &Console,
    b: MergeRequest,
    confirm: bool,
) -> Result<Merge, crate::web::render::Failure> {
    let user = c.user();
    let db = &c.state.db;
    Ok(if confirm {
        Merge::Done(crate::app::units::write(db, move |tx| org_units::merge(&user, tx, b)).await?)
    } else {
        Merge::Preview(
            crate::app::units::write(db, move |tx| org_units::merge_preview(&user, tx, b)).await?,
        )
    })
}

/// `step=preview`: what the merge would move, nothing changed, with a
/// form to confirm it; `step=confirm`: the merge, then the tree.
pub async fn merge(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let (form, sources) = indexed_sources(&c.form(&body)?);
    let confirm = form.get("step") == Some("confirm");
    let done = match form.body::<MergeRequest>(&["step"], &[]) {
        Ok(b) => run(&c, b, confirm).await,
        Err(e) => Err(e.into()),
    };
    if let Ok(Merge::Done(merged)) = &done {
        return Ok(see_other(&format!(
            "/admin/units?merged={}",
            merged.target.id
        )));
    }
    let (units, choices) = merge_choices(&c).await?;
    match done {
        Ok(Merge::Done(_)) => Err(c.fail(ApiError::Internal("merge answered twice".into()))),
        Ok(Merge::Preview(preview)) => {
            let wanted: HashSet<&str> = sources.iter().map(String::as_str).collect();
            let mut children: Vec<Choice> = units
                .iter()
                .filter(|u| u.parent_id.as_deref().is_some_and(|p| wanted.contains(p)))
                .map(Choice::of)
                .collect();
            children.sort_by(|a, b| a.code.cmp(&b.code));
            let preview = Preview {
                sources: sources
                    .iter()
                    .filter_map(|id| units.iter().find(|u| &u.id == id).map(Choice::of))
                    .collect(),
                target: Choice::of(&preview.target),
                children,
                moved_secondments: preview.moved_secondments,
                moved_officials: preview.moved_officials,
                moved_children: preview.moved_children,
                effective_date: form.get("effective_date").unwrap_or_default().to_string(),
            };
            c.render(
                "admin_merge.html",
                context! {
                    preview => preview,
                    selected => sources,
                    values => form.values(),
                    ..choices
                },
            )
        }
        Err(e) if forbidden(&e) => Err(c.fail(e)),
        Err(e) => c.refused(
            "admin_merge.html",
            &form,
            e,
            &[],
            context! { selected => sources, ..choices },
        ),
    }
}
