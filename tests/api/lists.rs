//! Lists read one ordered range per unit and merge them (keyset pages):
//! paging through small pages gives every visible secondment exactly once,
//! in id order, whichever filter decides the ranges.

use serde_json::{json, Value};

use crate::helpers::spawn_app;
use crate::lifecycle::world_with;

/// Ids of every page of `path`, `limit` rows at a time.
async fn paged_ids(
    w: &crate::lifecycle::World,
    token: &str,
    path: &str,
    limit: usize,
) -> Vec<String> {
    w.app
        .list_pages(token, path, limit)
        .await
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[actix_web::test]
async fn small_pages_over_several_units_give_each_visible_secondment_once_in_id_order() {
    let w = world_with(spawn_app().await).await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    let admin = &w.admin;
    // A second department of the province, and an HR officer of the province.
    let host2 = id(&w
        .app
        .create_unit(admin, "P19-SNV", "provincial_department", Some(&w.province))
        .await);
    let province_hr = w
        .app
        .create_session(admin, "hr_officer", Some(&w.province), None)
        .await;
    let mut hosted = Vec::new(); // hosted in the province
    for (i, (host, end)) in [
        (&w.host, "2026-03-31"),
        (&host2, "2026-06-30"),
        (&w.host, "2026-09-30"),
        (&host2, "2027-03-31"),
        (&w.province, "2027-06-30"),
    ]
    .into_iter()
    .enumerate()
    {
        let official = id(&w
            .app
            .create_official(
                admin,
                &w.home,
                &format!("MIC-1{i:03}"),
                &format!("Nguyễn Văn {i}"),
            )
            .await);
        let mut body = w.draft_body("2025-04-01", end);
        body["official_id"] = json!(official);
        body["host_unit_id"] = json!(host);
        let res = w.create(&body).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        hosted.push((id(&res.json().await.unwrap()), end));
    }
    // Homed in the province, hosted at the ministry: seen through the
    // home side only.
    let official = id(&w
        .app
        .create_official(admin, &host2, "P19-0001", "Trần Thị Lan")
        .await);
    let mut body = w.draft_body("2025-04-01", "2026-12-31");
    body["official_id"] = json!(official);
    body["host_unit_id"] = json!(w.home);
    let res = w
        .app
        .post_as(&province_hr.token, "/api/v1/secondments", &body)
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let outgoing = id(&res.json().await.unwrap());

    let hosted_ids: Vec<String> = hosted.iter().map(|(i, _)| i.clone()).collect();
    let mut all = hosted_ids.clone();
    all.push(outgoing.clone());

    // Scope alone: host arms and home arms, no row twice.
    let seen = paged_ids(&w, &province_hr.token, "/api/v1/secondments", 2).await;
    assert_eq!(seen, sorted(all.clone()), "in id order, each once");
    // A host filter: one range per unit of the province.
    let path = format!("/api/v1/secondments?host_unit_id={}", w.province);
    let seen = paged_ids(&w, &province_hr.token, &path, 2).await;
    assert_eq!(seen, sorted(hosted_ids.clone()));
    // The same with an end-date window.
    let path = format!(
        "/api/v1/secondments?host_unit_id={}&ending_after=2026-06-01&ending_before=2027-03-31",
        w.province
    );
    let window: Vec<String> = hosted
        .iter()
        .filter(|(_, end)| ("2026-06-01"..="2027-03-31").contains(end))
        .map(|(i, _)| i.clone())
        .collect();
    assert_eq!(window.len(), 3);
    let seen = paged_ids(&w, &province_hr.token, &path, 1).await;
    assert_eq!(seen, sorted(window));
    // A home filter: the province-homed one only.
    let path = format!("/api/v1/secondments?home_unit_id={}", w.province);
    assert_eq!(
        paged_ids(&w, &province_hr.token, &path, 2).await,
        vec![outgoing.clone()]
    );
    // The ministry's HR officer sees the ministry's side of all six.
    let seen = paged_ids(&w, &w.hr.token, "/api/v1/secondments", 4).await;
    assert_eq!(seen, sorted(all));
    // An administrator's host filter outside any scope.
    let path = format!("/api/v1/secondments?host_unit_id={}", w.home);
    assert_eq!(paged_ids(&w, admin, &path, 3).await, vec![outgoing]);
}
