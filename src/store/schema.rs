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
        full_name -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        must_change_password -> Bool,
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
        secondment_id -> Nullable<Text>,
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

diesel::table! {
    /// Postings of officials to other units.
    secondments (id) {
        id -> Text,
        kind -> Text,
        official_id -> Text,
        home_unit_id -> Text,
        host_unit_id -> Text,
        direction -> Text,
        ground -> Text,
        position_title -> Text,
        mandate -> Text,
        start_date -> Date,
        end_date -> Date,
        original_end_date -> Date,
        actual_end_date -> Nullable<Date>,
        status -> Text,
        agreement_ref -> Nullable<Text>,
        consultation_held_on -> Nullable<Date>,
        consultation_note -> Nullable<Text>,
        decision_ref -> Nullable<Text>,
        exception_ref -> Nullable<Text>,
        return_arrangement -> Nullable<Text>,
        end_reason -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        version -> Integer,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// One side's decision on a proposal or an extension.
    approvals (id) {
        id -> Text,
        secondment_id -> Text,
        request_id -> Text,
        request_kind -> Text,
        side -> Text,
        decision -> Text,
        comment -> Nullable<Text>,
        decided_by -> Text,
        on_behalf_of -> Nullable<Text>,
        decided_at -> Timestamp,
        decided_on -> Nullable<Date>,
    }
}

diesel::table! {
    /// Requests to move a secondment's end date.
    extensions (id) {
        id -> Text,
        secondment_id -> Text,
        requested_by -> Text,
        requested_end_date -> Date,
        previous_end_date -> Date,
        reason -> Text,
        status -> Text,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        decision_ref -> Nullable<Text>,
    }
}

diesel::table! {
    /// Planned steps of a secondment.
    milestones (id) {
        id -> Text,
        secondment_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        due_date -> Date,
        status -> Text,
        completed_at -> Nullable<Timestamp>,
        note -> Nullable<Text>,
        template -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        completed_on -> Nullable<Date>,
    }
}

diesel::table! {
    /// What a seconded official achieved.
    outcomes (id) {
        id -> Text,
        secondment_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        pillar -> Text,
        occurred_on -> Date,
        metrics_json -> Text,
        milestone_id -> Nullable<Text>,
        acknowledged_by -> Nullable<Text>,
        acknowledged_at -> Nullable<Timestamp>,
        created_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The host's final evaluation of a completed secondment.
    evaluations (secondment_id) {
        secondment_id -> Text,
        rating -> Text,
        comment -> Nullable<Text>,
        evaluated_by -> Text,
        evaluated_at -> Timestamp,
    }
}

diesel::table! {
    /// A director's decisions handed to someone else for a date range.
    delegations (id) {
        id -> Text,
        delegator_id -> Text,
        delegate_id -> Text,
        starts_on -> Date,
        ends_on -> Date,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Public holidays (reminders move to the working day before).
    holidays (holiday_date) {
        holiday_date -> Date,
        name_vi -> Text,
        name_en -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The transactional email outbox.
    emails (id) {
        id -> Text,
        idempotency_key -> Text,
        kind -> Text,
        secondment_id -> Nullable<Text>,
        reference_date -> Nullable<Date>,
        recipient_email -> Text,
        recipient_name -> Nullable<Text>,
        language -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        message_id -> Text,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The reminders an email carries, each with its idempotency key.
    email_items (idempotency_key) {
        idempotency_key -> Text,
        email_id -> Text,
        kind -> Text,
        secondment_id -> Nullable<Text>,
        reference_date -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The approval nudges settled per waiting request (a fingerprint).
    nudge_checks (request_id) {
        request_id -> Text,
        signature -> Text,
    }
}

diesel::table! {
    job_leases (name) {
        name -> Text,
        holder -> Text,
        lease_until -> Timestamp,
    }
}

diesel::table! {
    /// The token of each user's calendar feed, as SHA-256.
    calendar_tokens (user_id) {
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> org_units (org_unit_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(officials -> org_units (home_unit_id));
diesel::joinable!(official_search_terms -> officials (official_id));
diesel::joinable!(secondments -> officials (official_id));
diesel::joinable!(approvals -> secondments (secondment_id));
diesel::allow_tables_to_appear_in_same_query!(
    org_units,
    users,
    audit_events,
    refresh_tokens,
    login_failures,
    officials,
    official_search_terms,
    secondments,
    approvals,
    extensions,
    milestones,
    outcomes,
    evaluations,
    delegations,
    holidays,
    emails,
    email_items,
    job_leases,
    nudge_checks,
    calendar_tokens
);
