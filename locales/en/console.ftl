### The web console's words in English.
###
### One message per word. Rust code and templates name a word by its key
### (`t["status.active"]`, `lang.word("field.end_date")`); Fluent ids
### cannot hold dots or brackets, so the key is written here with each
### `.` as `-` and each index `[0]` as `--0` (`status-active`,
### `field-metrics--0-name`). The mapping lives in src/web/words.rs only.
### Both languages define exactly the same ids (a unit test checks it).
### Variables (`{ $max }`) are filled by `Lang::word_with`.

## The console's own words

list-next = Next page
app = Secondments
skip = Skip to content
signin = Sign in
signout = Sign out
email = Email
password = Password
bad_login = The email or password is incorrect.

nav-approvals = Pending approvals
nav-secondments = Secondments
nav-new = New proposal
nav-mine = My secondment
language = Language

pending-title = Requests waiting for your decision
pending-none = Nothing waits for your decision.

kind-proposal = Secondment proposal
kind-extension = Extension
months_used = Months
of_cap = of the cap of
legal = Legal steps
sides = Deciding for

side-home = sending unit
side-host = receiving unit
on_behalf = On behalf of
approve = Approve
reject = Reject
decision = Decision
decision-record = Record the decision

decided-before = Decided so far
requested_end = End asked for

list-title = Secondments
list-none = No secondment matches.
filter = Filter
filter-active_on = In post on
filter-ending_after = Ending on or after
filter-ending_before = Ending on or before
all = All
export_csv = Export CSV
export_xlsx = Export Excel

new-title = New secondment proposal

narrow-title = Narrow the choices
narrow-official = Find the official (name, code, email)
narrow-unit = Find the unit (name, code)
narrow-more = Only the first 500 choices are listed; search to narrow them.
create = Create proposal
submit = Submit for approval
choose = — Choose —
fix_errors = Please correct the errors below.
dates = Dates
days_left = Days remaining
approvals = Approvals
timeline = History
outcomes = Outcomes

outcome-new = Log an outcome

outcomes-none = No outcome yet.
metric = Metric
save = Save
extension = Extension
extension-ask = Request an extension
extension-withdraw = Withdraw the request
extension-pending = An extension request waits for decisions
evaluation = Evaluation
evaluate = Final evaluation

mine-none = You have no secondment.
system = The system
on = on

error-title = That did not work
error-404 = This page does not exist.
error-403 = You may not do this.
error-csrf = The form has expired; reload the page and try again.
error-500 = Something went wrong; it has been logged.
error-409 = This can no longer be done: the record has moved on.
error-412 = Someone else changed this record; open the page again and retry.
error-429 = Too many attempts; wait a few minutes and try again.

## Refusals and clashes the application names by code (`refusal.<code>`,
## `conflict.<code>`), and what is wrong with a field (`problem.<code>`).

refusal-role = Your role may not do this.
refusal-out-of-scope = This record is outside your units.
refusal-not-theirs = Only the person this record belongs to, or who made it, may do this.
refusal-not-the-decider = Only a director of the side whose decision it is may decide this.
conflict-duplicate = A record with the same details already exists.
conflict-in-use = A record it refers to is missing or still in use.
conflict-overlap = It overlaps another record of the same official.
conflict-already-done = This was already done.
problem-required = is required
problem-empty = must not be empty
problem-not-a-date = must be a date written YYYY-MM-DD
problem-date-out-of-range = must be a date from 1900-01-01 to 2199-12-31
problem-not-a-number = must be a number
problem-not-a-whole-number = must be a whole number
problem-not-one-of = must be one of the allowed values
problem-not-an-id = must be an id
problem-not-an-email = must be an email address such as name@example.gov.vn
problem-unknown-field = is not a known field
problem-too-short = must be at least { $min } characters
problem-too-long = must be at most { $max } characters
problem-has-spaces = must not contain spaces
problem-control-characters = must not contain control characters
problem-names-nothing = does not exist
problem-password-too-short = must be at least 12 characters
problem-password-is-email = must not be the email address
problem-password-unchanged = must differ from the current password
problem-password-mismatch = does not match the new password
back = Back

nav-officials = Officials

officials-title = Officials
officials-search = Search by name, staff code or email
officials-new = Add an official
officials-none = No official matches.
officials-inactive = Inactive
officials-import = Import a CSV file
officials-import_help = A CSV file with the header of the API documentation; all lines are imported or none.
officials-file = CSV file

import-created = Created
import-updated = Updated
import-unchanged = Unchanged
import-nothing = Nothing was imported.
import-errors = Errors by line
import-line = Line
import-column = Column
import-problem = Problem

field-staff_code = Staff code
field-full_name = Full name
field-email = Email
field-position = Position
field-rank = Rank
field-date_of_birth = Date of birth
field-protected_until = Protected until
field-retirement_date = Retirement date
field-in_succession_plan = In the succession plan
field-active = Active

rule-max_duration = A secondment lasts at most { $max } months, extensions included.
rule-end_after_start = The end date must be after the start date.
rule-extension_later_end = The end date asked for must be after the current end date.
rule-protected_official = The official is protected until a later date.
rule-rotation_min_duration = A rotation lasts at least { $min } months without an exception.
rule-rotation_succession_plan = Only an official in the succession plan may be rotated.
rule-rotation_working_time = A rotated official needs { $years } years of working time left.
manage = Manage

holiday-add = Add a public holiday
holiday-remove = Remove
holiday-name_vi = Name in Vietnamese
holiday-name_en = Name in English

decide-here = Decide it in your pending approvals

edit-title = Edit the proposal
cancel = Cancel the secondment
terminate = End early
milestones = Milestones

milestone-complete = Mark done
milestone-add = Add a milestone

outcome-acknowledge = Acknowledge
outcome-edit = Edit the outcome
outcome-acknowledged = Acknowledged

field-actual_end_date = Last day served
field-return_arrangement = Post on return
field-due_date = Due

status-m_planned = Planned
status-m_done = Done
status-m_missed = Missed
status-m_cancelled = Cancelled

nav-reports = Reports

reports-title = Summary report
reports-as_of = As of
reports-total = Secondments in all
reports-in_post = In post
reports-ending_30 = Ending within 30 days
reports-ending_90 = Ending within 90 days
reports-by_status = By status
reports-by_province = In post by host province
reports-province = Province
reports-count = Count

nav-account = My account

account-title = My account

calendar-title = My calendar
calendar-help = Add this address to your calendar application to see secondment end dates and milestones.
calendar-url = Calendar address
calendar-once = The address is shown only now; the previous one no longer works.
calendar-new = Make a new calendar address

delegation-title = Delegating decisions while on leave
delegation-none = No delegation.
delegation-new = Delegate
delegation-withdraw = Withdraw

field-delegate_user_id = Delegate
field-starts_on = From
field-ends_on = Until
field-official_id = Official
field-home_unit_id = Sending unit
field-host_unit_id = Receiving unit
field-kind = Kind
field-ground = Ground
field-position_title = Post at the host
field-mandate = Mandate
field-start_date = Start date
field-end_date = End date
field-agreement_ref = Written agreement
field-consultation-held_on = Consultation with the official on
field-consultation-note = The official's opinion
field-exception_ref = Exception decision
field-comment = Comment
field-decision_ref = Decision number
field-title = Title
field-description = Description
field-pillar = Pillar
field-occurred_on = Date
field-metrics = Metrics
field-metrics--0-name = Metric name
field-metrics--0-value = Value
field-metrics--0-unit = Unit
field-requested_end_date = End date asked for
field-reason = Reason
field-rating = Rating
field-status = Status
field-q = Find an official

kind-secondment = Secondment
kind-rotation = Rotation

ground-urgent_task = Urgent task
ground-fixed_term_task = Fixed-term task

pillar-digital_government = Digital government
pillar-digital_economy = Digital economy
pillar-digital_society = Digital society
pillar-other = Other

rating-excellent = Excellent
rating-good = Good
rating-satisfactory = Satisfactory
rating-unsatisfactory = Unsatisfactory

status-draft = Draft
status-pending_approval = Pending approval
status-approved = Approved
status-active = Active
status-completed = Completed
status-rejected = Rejected
status-cancelled = Cancelled
status-terminated = Terminated
status-pending = Pending
status-withdrawn = Withdrawn

did-secondment-created = created the proposal
did-secondment-updated = changed the proposal
did-secondment-submit = submitted it for approval
did-secondment-approve = completed the approval
did-secondment-reject = rejected it
did-secondment-cancel = cancelled it
did-secondment-terminate = ended it early
did-secondment-activate = started the secondment
did-secondment-complete = completed the secondment
did-secondment-extended = extended it
did-secondment-evaluated = evaluated it
did-secondment-unit_merged = updated a merged unit
did-secondment-open_items_closed = closed the open items
did-approval-approved = approved
did-approval-rejected = rejected
did-approval-approved-extension = approved the extension
did-approval-rejected-extension = rejected the extension
did-extension-requested = asked for an extension
did-extension-approved = completed the extension's approval
did-extension-rejected = rejected the extension
did-extension-withdrawn = withdrew the extension request
did-extension-lapsed-completed = closed the undecided extension request: the secondment had ended
did-extension-lapsed-cancelled = closed the undecided extension request: the secondment was cancelled
did-extension-lapsed-terminated = closed the undecided extension request: the secondment was ended early
did-extension-lapsed = closed the undecided extension request
did-outcome-created = logged an outcome
did-outcome-updated = changed an outcome
did-outcome-deleted = deleted an outcome
did-outcome-acknowledged = acknowledged an outcome
did-milestone-created = added a milestone
did-milestone-updated = changed a milestone
did-milestone-completed = completed a milestone
did-milestone-missed = marked a milestone missed
did-milestone-rescheduled = rescheduled a milestone

role-director = Director
role-hr_officer = HR officer
role-cadre = Official
role-admin = Administrator

## The administrator's pages

admin-nav-users = Users
admin-nav-units = Org units
admin-nav-holidays = Holidays
admin-nav-outbox = Outbox
admin-none = —
admin-next = Next page
admin-users-title = User accounts
admin-users-none = No account matches.
admin-users-search = Search by email
admin-users-new = Create an account
admin-users-create = Create the account
admin-users-you = (you)
admin-users-state = State
admin-users-actions = Actions
admin-users-enabled = Active
admin-users-disabled = Disabled
admin-users-disable = Disable
admin-users-enable = Enable
admin-users-password_help = At least 12 characters, and not the email.
admin-users-link_help = HR officers and directors need the unit they work for; a cadre's account needs their official record.
admin-field-email = Email
admin-field-password = First password
admin-field-full_name = Full name
admin-field-role = Role
admin-field-org_unit_id = Unit
admin-field-official_id = Official record
admin-field-language = Email language
admin-lang-vi = Vietnamese
admin-lang-en = English
admin-units-title = Organisation units
admin-units-tree = Unit tree
admin-units-none = No unit yet.
admin-units-merged = Merged into
admin-units-closed = Closed
admin-units-last_day = last day
admin-units-merge_link = Merge units
admin-units-merge_done = The units were merged into
admin-merge-title = Merge units
admin-merge-help = Choose the units that cease, the unit they merge into and the effective date, then preview. Nothing changes until you confirm.
admin-field-source_ids = Units that cease to exist
admin-merge-sources_help = Hold Ctrl (or ⌘) to choose several units.
admin-field-target_id = Unit they merge into
admin-field-effective_date = Effective date
admin-merge-date_help = The units that cease end the day before.
admin-merge-preview = Preview
admin-merge-preview_title = What the merge would do
admin-merge-nothing_changed = Nothing has changed yet. Check, then confirm.
admin-merge-moved_secondments = Secondments not yet ended that move to the target
admin-merge-moved_officials = Officials whose home unit moves
admin-merge-moved_children = Child units that move under the target
admin-merge-confirm = Confirm the merge
admin-holidays-title = Public holidays of
admin-holidays-none = No holiday is loaded for this year; reminders will only skip weekends.
admin-holidays-years = Other years
admin-holidays-date = Date
admin-holidays-name = Holiday
admin-outbox-title = Outbox
admin-outbox-dead = Emails that failed for good
admin-outbox-dead_none = No email failed for good.
admin-outbox-all = All emails
admin-outbox-listed = Emails
admin-outbox-none = No email.
admin-outbox-created = Planned
admin-outbox-recipient = Recipient
admin-outbox-subject = Subject
admin-outbox-kind = Kind
admin-outbox-status = Status
admin-outbox-attempts = Attempts
admin-outbox-last_error = Last error
admin-outbox-next_attempt = Next attempt
admin-email_status-pending = Waiting
admin-email_status-sending = Sending
admin-email_status-sent = Sent
admin-email_status-failed = Failed, will retry
admin-email_status-dead = Failed for good
admin-email_status-cancelled = Cancelled
admin-email_kind-end_reminder = End reminder
admin-email_kind-milestone_reminder = Milestone reminder
admin-email_kind-approval_nudge = Approval reminder
admin-email_kind-digest = Digest
admin-email_kind-holidays_missing = Holidays missing

## A secondment's history in words

did-milestone-defaults = planned the default milestones

story-effective = effective
story-decision = decision
story-until = until
story-ended_on = ended on

field-original_end_date = Original end date

## Passwords

password-title = Change password
password-forced = Your current password was set by someone else (at the first start, or by an administrator's reset). Choose a new one before you continue.
password-rules = At least 12 characters, not your email address, and not your current password.
password-changed = Password changed. Your other sessions have been signed out.
password-submit = Change password

rule-wrong_current_password = The current password is not right.

field-current_password = Current password
field-new_password = New password
field-new_password_repeat = Repeat the new password

admin-users-reset = Reset password
admin-reset-title = One-time password
admin-reset-done = The password was reset and every session was signed out for
admin-reset-once = This password is shown only now. Hand it to the user over a safe channel; they must choose a new one when they sign in.
admin-reset-back = Back to the accounts

## Extensions, milestones, outcomes, delegations: refusals and conflicts

conflict-pending = Another request is already waiting for a decision.

## People, organisation, sign-in: the codes of refusals and conflicts

conflict-cycle = A unit cannot be placed under, or merged into, itself or one of the units below it.
conflict-not-current = The unit was merged away or closed.
conflict-own-account = An administrator cannot disable their own account or give up their own role; another administrator can.
refusal-own-account = Change your own password on your account page; a reset is for other accounts.
