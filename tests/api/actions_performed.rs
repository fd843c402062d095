//! The second half of the allowed-actions walk (`actions.rs`): a sample
//! of hidden and offered actions taken through the API.

use serde_json::{json, Value};

use crate::actions::{ok, predicted, Person, Seen};
use crate::lifecycle::World;

/// Takes a sample of hidden and offered actions through the API: hidden
/// ones first (they change nothing), then offered ones in an order that
/// keeps the others' state.
pub(crate) async fn perform(
    w: &World,
    people: &[Person<'_>],
    seen: &Seen,
    postings: &[(&str, String)],
) {
    let id = |status: &str| {
        postings
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, id)| id.clone())
            .unwrap()
    };
    let token = |name: &str| {
        people
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.token.clone())
            .unwrap()
    };
    let flag = |name: &str, status: &str, f: &str| {
        seen.get(&(
            people.iter().find(|p| p.name == name).unwrap().name,
            postings.iter().find(|(s, _)| *s == status).unwrap().0,
        ))
        .map(|a| a[f] == true)
        .unwrap_or(false)
    };
    let app = &w.app;
    let act = |name: &str, status: &str, action: &str, body: Value| {
        let (t, i, a) = (token(name), id(status), action.to_string());
        async move { w.act(&t, &i, &a, body).await }
    };
    let reason = json!({"reason": "Theo đề nghị"});
    let terminate = json!({"reason": "Theo đề nghị", "actual_end_date": "2025-03-31"});
    let extension = json!({"requested_end_date": "2025-09-30", "reason": "Hoàn thành"});
    let outcome =
        json!({"title": "Kết quả", "pillar": "digital_government", "occurred_on": "2024-10-01"});
    let evaluation = json!({"rating": "excellent"});
    let milestone = json!({"title": "Báo cáo quý", "due_date": "2025-04-01"});
    let pending_ext: Value =
        ok(w.get(&w.admin, &id("approved")).await).await["pending_extension"].clone();
    let ext_id = pending_ext["id"].as_str().unwrap().to_string();
    let ext_path = |a: &str| format!("/api/v1/extensions/{ext_id}/{a}");

    // Hidden: refused, nothing changes.
    for (name, status, action, body) in [
        ("cadre", "draft", "submit", json!({})),
        ("hr", "active", "submit", json!({})),
        ("home_director", "draft", "cancel", reason.clone()),
        ("hr", "active", "cancel", reason.clone()),
        ("hr", "approved", "terminate", terminate.clone()),
        ("admin", "pending", "approve", json!({})),
        ("linked_director", "pending", "approve", json!({})),
        ("linked_director", "pending", "reject", json!({})),
        ("home_director", "active", "reject", json!({})),
        ("home_director", "active", "extensions", extension.clone()),
        ("cadre", "pending", "extensions", extension.clone()),
        (
            "home_director",
            "completed",
            "evaluation",
            evaluation.clone(),
        ),
        (
            "linked_director",
            "completed",
            "evaluation",
            evaluation.clone(),
        ),
        ("host_director", "active", "evaluation", evaluation.clone()),
        ("cadre", "approved", "outcomes", outcome.clone()),
        ("host_director", "active", "outcomes", outcome.clone()),
        ("hr", "completed", "milestones", milestone.clone()),
        ("cadre", "active", "milestones", milestone.clone()),
    ] {
        let f = match action {
            "extensions" => "request_extension",
            "evaluation" => "evaluate",
            "outcomes" => "log_outcome",
            "milestones" => "plan_milestone",
            a => a,
        };
        assert!(
            !flag(name, status, f),
            "{name} {status} {f} should be hidden"
        );
        predicted(
            false,
            &format!("{name} {action} {status}"),
            act(name, status, action, body).await,
        )
        .await;
    }
    for (name, action) in [
        ("hr", "withdraw"),
        ("cadre", "approve"),
        ("host_director", "withdraw"),
    ] {
        let f = if action == "withdraw" {
            "withdraw_extension"
        } else {
            "approve_extension"
        };
        assert!(!flag(name, "approved", f));
        predicted(
            false,
            f,
            app.post_as(&token(name), &ext_path(action), &json!({}))
                .await,
        )
        .await;
    }
    let item = |name: &str, status: &str, kind: &str| {
        let (t, i, k) = (token(name), id(status), kind.to_string());
        async move {
            app.list_all(&t, &format!("/api/v1/secondments/{i}/{k}"))
                .await
        }
    };
    let m = item("linked_director", "active", "milestones").await[0].clone();
    assert_eq!(m["actions"]["complete"], false);
    let mpath = format!("/api/v1/milestones/{}/complete", m["id"].as_str().unwrap());
    predicted(
        false,
        "complete",
        app.post_as(&token("linked_director"), &mpath, &json!({}))
            .await,
    )
    .await;
    let o = item("home_director", "active", "outcomes").await[0].clone();
    assert_eq!(o["actions"]["acknowledge"], false);
    let opath = format!("/api/v1/outcomes/{}/acknowledge", o["id"].as_str().unwrap());
    predicted(
        false,
        "acknowledge",
        app.post_as(&token("home_director"), &opath, &json!({}))
            .await,
    )
    .await;

    // Offered: each succeeds.
    let o = item("host_director", "active", "outcomes").await[0].clone();
    assert_eq!(o["actions"]["acknowledge"], true);
    predicted(
        true,
        "acknowledge",
        app.post_as(&token("host_director"), &opath, &json!({}))
            .await,
    )
    .await;
    let m = item("admin", "active", "milestones").await[0].clone();
    assert_eq!(
        m["actions"]["complete"], true,
        "the API lets an administrator complete it"
    );
    predicted(
        true,
        "complete",
        app.post_as(&token("admin"), &mpath, &json!({})).await,
    )
    .await;
    predicted(
        true,
        "approve_extension",
        app.post_as(&token("home_director"), &ext_path("approve"), &json!({}))
            .await,
    )
    .await;
    assert!(flag("cadre", "approved", "withdraw_extension"));
    predicted(
        true,
        "withdraw",
        app.post_as(&token("cadre"), &ext_path("withdraw"), &json!({}))
            .await,
    )
    .await;
    for (name, status, action, body) in [
        ("host_director", "completed", "evaluation", evaluation),
        ("cadre", "active", "outcomes", outcome),
        ("hr", "active", "milestones", milestone),
        ("cadre", "active", "extensions", extension),
        ("home_director", "pending", "approve", json!({})),
        ("host_director", "pending", "reject", json!({})),
        ("hr", "draft", "submit", json!({})),
        ("admin", "approved", "cancel", reason),
        ("hr", "active", "terminate", terminate),
    ] {
        let f = match action {
            "extensions" => "request_extension",
            "evaluation" => "evaluate",
            "outcomes" => "log_outcome",
            "milestones" => "plan_milestone",
            a => a,
        };
        assert!(
            flag(name, status, f),
            "{name} {status} {f} should be offered"
        );
        predicted(
            true,
            &format!("{name} {action} {status}"),
            act(name, status, action, body).await,
        )
        .await;
    }
    // The return arrangement of a completed posting (a PATCH).
    assert!(flag("hr", "completed", "record_return"));
    let path = format!("/api/v1/secondments/{}", id("completed"));
    let version = ok(app.get_as(&w.hr.token, &path).await).await["version"].to_string();
    let res = app
        .patch_as(
            &w.hr.token,
            &path,
            Some(&format!("\"{version}\"")),
            &json!({"return_arrangement": "Về Cục"}),
        )
        .await;
    predicted(true, "record_return", res).await;
}
