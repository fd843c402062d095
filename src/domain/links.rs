//! Addresses the service writes into what leaves it (emails, calendar
//! feeds): absolute, from the one base URL (`ServerSettings::base_url`).

/// The console's page of a secondment: what a person clicks in an email
/// or a calendar event (the console signs them in first when needed).
pub fn secondment_page(base_url: &str, secondment_id: &str) -> String {
    format!(
        "{}/secondments/{secondment_id}",
        base_url.trim_end_matches('/')
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_link_has_one_slash_between_base_and_path() {
        assert_eq!(
            super::secondment_page("https://biet-phai.example.gov.vn/", "abc"),
            "https://biet-phai.example.gov.vn/secondments/abc"
        );
    }
}
