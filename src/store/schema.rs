//! Table definitions shared by both backends. Only SQL types that SQLite and
//! PostgreSQL both support through diesel's `MultiConnection` appear here.

diesel::table! {
    /// The organisation tree: ministries, provinces, their departments.
    org_units (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        name_en -> Nullable<Text>,
        kind -> Text,
        parent_id -> Nullable<Text>,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        successor_id -> Nullable<Text>,
        name_folded -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Accounts that can sign in.
    users (id) {
        id -> Text,
        email -> Text,
        email_normalized -> Text,
        password_hash -> Text,
        role -> Text,
        org_unit_id -> Nullable<Text>,
        official_id -> Nullable<Text>,
        language -> Text,
        disabled -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Append-only log of every change.
    audit_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        actor_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
    }
}

diesel::table! {
    /// Refresh tokens, as hashes; rotated on every use.
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        replaced_by -> Nullable<Text>,
    }
}

diesel::table! {
    /// Failed logins, for the per-account lockout.
    login_failures (id) {
        id -> Text,
        email_normalized -> Text,
        occurred_at -> Timestamp,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    /// Officials who can be seconded.
    officials (id) {
        id -> Text,
        staff_code -> Text,
        full_name -> Text,
        email -> Text,
        email_normalized -> Text,
        home_unit_id -> Text,
        position -> Nullable<Text>,
        rank -> Nullable<Text>,
        date_of_birth -> Nullable<Date>,
        language -> Text,
        protected_until -> Nullable<Date>,
        in_succession_plan -> Bool,
        retirement_date -> Nullable<Date>,
        active -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Folded words of an official's name, code and email, for search.
    official_search_terms (term, official_id) {
        term -> Text,
        official_id -> Text,
    }
}

diesel::joinable!(users -> org_units (org_unit_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(officials -> org_units (home_unit_id));
diesel::joinable!(official_search_terms -> officials (official_id));
diesel::allow_tables_to_appear_in_same_query!(
    org_units,
    users,
    audit_events,
    refresh_tokens,
    login_failures,
    officials,
    official_search_terms
);
