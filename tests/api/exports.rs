//! CSV and XLSX exports of the lists, read back by real parsers.

use serde_json::json;

use crate::helpers::{csv_rows, spawn_app, TestApp, TestDb};
use crate::lifecycle::world_with;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn download(app: &TestApp, token: &str, path: &str, accept: &str) -> (String, Vec<u8>) {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .header("accept", accept)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200, "{path}");
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    (content_type, res.bytes().await.unwrap().to_vec())
}

/// Parses a CSV export: checks the BOM, returns the header and records.
fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("UTF-8 byte-order mark first");
    let mut reader = csv::Reader::from_reader(body);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader.records().map(|r| r.expect("csv record")).collect();
    (header, records)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name}"))
}

#[actix_web::test]
async fn a_csv_export_has_one_row_per_secondment_with_names_intact() {
    let w = world_with(spawn_app().await).await;
    let first = w.approved("2021-04-01", "2023-03-31").await;
    let other = w
        .app
        .create_official(&w.admin, &w.home, "MIC-0301", "Nguyễn Thị Ánh Tuyết")
        .await;
    let mut body = w.draft_body("2026-01-01", "2027-06-30");
    body["official_id"] = other["id"].clone();
    body["position_title"] = json!("=HYPERLINK(\"http://x\")");
    let draft = w
        .create(&body)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();

    let (content_type, bytes) =
        download(&w.app, &w.hr.token, "/api/v1/secondments", "text/csv").await;
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let (header, rows) = parse_csv(&bytes);
    assert_eq!(rows.len(), 2);
    let (id, name, code, host, start, pos) = (
        column(&header, "id"),
        column(&header, "official_full_name"),
        column(&header, "official_staff_code"),
        column(&header, "host_unit_code"),
        column(&header, "start_date"),
        column(&header, "position_title"),
    );
    let first_row = rows.iter().find(|r| r[id] == *first).expect("first row");
    assert_eq!(&first_row[name], "Phạm Quang Hiếu");
    assert_eq!(&first_row[code], "MIC-0001");
    assert_eq!(&first_row[host], "P19-STTTT");
    assert_eq!(&first_row[start], "2021-04-01");
    assert_eq!(&first_row[column(&header, "status")], "approved");
    assert_eq!(&first_row[column(&header, "actual_end_date")], "");
    let draft_row = rows
        .iter()
        .find(|r| r[id] == *draft["id"].as_str().unwrap())
        .expect("draft row");
    assert_eq!(&draft_row[name], "Nguyễn Thị Ánh Tuyết");
    // A formula is not run by a spreadsheet program.
    assert_eq!(&draft_row[pos], "'=HYPERLINK(\"http://x\")");

    // Filters apply; paging parameters do not cut the file.
    let (_, bytes) = download(
        &w.app,
        &w.hr.token,
        "/api/v1/secondments?status=draft&limit=1",
        "text/csv",
    )
    .await;
    let (_, rows) = parse_csv(&bytes);
    assert_eq!(rows.len(), 1);
    let (_, bytes) = download(
        &w.app,
        &w.hr.token,
        "/api/v1/secondments?limit=1",
        "text/csv",
    )
    .await;
    assert_eq!(parse_csv(&bytes).1.len(), 2);
    // Outside the scope: the header only.
    let elsewhere = w.app.create_unit(&w.admin, "P20", "province", None).await;
    let stranger = w
        .app
        .create_session(&w.admin, "hr_officer", elsewhere["id"].as_str(), None)
        .await;
    let (_, bytes) = download(&w.app, &stranger.token, "/api/v1/secondments", "text/csv").await;
    let (header, rows) = parse_csv(&bytes);
    assert_eq!(header[0], "id");
    assert!(rows.is_empty());
    // JSON stays the default.
    let (content_type, _) = download(&w.app, &w.hr.token, "/api/v1/secondments", "*/*").await;
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
}

/// `n` secondments straight into the database, one per imported official.
fn insert_postings(db: &TestDb, prefix: &str, host: &str) {
    let (day, ts) = if db.url().starts_with("postgres") {
        ("DATE '{}'", "TIMESTAMP '{}'")
    } else {
        ("'{}'", "'{}'")
    };
    let d = |v: &str| day.replace("{}", v);
    let t = |v: &str| ts.replace("{}", v);
    db.execute(&format!(
        "INSERT INTO secondments (id, kind, official_id, home_unit_id, host_unit_id, direction, ground, \
         position_title, mandate, start_date, end_date, original_end_date, status, version, created_at, updated_at) \
         SELECT id, 'secondment', id, home_unit_id, '{host}', 'central_to_local', 'fixed_term_task', \
         'Chuyên viên biệt phái', '', {s}, {e}, {e}, 'active', 1, {ts}, {ts} \
         FROM officials WHERE staff_code LIKE '{prefix}%'",
        s = d("2026-01-01"),
        e = d("2027-12-31"),
        ts = t("2026-01-01 00:00:00"),
    ));
}

#[actix_web::test]
async fn ten_thousand_rows_export_whole_as_csv_and_xlsx() {
    let w = world_with(spawn_app().await).await;
    let res = w
        .app
        .import_csv(&w.admin, csv_rows(10_000, "BTTTT-CDS", "EXP"))
        .await;
    assert_eq!(res.status(), 200);
    insert_postings(&w.app.db, "EXP", &w.host);

    let (_, bytes) = download(&w.app, &w.admin, "/api/v1/secondments", "text/csv").await;
    let (header, rows) = parse_csv(&bytes);
    assert_eq!(rows.len(), 10_000);
    let id = column(&header, "id");
    let unique: std::collections::HashSet<&str> = rows.iter().map(|r| r.get(id).unwrap()).collect();
    assert_eq!(unique.len(), 10_000);
    let name = column(&header, "official_full_name");
    assert!(rows.iter().all(|r| r[name].starts_with("Nguyễn Văn EXP")));

    let (_, bytes) = download(&w.app, &w.hr.token, "/api/v1/officials", "text/csv").await;
    let (header, rows) = parse_csv(&bytes);
    assert_eq!(rows.len(), 10_001);
    assert!(rows
        .iter()
        .any(|r| r[column(&header, "full_name")] == *"Phạm Quang Hiếu"));

    let (content_type, bytes) = download(&w.app, &w.hr.token, "/api/v1/secondments", XLSX).await;
    assert_eq!(content_type, XLSX);
    let sheet = read_xlsx(&bytes);
    assert_eq!(sheet["rows"], 10_001);
    assert_eq!(sheet["header"][0], "id");
    assert_eq!(sheet["freeze"], "A2");
    assert_eq!(sheet["start_date_type"], "datetime");
    assert_eq!(sheet["start_date"], "2026-01-01");
    assert!(sheet["official_name_width"].as_f64().unwrap() > 20.0);
    assert!(sheet["names"].as_array().unwrap()[0]
        .as_str()
        .unwrap()
        .starts_with("Nguyễn Văn EXP"));
}

/// Opens an XLSX file with openpyxl (a spreadsheet reader from PyPI) and
/// reports what a user would see.
fn read_xlsx(bytes: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let script = r#"
import json, sys, datetime
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
header = [c.value for c in ws[1]]
start = header.index("start_date") + 1
name = header.index("official_full_name") + 1
cell = ws.cell(row=2, column=start)
letter = openpyxl.utils.get_column_letter(name)
print(json.dumps({
    "rows": ws.max_row,
    "header": header,
    "freeze": ws.freeze_panes,
    "start_date_type": type(cell.value).__name__,
    "start_date": cell.value.date().isoformat() if isinstance(cell.value, datetime.datetime) else str(cell.value),
    "official_name_width": ws.column_dimensions[letter].width,
    "names": [ws.cell(row=r, column=name).value for r in range(2, 5)],
}))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output();
    match out {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout).expect("openpyxl json"),
        other => panic!(
            "openpyxl could not read the export (pip install openpyxl; scripts/test.sh does): {other:?}"
        ),
    }
}
