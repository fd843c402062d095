//! Officials, search, CSV import, pages, merges and the reference data.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::helpers::{assert_problem, csv_rows, spawn_app, TestApp, CSV_HEADER};

async fn names(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let page: Value = app
        .get_as(token, &format!("/api/v1/officials?q={q}"))
        .await
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["full_name"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn search_ignores_case_and_vietnamese_diacritics() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "BTTTT", "ministry", None).await;
    let unit_id = unit["id"].as_str().unwrap();
    app.create_official(&admin, unit_id, "MIC-001", "Phạm Quang Hiếu")
        .await;
    app.create_official(&admin, unit_id, "MIC-002", "Đặng Văn Lâm")
        .await;
    app.create_official(&admin, unit_id, "MIC-003", "Nguyễn Thị Hòa")
        .await;

    assert_eq!(names(&app, &admin, "hieu").await, ["Phạm Quang Hiếu"]);
    assert_eq!(names(&app, &admin, "HIEU").await, ["Phạm Quang Hiếu"]);
    assert_eq!(
        names(&app, &admin, "Hi%E1%BA%BFu").await,
        ["Phạm Quang Hiếu"]
    );
    assert_eq!(names(&app, &admin, "dang").await, ["Đặng Văn Lâm"]);
    assert_eq!(
        names(&app, &admin, "%C4%90%E1%BA%B6NG").await,
        ["Đặng Văn Lâm"]
    );
    assert_eq!(
        names(&app, &admin, "pham%20hieu").await,
        ["Phạm Quang Hiếu"]
    );
    assert_eq!(names(&app, &admin, "mic-002").await, ["Đặng Văn Lâm"]);
    assert_eq!(
        names(&app, &admin, "mic-003%40example").await,
        ["Nguyễn Thị Hòa"]
    );
    assert_eq!(names(&app, &admin, "van").await, ["Đặng Văn Lâm"]);
    assert_eq!(names(&app, &admin, "mic").await.len(), 3);
    assert!(names(&app, &admin, "zzz").await.is_empty());
}

#[actix_web::test]
async fn officials_are_unique_and_scoped() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let ministry = app.create_unit(&admin, "M", "ministry", None).await;
    let mid = ministry["id"].as_str().unwrap();
    let dept = app
        .create_unit(&admin, "M-D", "ministry_department", Some(mid))
        .await;
    let province = app.create_unit(&admin, "P", "province", None).await;
    let pid = province["id"].as_str().unwrap();
    let hr = app
        .create_session(&admin, "hr_officer", Some(mid), None)
        .await;

    // HR creates in a descendant of their unit...
    let mine = app
        .create_official(
            &hr.token,
            dept["id"].as_str().unwrap(),
            "A-1",
            "Trần Văn An",
        )
        .await;
    assert_eq!(mine["language"], "vi");
    // ...but not outside their scope.
    let res = app
        .post_as(
            &hr.token,
            "/api/v1/officials",
            &json!({"staff_code": "B-1", "full_name": "x", "email": "b1@x.vn", "home_unit_id": pid}),
        )
        .await;
    assert_problem(res, 403, "forbidden").await;
    let theirs = app.create_official(&admin, pid, "B-1", "Lê Văn Bình").await;
    let res = app
        .get_as(
            &hr.token,
            &format!("/api/v1/officials/{}", theirs["id"].as_str().unwrap()),
        )
        .await;
    assert_problem(res, 404, "not-found").await;
    let listed = app.list_all(&hr.token, "/api/v1/officials").await;
    assert_eq!(listed.len(), 1, "HR lists only their scope");

    // Unique staff code, unique email ignoring case.
    let dup_code =
        json!({"staff_code": "A-1", "full_name": "x", "email": "new@x.vn", "home_unit_id": mid});
    let res = app.post_as(&admin, "/api/v1/officials", &dup_code).await;
    assert_problem(res, 409, "conflict").await;
    let dup_email = json!({"staff_code": "A-2", "full_name": "x", "email": "A-1@EXAMPLE.GOV.VN", "home_unit_id": mid});
    let res = app.post_as(&admin, "/api/v1/officials", &dup_email).await;
    let body = assert_problem(res, 409, "conflict").await;
    assert!(body["detail"].as_str().unwrap().contains("email"), "{body}");

    // Every field round-trips; PATCH needs If-Match.
    let path = format!("/api/v1/officials/{}", mine["id"].as_str().unwrap());
    let res = app
        .patch_as(&hr.token, &path, None, &json!({"rank": "x"}))
        .await;
    assert_problem(res, 428, "precondition-required").await;
    let etag = app.get_as(&hr.token, &path).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    let res = app
        .patch_as(
            &hr.token,
            &path,
            Some(&etag),
            &json!({"full_name": "Trần Văn Ánh", "position": "Phó Giám đốc", "rank": "Chuyên viên chính",
                    "date_of_birth": "1990-02-03", "language": "en", "protected_until": "2027-01-01",
                    "in_succession_plan": true, "retirement_date": "2050-02-03"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(changed["protected_until"], "2027-01-01");
    assert_eq!(changed["in_succession_plan"], true);
    assert_eq!(changed["version"], 2);
    assert_eq!(names(&app, &hr.token, "anh").await, ["Trần Văn Ánh"]);
    assert!(names(&app, &hr.token, "an%20tran")
        .await
        .contains(&"Trần Văn Ánh".to_string()));
}

#[actix_web::test]
async fn a_csv_of_200_rows_imports_and_reimport_updates_by_staff_code() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_unit(&admin, "BNV", "ministry", None).await;
    let csv = format!("\u{feff}{}", csv_rows(200, "BNV", "NV"));
    let res = app.import_csv(&admin, csv.clone()).await;
    assert_eq!(res.status(), 200);
    let summary: Value = res.json().await.unwrap();
    assert_eq!(
        summary,
        json!({"created": 200, "updated": 0, "unchanged": 0})
    );
    assert_eq!(app.list_all(&admin, "/api/v1/officials").await.len(), 200);

    let changed = csv
        .replace("NV00007,Nguyễn Văn NV 7,", "NV00007,Võ Thị Bảy,")
        .replace(
            "NV00008,Nguyễn Văn NV 8,NV8@example.gov.vn,BNV,Chuyên viên,",
            "NV00008,Nguyễn Văn NV 8,NV8@example.gov.vn,BNV,Trưởng phòng,",
        );
    let res = app.import_csv(&admin, changed).await;
    let summary: Value = res.json().await.unwrap();
    assert_eq!(
        summary,
        json!({"created": 0, "updated": 2, "unchanged": 198})
    );
    assert_eq!(names(&app, &admin, "bay").await, ["Võ Thị Bảy"]);
    assert_eq!(names(&app, &admin, "nv00007").await, ["Võ Thị Bảy"]);
    let all = app.list_all(&admin, "/api/v1/officials").await;
    let eight = all.iter().find(|o| o["staff_code"] == "NV00008").unwrap();
    assert_eq!(eight["position"], "Trưởng phòng");
    assert_eq!(eight["version"], 2);
    let events = app
        .audit_of(&admin, "official", eight["id"].as_str().unwrap())
        .await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["before"]["position"], "Chuyên viên");
    assert_eq!(events[1]["after"]["position"], "Trưởng phòng");
}

#[actix_web::test]
async fn one_bad_row_at_line_57_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_unit(&admin, "BNV", "ministry", None).await;
    let mut lines: Vec<String> = csv_rows(100, "BNV", "NV")
        .lines()
        .map(String::from)
        .collect();
    // Line 57 of the file is data row 56.
    lines[56] = lines[56].replace("1985-01-01", "1985-02-30");
    let res = app.import_csv(&admin, lines.join("\n")).await;
    let body = assert_problem(res, 422, "validation").await;
    assert_eq!(
        body["errors"],
        json!([{"line": 57, "field": "date_of_birth", "message": "1985-02-30 is not a date in the calendar"}])
    );
    assert!(app.list_all(&admin, "/api/v1/officials").await.is_empty());

    // A unit code that does not exist is found by the store, also all or nothing.
    let mut lines: Vec<String> = csv_rows(60, "BNV", "NV")
        .lines()
        .map(String::from)
        .collect();
    lines[56] = lines[56].replace(",BNV,", ",NOPE,");
    let res = app.import_csv(&admin, lines.join("\r\n")).await;
    let body = assert_problem(res, 422, "validation").await;
    assert_eq!(body["errors"][0]["line"], 57);
    assert_eq!(body["errors"][0]["field"], "home_unit_code");
    assert!(app.list_all(&admin, "/api/v1/officials").await.is_empty());
}

#[actix_web::test]
async fn import_limits_and_content_type() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_unit(&admin, "U", "ministry", None).await;
    let res = app
        .client
        .post(app.url("/api/v1/officials/import"))
        .bearer_auth(&admin)
        .json(&json!({"rows": []}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported-media-type").await;

    let big = format!("{CSV_HEADER}\n{}", "x".repeat(10 * 1024 * 1024));
    let body = assert_problem(app.import_csv(&admin, big).await, 413, "payload-too-large").await;
    assert!(
        body["detail"].as_str().unwrap().contains("10 MiB"),
        "{body}"
    );

    let mut many = format!("{CSV_HEADER}\n");
    for i in 0..100_001 {
        many.push_str(&format!("S{i},N,s{i}@x.vn,U,,,,\n"));
    }
    let body = assert_problem(app.import_csv(&admin, many).await, 413, "payload-too-large").await;
    assert!(
        body["detail"].as_str().unwrap().contains("100000"),
        "{body}"
    );

    let unit = app.create_unit(&admin, "D", "ministry", None).await;
    let director = app
        .create_session(&admin, "director", unit["id"].as_str(), None)
        .await;
    let res = app.import_csv(&director.token, csv_rows(1, "U", "X")).await;
    assert_problem(res, 403, "forbidden").await;
}

#[actix_web::test]
async fn pages_list_every_official_once_even_with_inserts_between_pages() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "BNV", "ministry", None).await;
    let res = app.import_csv(&admin, csv_rows(1000, "BNV", "NV")).await;
    assert_eq!(res.status(), 200);

    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/officials?limit=100&cursor={c}"),
            None => "/api/v1/officials?limit=100".to_string(),
        };
        let page: Value = app.get_as(&admin, &url).await.json().await.unwrap();
        for o in page["items"].as_array().unwrap() {
            *seen
                .entry(o["staff_code"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        pages += 1;
        // Someone adds officials while we page.
        if pages <= 3 {
            app.create_official(
                &admin,
                unit["id"].as_str().unwrap(),
                &format!("LATE-{pages}"),
                "Đến Muộn",
            )
            .await;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    for i in 1..=1000 {
        assert_eq!(seen.get(&format!("NV{i:05}")), Some(&1), "NV{i:05}");
    }
    assert!(seen.values().all(|n| *n == 1), "no row twice");
    assert_eq!(
        seen.len(),
        1003,
        "rows added during paging appear at the end"
    );
}

#[actix_web::test]
async fn merging_units_moves_children_and_officials_and_hides_the_sources() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let qb = app.create_unit(&admin, "QB", "province", None).await;
    let qt = app.create_unit(&admin, "QT", "province", None).await;
    let qb_id = qb["id"].as_str().unwrap();
    let qt_id = qt["id"].as_str().unwrap();
    let dept = app
        .create_unit(&admin, "QB-SKHCN", "provincial_department", Some(qb_id))
        .await;
    let official = app
        .create_official(&admin, qb_id, "QB-1", "Hoàng Văn Nam")
        .await;

    let res = app
        .post_as(
            &admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [qb_id], "target_id": qt_id, "effective_date": "2025-07-01"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["target"]["id"], qt_id);
    assert_eq!(body["moved_secondments"], 0);
    assert_eq!(body["moved_officials"], 1);
    assert_eq!(body["moved_children"], 1);

    let merged: Value = app
        .get_as(&admin, &format!("/api/v1/org-units/{qb_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(merged["valid_to"], "2025-06-30");
    assert_eq!(merged["successor_id"], qt_id);
    let moved: Value = app
        .get_as(
            &admin,
            &format!("/api/v1/org-units/{}", dept["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["parent_id"], qt_id);
    let person: Value = app
        .get_as(
            &admin,
            &format!("/api/v1/officials/{}", official["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(person["home_unit_id"], qt_id);

    let current = app
        .list_all(&admin, "/api/v1/org-units?kind=province")
        .await;
    assert_eq!(current.len(), 1, "merged units are hidden");
    let all = app
        .list_all(
            &admin,
            "/api/v1/org-units?kind=province&include_inactive=true",
        )
        .await;
    assert_eq!(all.len(), 2);

    // Merging again, or into itself, is refused.
    for body in [
        json!({"source_ids": [qb_id], "target_id": qt_id, "effective_date": "2025-08-01"}),
        json!({"source_ids": [qt_id], "target_id": qt_id, "effective_date": "2025-08-01"}),
    ] {
        let res = app.post_as(&admin, "/api/v1/org-units/merge", &body).await;
        assert_problem(res, 409, "conflict").await;
    }
    let events = app.audit_of(&admin, "org_unit", qb_id).await;
    assert_eq!(events.last().unwrap()["action"], "org_unit.merged");
}

#[actix_web::test]
async fn a_merge_into_a_descendant_is_refused_and_a_failed_merge_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let parent = app.create_unit(&admin, "A", "province", None).await;
    let a = parent["id"].as_str().unwrap();
    let child = app
        .create_unit(&admin, "A-1", "provincial_department", Some(a))
        .await;
    let res = app
        .post_as(
            &admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [a], "target_id": child["id"], "effective_date": "2025-07-01"}),
        )
        .await;
    assert_problem(res, 409, "conflict").await;

    // The first source is valid, the second was already merged: the whole
    // request fails and the first source is untouched.
    let b = app.create_unit(&admin, "B", "province", None).await;
    let c = app.create_unit(&admin, "C", "province", None).await;
    let d = app.create_unit(&admin, "D", "province", None).await;
    let b_child = app
        .create_unit(&admin, "B-1", "provincial_department", b["id"].as_str())
        .await;
    let res = app
        .post_as(
            &admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [c["id"]], "target_id": d["id"], "effective_date": "2025-07-01"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_as(
            &admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [b["id"], c["id"]], "target_id": a, "effective_date": "2025-07-01"}),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
    let b_after: Value = app
        .get_as(
            &admin,
            &format!("/api/v1/org-units/{}", b["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b_after["valid_to"], Value::Null);
    assert_eq!(b_after["successor_id"], Value::Null);
    assert_eq!(b_after["version"], 1);
    let child_after: Value = app
        .get_as(
            &admin,
            &format!("/api/v1/org-units/{}", b_child["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(child_after["parent_id"], b["id"]);
}

#[actix_web::test]
async fn the_2025_provinces_load_once_however_often_the_command_runs() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for run in 0..2 {
        let out = crate::binary::binary(&app.db.url())
            .arg("load-reference-data")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        if run == 0 {
            assert!(
                stdout.contains("97 units created, 63 former provinces merged"),
                "{stdout}"
            );
        } else {
            assert!(
                stdout.contains("0 units created, 0 former provinces merged"),
                "{stdout}"
            );
        }
    }
    let current = app
        .list_all(&admin, "/api/v1/org-units?kind=province")
        .await;
    assert_eq!(current.len(), 34);
    let all = app
        .list_all(
            &admin,
            "/api/v1/org-units?kind=province&include_inactive=true",
        )
        .await;
    assert_eq!(all.len(), 97);
    let by_code = |code: &str| all.iter().find(|u| u["code"] == code).unwrap().clone();
    let quang_binh = by_code("P44-OLD");
    let quang_tri = by_code("P44");
    assert_eq!(quang_binh["name"], "Quảng Bình");
    assert_eq!(quang_tri["name"], "Quảng Trị");
    assert_eq!(quang_binh["successor_id"], quang_tri["id"]);
    assert_eq!(quang_binh["valid_to"], "2025-06-30");
    assert_eq!(by_code("P45-OLD")["successor_id"], quang_tri["id"]);
    assert_eq!(quang_tri["valid_from"], "2025-07-01");
    let found: Vec<_> = app
        .list_all(&admin, "/api/v1/org-units?q=quang%20tri")
        .await
        .iter()
        .map(|u| u["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(found, ["P44"]);
}

#[actix_web::test]
async fn the_import_command_reads_a_file_all_or_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_unit(&admin, "BNV", "ministry", None).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(&good, csv_rows(30, "BNV", "CLI")).unwrap();
    let out = crate::binary::binary(&app.db.url())
        .arg("import-officials")
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("30 created"));

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, csv_rows(5, "NOPE", "BAD")).unwrap();
    let out = crate::binary::binary(&app.db.url())
        .arg("import-officials")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2: home_unit_code"), "{err}");
    assert_eq!(app.list_all(&admin, "/api/v1/officials").await.len(), 30);
}
