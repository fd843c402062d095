//! The second half of the allowed-actions walk (`actions.rs`): every
//! secondment-level flag of every person on every status taken through
//! the API. A hidden action is refused and changes nothing; an offered
//! one succeeds, on a fresh posting in the same status since it changes
//! state.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::actions::{ok, predicted, Person, Seen};
use crate::actions_requests::{fresh, take, FLAGS};
use crate::lifecycle::World;

/// Takes every flag of every person on every posting through the API and
/// checks that each flag was both offered and hidden somewhere (a walk
/// that never offers an action proves nothing about it).
pub(crate) async fn perform(
    w: &World,
    people: &[Person<'_>],
    seen: &Seen,
    postings: &[(&'static str, String)],
) {
    let hidden = hidden(w, people, seen, postings).await;
    items(w, people, seen, postings).await;
    let offered = offered(w, people, seen, postings).await;
    for flag in FLAGS {
        assert!(
            hidden.get(flag).copied().unwrap_or(0) > 0,
            "{flag} was never hidden"
        );
        assert!(
            offered.get(flag).copied().unwrap_or(0) > 0,
            "{flag} was never offered"
        );
    }
}

/// A hidden action is refused as SPEC 3 says (`404` for a posting the
/// caller may not see, else `403`, `409` or `422`) and leaves the
/// secondment as it was: the shared postings serve them all. Returns how
/// many of each flag were tried.
async fn hidden(
    w: &World,
    people: &[Person<'_>],
    seen: &Seen,
    postings: &[(&'static str, String)],
) -> BTreeMap<&'static str, usize> {
    let mut tried = BTreeMap::new();
    for (status, id) in postings {
        let before = ok(w.get(&w.admin, id).await).await;
        for p in people {
            let flags = seen.get(&(p.name, *status));
            for flag in FLAGS {
                if let Some(a) = flags {
                    assert!(
                        a[flag].is_boolean(),
                        "{} {status}: no {flag} in {a}",
                        p.name
                    );
                    if a[flag] == true {
                        continue;
                    }
                }
                let what = format!("{} {flag} on the {status} posting (flag false)", p.name);
                let Some(res) = take(w, &p.token, flag, &before).await else {
                    continue;
                };
                let code = res.status().as_u16();
                let body: Value = res.json().await.unwrap_or(Value::Null);
                let expected: &[u16] = if flags.is_some() {
                    &[403, 409, 422]
                } else {
                    &[404]
                };
                assert!(
                    expected.contains(&code),
                    "{what}: the API answered {code}, not one of {expected:?}: {body}"
                );
                let after = ok(w.get(&w.admin, id).await).await;
                assert_eq!(
                    after, before,
                    "{what}: refused with {code}, yet the secondment changed (version {} -> {})",
                    before["version"], after["version"]
                );
                *tried.entry(flag).or_default() += 1;
            }
        }
    }
    tried
}

/// An offered action succeeds: each on a fresh posting in the status it
/// was offered in, which offers the person exactly what the shared one
/// did. Returns how many of each flag were taken.
async fn offered(
    w: &World,
    people: &[Person<'_>],
    seen: &Seen,
    postings: &[(&'static str, String)],
) -> BTreeMap<&'static str, usize> {
    let mut taken = BTreeMap::new();
    let mut k = 0;
    for p in people {
        for (status, _) in postings {
            let Some(a) = seen.get(&(p.name, *status)) else {
                continue;
            };
            for flag in FLAGS.into_iter().filter(|f| a[*f] == true) {
                let what = format!("{} {flag} on a fresh {status} posting (flag true)", p.name);
                let s = fresh(w, status, k).await;
                k += 1;
                let id = s["id"].as_str().unwrap();
                let mine = ok(w.get(&p.token, id).await).await;
                assert_eq!(
                    &mine["actions"], a,
                    "{what}: the fresh posting offers what the walk's did"
                );
                let res = take(w, &p.token, flag, &s).await.expect("a request");
                let code = res.status();
                let body: Value = res.json().await.unwrap_or(Value::Null);
                assert!(code.is_success(), "{what}: the API answered {code}: {body}");
                *taken.entry(flag).or_default() += 1;
            }
        }
    }
    taken
}

/// A sample of the milestones' and outcomes' own actions (their flags are
/// checked against the console in `actions::items_match`): hidden ones
/// refused, then offered ones taken.
async fn items(w: &World, people: &[Person<'_>], seen: &Seen, postings: &[(&'static str, String)]) {
    let token = |name: &str| {
        people
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.token.clone())
            .unwrap()
    };
    let active = &postings.iter().find(|(s, _)| *s == "active").unwrap().1;
    assert!(seen.contains_key(&("admin", "active")));
    let app = &w.app;
    let item = |name: &str, kind: &str| {
        let (t, k) = (token(name), kind.to_string());
        async move {
            app.list_all(&t, &format!("/api/v1/secondments/{active}/{k}"))
                .await
        }
    };
    let post = |name: &str, path: &str| {
        let (t, path) = (token(name), path.to_string());
        async move { app.post_as(&t, &path, &json!({})).await }
    };
    let m = item("linked_director", "milestones").await[0].clone();
    assert_eq!(m["actions"]["complete"], false);
    let mpath = format!("/api/v1/milestones/{}/complete", m["id"].as_str().unwrap());
    predicted(false, "complete", post("linked_director", &mpath).await).await;
    let o = item("home_director", "outcomes").await[0].clone();
    assert_eq!(o["actions"]["acknowledge"], false);
    let opath = format!("/api/v1/outcomes/{}/acknowledge", o["id"].as_str().unwrap());
    predicted(false, "acknowledge", post("home_director", &opath).await).await;

    let o = item("host_director", "outcomes").await[0].clone();
    assert_eq!(o["actions"]["acknowledge"], true);
    predicted(true, "acknowledge", post("host_director", &opath).await).await;
    let m = item("admin", "milestones").await[0].clone();
    assert_eq!(
        m["actions"]["complete"], true,
        "the API lets an administrator complete it"
    );
    predicted(true, "complete", post("admin", &mpath).await).await;
}
