//! The console's words in Vietnamese and English, dates as each language
//! writes them, and the labels of the API's field names (so that an
//! error names the field as the form does).

use chrono::NaiveDate;

/// The console's languages; Vietnamese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

impl Lang {
    /// `vi` or `en`; anything else is Vietnamese.
    pub fn parse(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    /// The code, as in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// A day as this language writes it: `dd/mm/yyyy` or `YYYY-MM-DD`.
    pub fn day(self, date: NaiveDate) -> String {
        match self {
            Lang::Vi => date.format("%d/%m/%Y").to_string(),
            Lang::En => date.format("%Y-%m-%d").to_string(),
        }
    }

    /// A number as this language writes it: `12,5` or `12.5`, whole
    /// numbers without decimals.
    pub fn number(self, n: f64) -> String {
        let text = if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        };
        match self {
            Lang::Vi => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// An API field message in this language, when it is a common one
    /// (the API words its messages in English).
    pub fn message(self, m: &str) -> String {
        const VI: &[(&str, &str)] = &[
            ("is required", "không được để trống"),
            ("must not be empty", "không được để trống"),
            (
                "must be a date YYYY-MM-DD",
                "phải là ngày hợp lệ (YYYY-MM-DD)",
            ),
            ("must be a number", "phải là một số"),
            ("must be one of", "phải là một trong các giá trị cho phép"),
            ("is not a known field", "không phải là trường hợp lệ"),
            ("names no ", "không tồn tại"),
            ("must be at least 12 characters", "phải có ít nhất 12 ký tự"),
            (
                "must not be the email address",
                "không được trùng thư điện tử",
            ),
            (
                "must differ from the current password",
                "phải khác mật khẩu hiện tại",
            ),
            (
                "does not match the new password",
                "không khớp với mật khẩu mới",
            ),
        ];
        match self {
            Lang::En => m.to_string(),
            Lang::Vi => VI
                .iter()
                .find(|(en, _)| m.starts_with(en))
                .map_or_else(|| m.to_string(), |(_, vi)| (*vi).to_string()),
        }
    }

    /// The word for `key`; the key itself when there is none.
    pub fn word(self, key: &str) -> String {
        all_words()
            .find(|(k, _, _)| *k == key)
            .map(|(_, vi, en)| if self == Lang::Vi { *vi } else { *en })
            .unwrap_or(key)
            .to_string()
    }

    /// Every word, for templates (`t.key`).
    pub fn words(self) -> std::collections::BTreeMap<&'static str, &'static str> {
        all_words()
            .map(|(k, vi, en)| (*k, if self == Lang::Vi { *vi } else { *en }))
            .collect()
    }
}

/// The words of every area of the console.
fn all_words() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    WORDS
        .iter()
        .chain(super::pages::admin::WORDS.iter())
        .chain(super::timeline::WORDS.iter())
        .chain(super::pages::password::WORDS.iter())
}

/// (key, Vietnamese, English). Field labels are `field.<api name>`,
/// statuses `status.<status>`, history actions `did.<action>`.
const WORDS: &[(&str, &str, &str)] = &[
    ("list.next", "Trang sau", "Next page"),
    ("app", "Quản lý biệt phái", "Secondments"),
    ("skip", "Bỏ qua đến nội dung", "Skip to content"),
    ("signin", "Đăng nhập", "Sign in"),
    ("signout", "Đăng xuất", "Sign out"),
    ("email", "Thư điện tử", "Email"),
    ("password", "Mật khẩu", "Password"),
    (
        "bad_login",
        "Thư điện tử hoặc mật khẩu không đúng.",
        "The email or password is incorrect.",
    ),
    ("nav.approvals", "Chờ phê duyệt", "Pending approvals"),
    ("nav.secondments", "Biệt phái", "Secondments"),
    ("nav.new", "Đề xuất mới", "New proposal"),
    ("nav.mine", "Biệt phái của tôi", "My secondment"),
    ("language", "Ngôn ngữ", "Language"),
    (
        "pending.title",
        "Yêu cầu chờ phê duyệt",
        "Requests waiting for your decision",
    ),
    (
        "pending.none",
        "Không có yêu cầu nào chờ phê duyệt.",
        "Nothing waits for your decision.",
    ),
    ("kind.proposal", "Đề xuất biệt phái", "Secondment proposal"),
    ("kind.extension", "Gia hạn", "Extension"),
    ("months_used", "Số tháng", "Months"),
    ("of_cap", "trên tối đa", "of the cap of"),
    ("legal", "Căn cứ pháp lý", "Legal steps"),
    ("sides", "Phê duyệt cho", "Deciding for"),
    ("side.home", "đơn vị cử đi", "sending unit"),
    ("side.host", "đơn vị tiếp nhận", "receiving unit"),
    ("on_behalf", "Thay mặt", "On behalf of"),
    ("approve", "Phê duyệt", "Approve"),
    ("reject", "Từ chối", "Reject"),
    ("decision", "Quyết định", "Decision"),
    ("decision.record", "Ghi nhận quyết định", "Record the decision"),
    ("decided.before", "Đã có ý kiến", "Decided so far"),
    ("requested_end", "Đề nghị kết thúc", "End asked for"),
    ("list.title", "Danh sách biệt phái", "Secondments"),
    (
        "list.none",
        "Không có biệt phái nào phù hợp.",
        "No secondment matches.",
    ),
    ("filter", "Lọc", "Filter"),
    ("filter.active_on", "Đang biệt phái vào ngày", "In post on"),
    (
        "filter.ending_after",
        "Kết thúc từ ngày",
        "Ending on or after",
    ),
    (
        "filter.ending_before",
        "Kết thúc đến ngày",
        "Ending on or before",
    ),
    ("all", "Tất cả", "All"),
    ("export_csv", "Xuất CSV", "Export CSV"),
    ("export_xlsx", "Xuất Excel", "Export Excel"),
    (
        "new.title",
        "Đề xuất biệt phái mới",
        "New secondment proposal",
    ),
    ("narrow.title", "Thu hẹp danh sách lựa chọn", "Narrow the choices"),
    ("narrow.official", "Tìm cán bộ (tên, mã, thư điện tử)", "Find the official (name, code, email)"),
    ("narrow.unit", "Tìm đơn vị (tên, mã)", "Find the unit (name, code)"),
    ("narrow.more", "Danh sách chỉ hiện 500 lựa chọn đầu tiên; hãy tìm để thu hẹp.", "Only the first 500 choices are listed; search to narrow them."),
    ("create", "Tạo đề xuất", "Create proposal"),
    ("submit", "Trình phê duyệt", "Submit for approval"),
    ("choose", "— Chọn —", "— Choose —"),
    (
        "fix_errors",
        "Vui lòng sửa các lỗi bên dưới.",
        "Please correct the errors below.",
    ),
    ("dates", "Thời gian", "Dates"),
    ("days_left", "Số ngày còn lại", "Days remaining"),
    ("approvals", "Phê duyệt", "Approvals"),
    ("timeline", "Diễn biến", "History"),
    ("outcomes", "Kết quả công tác", "Outcomes"),
    ("outcome.new", "Ghi nhận kết quả", "Log an outcome"),
    ("outcomes.none", "Chưa có kết quả nào.", "No outcome yet."),
    ("metric", "Chỉ số", "Metric"),
    ("save", "Lưu", "Save"),
    ("extension", "Gia hạn", "Extension"),
    ("extension.ask", "Đề nghị gia hạn", "Request an extension"),
    (
        "extension.withdraw",
        "Rút đề nghị gia hạn",
        "Withdraw the request",
    ),
    (
        "extension.pending",
        "Đề nghị gia hạn đang chờ phê duyệt",
        "An extension request waits for decisions",
    ),
    ("evaluation", "Đánh giá", "Evaluation"),
    ("evaluate", "Đánh giá kết thúc", "Final evaluation"),
    (
        "mine.none",
        "Bạn chưa có biệt phái nào.",
        "You have no secondment.",
    ),
    ("system", "Hệ thống", "The system"),
    ("on", "ngày", "on"),
    ("error.title", "Không thực hiện được", "That did not work"),
    (
        "error.404",
        "Không tìm thấy trang này.",
        "This page does not exist.",
    ),
    (
        "error.403",
        "Bạn không có quyền thực hiện việc này.",
        "You may not do this.",
    ),
    (
        "error.csrf",
        "Biểu mẫu đã hết hạn; hãy tải lại trang và thử lại.",
        "The form has expired; reload the page and try again.",
    ),
    (
        "error.500",
        "Đã xảy ra lỗi; lỗi đã được ghi lại.",
        "Something went wrong; it has been logged.",
    ),
    (
        "error.409",
        "Việc này không còn thực hiện được: hồ sơ đã chuyển sang trạng thái khác.",
        "This can no longer be done: the record has moved on.",
    ),
    (
        "error.412",
        "Hồ sơ vừa được người khác thay đổi; hãy mở lại trang và thử lại.",
        "Someone else changed this record; open the page again and retry.",
    ),
    (
        "error.429",
        "Quá nhiều lần thử; hãy đợi ít phút rồi thử lại.",
        "Too many attempts; wait a few minutes and try again.",
    ),
    ("back", "Quay lại", "Back"),
    ("nav.officials", "Cán bộ", "Officials"),
    ("officials.title", "Danh sách cán bộ", "Officials"),
    (
        "officials.search",
        "Tìm theo tên, mã hoặc thư điện tử",
        "Search by name, staff code or email",
    ),
    ("officials.new", "Thêm cán bộ", "Add an official"),
    (
        "officials.none",
        "Không có cán bộ nào phù hợp.",
        "No official matches.",
    ),
    ("officials.inactive", "Ngừng theo dõi", "Inactive"),
    ("officials.import", "Nhập từ tệp CSV", "Import a CSV file"),
    (
        "officials.import_help",
        "Tệp CSV có dòng tiêu đề như trong tài liệu API; hoặc nhập tất cả, hoặc không nhập gì.",
        "A CSV file with the header of the API documentation; all lines are imported or none.",
    ),
    ("officials.file", "Tệp CSV", "CSV file"),
    ("import.created", "Thêm mới", "Created"),
    ("import.updated", "Cập nhật", "Updated"),
    ("import.unchanged", "Không đổi", "Unchanged"),
    (
        "import.nothing",
        "Không có dòng nào được nhập.",
        "Nothing was imported.",
    ),
    ("import.errors", "Lỗi theo từng dòng", "Errors by line"),
    ("import.line", "Dòng", "Line"),
    ("import.column", "Cột", "Column"),
    ("import.problem", "Lỗi", "Problem"),
    ("field.staff_code", "Mã cán bộ", "Staff code"),
    ("field.full_name", "Họ và tên", "Full name"),
    ("field.email", "Thư điện tử", "Email"),
    ("field.position", "Chức vụ", "Position"),
    ("field.rank", "Ngạch", "Rank"),
    ("field.date_of_birth", "Ngày sinh", "Date of birth"),
    (
        "field.protected_until",
        "Được bảo vệ đến ngày",
        "Protected until",
    ),
    ("field.retirement_date", "Ngày nghỉ hưu", "Retirement date"),
    (
        "field.in_succession_plan",
        "Trong quy hoạch",
        "In the succession plan",
    ),
    ("field.active", "Đang theo dõi", "Active"),
    ("rule.max_duration", "Thời gian biệt phái tối đa là {max} tháng, kể cả gia hạn: ngày kết thúc muộn nhất là {latest}.", "A secondment lasts at most {max} months, extensions included."),
    ("rule.end_after_start", "Ngày kết thúc phải sau ngày bắt đầu.", "The end date must be after the start date."),
    ("rule.extension_later_end", "Ngày kết thúc đề nghị phải sau ngày kết thúc hiện tại.", "The end date asked for must be after the current end date."),
    ("rule.protected_official", "Cán bộ đang trong thời gian được bảo vệ (mang thai hoặc nuôi con dưới 36 tháng); không được bắt đầu biệt phái trước ngày hết thời gian đó.", "The official is protected until a later date."),
    ("rule.rotation_min_duration", "Luân chuyển tối thiểu {min} tháng, trừ khi có quyết định ngoại lệ.", "A rotation lasts at least {min} months without an exception."),
    ("rule.rotation_succession_plan", "Chỉ cán bộ trong quy hoạch mới được luân chuyển.", "Only an official in the succession plan may be rotated."),
    ("rule.rotation_working_time", "Cán bộ luân chuyển phải còn ít nhất {years} năm công tác.", "A rotated official needs {years} years of working time left."),
    ("manage", "Quản lý", "Manage"),
    ("holiday.add", "Thêm ngày nghỉ lễ", "Add a public holiday"),
    ("holiday.remove", "Xóa", "Remove"),
    ("holiday.name_vi", "Tên tiếng Việt", "Name in Vietnamese"),
    ("holiday.name_en", "Tên tiếng Anh", "Name in English"),
    (
        "decide.here",
        "Phê duyệt tại danh sách chờ phê duyệt",
        "Decide it in your pending approvals",
    ),
    ("edit.title", "Sửa đề xuất", "Edit the proposal"),
    ("cancel", "Hủy biệt phái", "Cancel the secondment"),
    ("terminate", "Chấm dứt trước hạn", "End early"),
    ("milestones", "Các mốc công việc", "Milestones"),
    ("milestone.complete", "Đánh dấu hoàn thành", "Mark done"),
    ("milestone.add", "Thêm mốc", "Add a milestone"),
    ("outcome.acknowledge", "Xác nhận", "Acknowledge"),
    ("outcome.edit", "Sửa kết quả", "Edit the outcome"),
    ("outcome.acknowledged", "Đã xác nhận", "Acknowledged"),
    (
        "field.actual_end_date",
        "Ngày làm việc cuối cùng",
        "Last day served",
    ),
    (
        "field.return_arrangement",
        "Bố trí công tác khi trở về",
        "Post on return",
    ),
    ("field.due_date", "Hạn", "Due"),
    ("status.m_planned", "Đang thực hiện", "Planned"),
    ("status.m_done", "Đã hoàn thành", "Done"),
    ("status.m_missed", "Quá hạn", "Missed"),
    ("status.m_cancelled", "Đã hủy", "Cancelled"),
    ("nav.reports", "Báo cáo", "Reports"),
    ("reports.title", "Báo cáo tổng hợp", "Summary report"),
    ("reports.as_of", "Tính đến ngày", "As of"),
    ("reports.total", "Tổng số biệt phái", "Secondments in all"),
    ("reports.in_post", "Đang công tác", "In post"),
    (
        "reports.ending_30",
        "Kết thúc trong 30 ngày",
        "Ending within 30 days",
    ),
    (
        "reports.ending_90",
        "Kết thúc trong 90 ngày",
        "Ending within 90 days",
    ),
    ("reports.by_status", "Theo trạng thái", "By status"),
    (
        "reports.by_province",
        "Đang công tác theo tỉnh tiếp nhận",
        "In post by host province",
    ),
    ("reports.province", "Tỉnh, thành phố", "Province"),
    ("reports.count", "Số lượng", "Count"),
    ("nav.account", "Tài khoản", "My account"),
    ("account.title", "Tài khoản của tôi", "My account"),
    ("calendar.title", "Lịch của tôi", "My calendar"),
    (
        "calendar.help",
        "Thêm địa chỉ này vào ứng dụng lịch để thấy ngày kết thúc biệt phái và các mốc công việc.",
        "Add this address to your calendar application to see secondment end dates and milestones.",
    ),
    ("calendar.url", "Địa chỉ lịch", "Calendar address"),
    (
        "calendar.once",
        "Địa chỉ chỉ hiện một lần; địa chỉ cũ không còn dùng được.",
        "The address is shown only now; the previous one no longer works.",
    ),
    (
        "calendar.new",
        "Tạo địa chỉ lịch mới",
        "Make a new calendar address",
    ),
    (
        "delegation.title",
        "Ủy quyền phê duyệt khi vắng mặt",
        "Delegating decisions while on leave",
    ),
    ("delegation.none", "Chưa có ủy quyền nào.", "No delegation."),
    ("delegation.new", "Ủy quyền", "Delegate"),
    ("delegation.withdraw", "Thu hồi", "Withdraw"),
    ("field.delegate_user_id", "Người được ủy quyền", "Delegate"),
    ("field.starts_on", "Từ ngày", "From"),
    ("field.ends_on", "Đến ngày", "Until"),
    ("field.official_id", "Cán bộ", "Official"),
    ("field.home_unit_id", "Đơn vị cử đi", "Sending unit"),
    ("field.host_unit_id", "Đơn vị tiếp nhận", "Receiving unit"),
    ("field.kind", "Hình thức", "Kind"),
    ("field.ground", "Căn cứ biệt phái", "Ground"),
    (
        "field.position_title",
        "Chức danh tại nơi đến",
        "Post at the host",
    ),
    ("field.mandate", "Nhiệm vụ", "Mandate"),
    ("field.start_date", "Ngày bắt đầu", "Start date"),
    ("field.end_date", "Ngày kết thúc", "End date"),
    (
        "field.agreement_ref",
        "Văn bản thỏa thuận",
        "Written agreement",
    ),
    (
        "field.consultation.held_on",
        "Ngày trao đổi với cán bộ",
        "Consultation with the official on",
    ),
    (
        "field.consultation.note",
        "Ý kiến của cán bộ",
        "The official's opinion",
    ),
    (
        "field.exception_ref",
        "Quyết định ngoại lệ",
        "Exception decision",
    ),
    ("field.comment", "Ý kiến", "Comment"),
    ("field.decision_ref", "Số quyết định", "Decision number"),
    ("field.title", "Tiêu đề", "Title"),
    ("field.description", "Mô tả", "Description"),
    ("field.pillar", "Lĩnh vực", "Pillar"),
    ("field.occurred_on", "Ngày", "Date"),
    ("field.metrics", "Chỉ số", "Metrics"),
    ("field.metrics[0].name", "Tên chỉ số", "Metric name"),
    ("field.metrics[0].value", "Giá trị", "Value"),
    ("field.metrics[0].unit", "Đơn vị tính", "Unit"),
    (
        "field.requested_end_date",
        "Ngày kết thúc đề nghị",
        "End date asked for",
    ),
    ("field.reason", "Lý do", "Reason"),
    ("field.rating", "Xếp loại", "Rating"),
    ("field.status", "Trạng thái", "Status"),
    ("field.q", "Tìm cán bộ", "Find an official"),
    ("kind.secondment", "Biệt phái", "Secondment"),
    ("kind.rotation", "Luân chuyển", "Rotation"),
    ("ground.urgent_task", "Nhiệm vụ cấp bách", "Urgent task"),
    (
        "ground.fixed_term_task",
        "Nhiệm vụ có thời hạn",
        "Fixed-term task",
    ),
    (
        "pillar.digital_government",
        "Chính phủ số",
        "Digital government",
    ),
    ("pillar.digital_economy", "Kinh tế số", "Digital economy"),
    ("pillar.digital_society", "Xã hội số", "Digital society"),
    ("pillar.other", "Khác", "Other"),
    ("rating.excellent", "Hoàn thành xuất sắc", "Excellent"),
    ("rating.good", "Hoàn thành tốt", "Good"),
    ("rating.satisfactory", "Hoàn thành", "Satisfactory"),
    (
        "rating.unsatisfactory",
        "Không hoàn thành",
        "Unsatisfactory",
    ),
    ("status.draft", "Dự thảo", "Draft"),
    (
        "status.pending_approval",
        "Chờ phê duyệt",
        "Pending approval",
    ),
    ("status.approved", "Đã phê duyệt", "Approved"),
    ("status.active", "Đang biệt phái", "Active"),
    ("status.completed", "Đã kết thúc", "Completed"),
    ("status.rejected", "Bị từ chối", "Rejected"),
    ("status.cancelled", "Đã hủy", "Cancelled"),
    ("status.terminated", "Chấm dứt trước hạn", "Terminated"),
    ("status.pending", "Chờ phê duyệt", "Pending"),
    ("status.withdrawn", "Đã rút", "Withdrawn"),
    (
        "did.secondment.created",
        "đã tạo đề xuất",
        "created the proposal",
    ),
    (
        "did.secondment.updated",
        "đã sửa đề xuất",
        "changed the proposal",
    ),
    (
        "did.secondment.submit",
        "đã trình phê duyệt",
        "submitted it for approval",
    ),
    (
        "did.secondment.approve",
        "đã hoàn tất phê duyệt",
        "completed the approval",
    ),
    ("did.secondment.reject", "đã từ chối", "rejected it"),
    ("did.secondment.cancel", "đã hủy", "cancelled it"),
    (
        "did.secondment.terminate",
        "đã chấm dứt trước hạn",
        "ended it early",
    ),
    (
        "did.secondment.activate",
        "bắt đầu biệt phái",
        "started the secondment",
    ),
    (
        "did.secondment.complete",
        "kết thúc biệt phái",
        "completed the secondment",
    ),
    ("did.secondment.extended", "đã gia hạn", "extended it"),
    ("did.secondment.evaluated", "đã đánh giá", "evaluated it"),
    (
        "did.secondment.unit_merged",
        "cập nhật đơn vị sau sáp nhập",
        "updated a merged unit",
    ),
    (
        "did.secondment.open_items_closed",
        "đóng các việc còn mở",
        "closed the open items",
    ),
    ("did.approval.approved", "đã phê duyệt", "approved"),
    ("did.approval.rejected", "đã từ chối", "rejected"),
    (
        "did.approval.approved.extension",
        "đã phê duyệt gia hạn",
        "approved the extension",
    ),
    (
        "did.approval.rejected.extension",
        "đã từ chối gia hạn",
        "rejected the extension",
    ),
    (
        "did.extension.requested",
        "đã đề nghị gia hạn",
        "asked for an extension",
    ),
    (
        "did.extension.approved",
        "đã hoàn tất phê duyệt gia hạn",
        "completed the extension's approval",
    ),
    (
        "did.extension.rejected",
        "đã từ chối gia hạn",
        "rejected the extension",
    ),
    (
        "did.extension.withdrawn",
        "đã rút đề nghị gia hạn",
        "withdrew the extension request",
    ),
    (
        "did.extension.lapsed.completed",
        "đóng đề nghị gia hạn chưa được quyết định vì đợt biệt phái đã kết thúc",
        "closed the undecided extension request: the secondment had ended",
    ),
    (
        "did.extension.lapsed.cancelled",
        "đóng đề nghị gia hạn chưa được quyết định vì đợt biệt phái đã bị hủy",
        "closed the undecided extension request: the secondment was cancelled",
    ),
    (
        "did.extension.lapsed.terminated",
        "đóng đề nghị gia hạn chưa được quyết định vì đợt biệt phái đã chấm dứt trước hạn",
        "closed the undecided extension request: the secondment was ended early",
    ),
    (
        "did.extension.lapsed",
        "đóng đề nghị gia hạn chưa được quyết định",
        "closed the undecided extension request",
    ),
    (
        "did.outcome.created",
        "đã ghi nhận kết quả",
        "logged an outcome",
    ),
    (
        "did.outcome.updated",
        "đã sửa kết quả",
        "changed an outcome",
    ),
    (
        "did.outcome.deleted",
        "đã xóa kết quả",
        "deleted an outcome",
    ),
    (
        "did.outcome.acknowledged",
        "đã xác nhận kết quả",
        "acknowledged an outcome",
    ),
    ("did.milestone.created", "đã thêm mốc", "added a milestone"),
    ("did.milestone.updated", "đã sửa mốc", "changed a milestone"),
    (
        "did.milestone.completed",
        "đã hoàn thành mốc",
        "completed a milestone",
    ),
    (
        "did.milestone.missed",
        "ghi nhận mốc bị lỡ",
        "marked a milestone missed",
    ),
    (
        "did.milestone.rescheduled",
        "đã dời mốc",
        "rescheduled a milestone",
    ),
    ("role.director", "Lãnh đạo", "Director"),
    ("role.hr_officer", "Cán bộ tổ chức", "HR officer"),
    ("role.cadre", "Cán bộ", "Official"),
    ("role.admin", "Quản trị viên", "Administrator"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2021, 3, 12).unwrap();
        assert_eq!(Lang::Vi.day(d), "12/03/2021");
        assert_eq!(Lang::En.day(d), "2021-03-12");
        assert_eq!(Lang::Vi.number(85.0), "85");
        assert_eq!(Lang::Vi.number(12.5), "12,5");
        assert_eq!(Lang::En.number(12.5), "12.5");
    }

    /// Every `t["key"]` and `t.key` a template names has words (a missing
    /// one would show as nothing).
    #[test]
    fn every_word_a_template_uses_exists() {
        let keys: std::collections::HashSet<&str> = all_words().map(|(k, _, _)| *k).collect();
        for (name, source) in super::super::templates::TEMPLATES {
            for part in source.split("t[\"").skip(1) {
                let key = part.split('"').next().unwrap_or_default();
                let rest = &part[key.len()..];
                // `t["status." ~ s.status]` is built at run time.
                if !rest.starts_with("\" ~") {
                    assert!(keys.contains(key), "{name}: no words for {key}");
                }
            }
            for (at, _) in source.match_indices("t.") {
                // `t.` standing alone: not the end of `s.start.` or a word.
                let standalone = at == 0 || {
                    let b = source.as_bytes()[at - 1];
                    b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                };
                let key: String = source[at + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if standalone && !key.is_empty() {
                    assert!(keys.contains(key.as_str()), "{name}: no words for t.{key}");
                }
            }
        }
    }

    #[test]
    fn every_key_has_both_languages_and_appears_once() {
        let mut seen = std::collections::HashSet::new();
        for (k, vi, en) in all_words() {
            assert!(seen.insert(k), "{k} twice");
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
    }
}
