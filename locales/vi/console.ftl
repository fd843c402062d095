### The web console's words in Vietnamese (tiếng Việt), the console's first language.
###
### One message per word. Rust code and templates name a word by its key
### (`t["status.active"]`, `lang.word("field.end_date")`); Fluent ids
### cannot hold dots or brackets, so the key is written here with each
### `.` as `-` and each index `[0]` as `--0` (`status-active`,
### `field-metrics--0-name`). The mapping lives in src/web/words.rs only.
### Both languages define exactly the same ids (a unit test checks it).
### Variables (`{ $max }`) are filled by `Lang::word_with`.

## The console's own words

list-next = Trang sau
app = Quản lý biệt phái
skip = Bỏ qua đến nội dung
signin = Đăng nhập
signout = Đăng xuất
email = Thư điện tử
password = Mật khẩu
bad_login = Thư điện tử hoặc mật khẩu không đúng.

nav-approvals = Chờ phê duyệt
nav-secondments = Biệt phái
nav-new = Đề xuất mới
nav-mine = Biệt phái của tôi
language = Ngôn ngữ

pending-title = Yêu cầu chờ phê duyệt
pending-none = Không có yêu cầu nào chờ phê duyệt.

kind-proposal = Đề xuất biệt phái
kind-extension = Gia hạn
months_used = Số tháng
of_cap = trên tối đa
legal = Căn cứ pháp lý
sides = Phê duyệt cho

side-home = đơn vị cử đi
side-host = đơn vị tiếp nhận
on_behalf = Thay mặt
approve = Phê duyệt
reject = Từ chối
decision = Quyết định
decision-record = Ghi nhận quyết định

decided-before = Đã có ý kiến
requested_end = Đề nghị kết thúc

list-title = Danh sách biệt phái
list-none = Không có biệt phái nào phù hợp.
filter = Lọc
filter-active_on = Đang biệt phái vào ngày
filter-ending_after = Kết thúc từ ngày
filter-ending_before = Kết thúc đến ngày
all = Tất cả
export_csv = Xuất CSV
export_xlsx = Xuất Excel

new-title = Đề xuất biệt phái mới

narrow-title = Thu hẹp danh sách lựa chọn
narrow-official = Tìm cán bộ (tên, mã, thư điện tử)
narrow-unit = Tìm đơn vị (tên, mã)
narrow-more = Danh sách chỉ hiện 500 lựa chọn đầu tiên; hãy tìm để thu hẹp.
create = Tạo đề xuất
submit = Trình phê duyệt
choose = — Chọn —
fix_errors = Vui lòng sửa các lỗi bên dưới.
dates = Thời gian
days_left = Số ngày còn lại
approvals = Phê duyệt
timeline = Diễn biến
outcomes = Kết quả công tác

outcome-new = Ghi nhận kết quả

outcomes-none = Chưa có kết quả nào.
metric = Chỉ số
save = Lưu
extension = Gia hạn
extension-ask = Đề nghị gia hạn
extension-withdraw = Rút đề nghị gia hạn
extension-pending = Đề nghị gia hạn đang chờ phê duyệt
evaluation = Đánh giá
evaluate = Đánh giá kết thúc

mine-none = Bạn chưa có biệt phái nào.
system = Hệ thống
on = ngày

error-title = Không thực hiện được
error-404 = Không tìm thấy trang này.
error-403 = Bạn không có quyền thực hiện việc này.
error-csrf = Biểu mẫu đã hết hạn; hãy tải lại trang và thử lại.
error-500 = Đã xảy ra lỗi; lỗi đã được ghi lại.
error-409 = Việc này không còn thực hiện được: hồ sơ đã chuyển sang trạng thái khác.
error-412 = Hồ sơ vừa được người khác thay đổi; hãy mở lại trang và thử lại.
error-429 = Quá nhiều lần thử; hãy đợi ít phút rồi thử lại.

## Refusals and clashes the application names by code (`refusal.<code>`,
## `conflict.<code>`), and what is wrong with a field (`problem.<code>`).

refusal-role = Bạn không có quyền làm việc này với vai trò hiện tại.
refusal-out-of-scope = Hồ sơ này nằm ngoài phạm vi đơn vị của bạn.
refusal-not-theirs = Chỉ người có hồ sơ hoặc người đã tạo hồ sơ mới được thực hiện việc này.
refusal-not-the-decider = Chỉ lãnh đạo của bên có thẩm quyền mới được quyết định việc này.
conflict-duplicate = Đã có một hồ sơ trùng thông tin này.
conflict-in-use = Hồ sơ liên quan không tồn tại hoặc vẫn đang được sử dụng.
conflict-overlap = Trùng thời gian với một hồ sơ khác của cùng cán bộ.
conflict-already-done = Việc này đã được thực hiện.
problem-required = không được để trống
problem-empty = không được để trống
problem-not-a-date = phải là ngày hợp lệ (YYYY-MM-DD)
problem-date-out-of-range = phải là ngày từ 01/01/1900 đến 31/12/2199
problem-not-a-number = phải là một số
problem-not-a-whole-number = phải là số nguyên
problem-not-one-of = phải là một trong các giá trị cho phép
problem-not-an-id = phải là mã định danh hợp lệ
problem-not-an-email = phải là địa chỉ thư điện tử hợp lệ
problem-unknown-field = không phải là trường hợp lệ
problem-too-short = phải có ít nhất { $min } ký tự
problem-too-long = không được dài quá { $max } ký tự
problem-has-spaces = không được chứa khoảng trắng
problem-control-characters = không được chứa ký tự điều khiển
problem-names-nothing = không tồn tại
problem-password-too-short = phải có ít nhất 12 ký tự
problem-password-is-email = không được trùng thư điện tử
problem-password-unchanged = phải khác mật khẩu hiện tại
problem-password-mismatch = không khớp với mật khẩu mới
back = Quay lại

nav-officials = Cán bộ

officials-title = Danh sách cán bộ
officials-search = Tìm theo tên, mã hoặc thư điện tử
officials-new = Thêm cán bộ
officials-none = Không có cán bộ nào phù hợp.
officials-inactive = Ngừng theo dõi
officials-import = Nhập từ tệp CSV
officials-import_help = Tệp CSV có dòng tiêu đề như trong tài liệu API; hoặc nhập tất cả, hoặc không nhập gì.
officials-file = Tệp CSV

import-created = Thêm mới
import-updated = Cập nhật
import-unchanged = Không đổi
import-nothing = Không có dòng nào được nhập.
import-errors = Lỗi theo từng dòng
import-line = Dòng
import-column = Cột
import-problem = Lỗi

field-staff_code = Mã cán bộ
field-full_name = Họ và tên
field-email = Thư điện tử
field-position = Chức vụ
field-rank = Ngạch
field-date_of_birth = Ngày sinh
field-protected_until = Được bảo vệ đến ngày
field-retirement_date = Ngày nghỉ hưu
field-in_succession_plan = Trong quy hoạch
field-active = Đang theo dõi

rule-max_duration = Thời gian biệt phái tối đa là { $max } tháng, kể cả gia hạn: ngày kết thúc muộn nhất là { $latest }.
rule-end_after_start = Ngày kết thúc phải sau ngày bắt đầu.
rule-extension_later_end = Ngày kết thúc đề nghị phải sau ngày kết thúc hiện tại.
rule-protected_official = Cán bộ đang trong thời gian được bảo vệ (mang thai hoặc nuôi con dưới 36 tháng); không được bắt đầu biệt phái trước ngày hết thời gian đó.
rule-rotation_min_duration = Luân chuyển tối thiểu { $min } tháng, trừ khi có quyết định ngoại lệ.
rule-rotation_succession_plan = Chỉ cán bộ trong quy hoạch mới được luân chuyển.
rule-rotation_working_time = Cán bộ luân chuyển phải còn ít nhất { $years } năm công tác.
manage = Quản lý

holiday-add = Thêm ngày nghỉ lễ
holiday-remove = Xóa
holiday-name_vi = Tên tiếng Việt
holiday-name_en = Tên tiếng Anh

decide-here = Phê duyệt tại danh sách chờ phê duyệt

edit-title = Sửa đề xuất
cancel = Hủy biệt phái
terminate = Chấm dứt trước hạn
milestones = Các mốc công việc

milestone-complete = Đánh dấu hoàn thành
milestone-add = Thêm mốc

outcome-acknowledge = Xác nhận
outcome-edit = Sửa kết quả
outcome-acknowledged = Đã xác nhận

field-actual_end_date = Ngày làm việc cuối cùng
field-return_arrangement = Bố trí công tác khi trở về
field-due_date = Hạn

status-m_planned = Đang thực hiện
status-m_done = Đã hoàn thành
status-m_missed = Quá hạn
status-m_cancelled = Đã hủy

nav-reports = Báo cáo

reports-title = Báo cáo tổng hợp
reports-as_of = Tính đến ngày
reports-total = Tổng số biệt phái
reports-in_post = Đang công tác
reports-ending_30 = Kết thúc trong 30 ngày
reports-ending_90 = Kết thúc trong 90 ngày
reports-by_status = Theo trạng thái
reports-by_province = Đang công tác theo tỉnh tiếp nhận
reports-province = Tỉnh, thành phố
reports-count = Số lượng

nav-account = Tài khoản

account-title = Tài khoản của tôi

calendar-title = Lịch của tôi
calendar-help = Thêm địa chỉ này vào ứng dụng lịch để thấy ngày kết thúc biệt phái và các mốc công việc.
calendar-url = Địa chỉ lịch
calendar-once = Địa chỉ chỉ hiện một lần; địa chỉ cũ không còn dùng được.
calendar-new = Tạo địa chỉ lịch mới

delegation-title = Ủy quyền phê duyệt khi vắng mặt
delegation-none = Chưa có ủy quyền nào.
delegation-new = Ủy quyền
delegation-withdraw = Thu hồi

field-delegate_user_id = Người được ủy quyền
field-starts_on = Từ ngày
field-ends_on = Đến ngày
field-official_id = Cán bộ
field-home_unit_id = Đơn vị cử đi
field-host_unit_id = Đơn vị tiếp nhận
field-kind = Hình thức
field-ground = Căn cứ biệt phái
field-position_title = Chức danh tại nơi đến
field-mandate = Nhiệm vụ
field-start_date = Ngày bắt đầu
field-end_date = Ngày kết thúc
field-agreement_ref = Văn bản thỏa thuận
field-consultation-held_on = Ngày trao đổi với cán bộ
field-consultation-note = Ý kiến của cán bộ
field-exception_ref = Quyết định ngoại lệ
field-comment = Ý kiến
field-decision_ref = Số quyết định
field-title = Tiêu đề
field-description = Mô tả
field-pillar = Lĩnh vực
field-occurred_on = Ngày
field-metrics = Chỉ số
field-metrics--0-name = Tên chỉ số
field-metrics--0-value = Giá trị
field-metrics--0-unit = Đơn vị tính
field-requested_end_date = Ngày kết thúc đề nghị
field-reason = Lý do
field-rating = Xếp loại
field-status = Trạng thái
field-q = Tìm cán bộ

kind-secondment = Biệt phái
kind-rotation = Luân chuyển

ground-urgent_task = Nhiệm vụ cấp bách
ground-fixed_term_task = Nhiệm vụ có thời hạn

pillar-digital_government = Chính phủ số
pillar-digital_economy = Kinh tế số
pillar-digital_society = Xã hội số
pillar-other = Khác

rating-excellent = Hoàn thành xuất sắc
rating-good = Hoàn thành tốt
rating-satisfactory = Hoàn thành
rating-unsatisfactory = Không hoàn thành

status-draft = Dự thảo
status-pending_approval = Chờ phê duyệt
status-approved = Đã phê duyệt
status-active = Đang biệt phái
status-completed = Đã kết thúc
status-rejected = Bị từ chối
status-cancelled = Đã hủy
status-terminated = Chấm dứt trước hạn
status-pending = Chờ phê duyệt
status-withdrawn = Đã rút

did-secondment-created = đã tạo đề xuất
did-secondment-updated = đã sửa đề xuất
did-secondment-submit = đã trình phê duyệt
did-secondment-approve = đã hoàn tất phê duyệt
did-secondment-reject = đã từ chối
did-secondment-cancel = đã hủy
did-secondment-terminate = đã chấm dứt trước hạn
did-secondment-activate = bắt đầu biệt phái
did-secondment-complete = kết thúc biệt phái
did-secondment-extended = đã gia hạn
did-secondment-evaluated = đã đánh giá
did-secondment-unit_merged = cập nhật đơn vị sau sáp nhập
did-secondment-open_items_closed = đóng các việc còn mở
did-approval-approved = đã phê duyệt
did-approval-rejected = đã từ chối
did-approval-approved-extension = đã phê duyệt gia hạn
did-approval-rejected-extension = đã từ chối gia hạn
did-extension-requested = đã đề nghị gia hạn
did-extension-approved = đã hoàn tất phê duyệt gia hạn
did-extension-rejected = đã từ chối gia hạn
did-extension-withdrawn = đã rút đề nghị gia hạn
did-extension-lapsed-completed = đóng đề nghị gia hạn chưa được quyết định vì đợt biệt phái đã kết thúc
did-extension-lapsed-cancelled = đóng đề nghị gia hạn chưa được quyết định vì đợt biệt phái đã bị hủy
did-extension-lapsed-terminated = đóng đề nghị gia hạn chưa được quyết định vì đợt biệt phái đã chấm dứt trước hạn
did-extension-lapsed = đóng đề nghị gia hạn chưa được quyết định
did-outcome-created = đã ghi nhận kết quả
did-outcome-updated = đã sửa kết quả
did-outcome-deleted = đã xóa kết quả
did-outcome-acknowledged = đã xác nhận kết quả
did-milestone-created = đã thêm mốc
did-milestone-updated = đã sửa mốc
did-milestone-completed = đã hoàn thành mốc
did-milestone-missed = ghi nhận mốc bị lỡ
did-milestone-rescheduled = đã dời mốc

role-director = Lãnh đạo
role-hr_officer = Cán bộ tổ chức
role-cadre = Cán bộ
role-admin = Quản trị viên

## The administrator's pages

admin-nav-users = Người dùng
admin-nav-units = Đơn vị
admin-nav-holidays = Ngày nghỉ lễ
admin-nav-outbox = Thư gửi đi
admin-none = —
admin-next = Trang sau
admin-users-title = Tài khoản người dùng
admin-users-none = Không có tài khoản nào phù hợp.
admin-users-search = Tìm theo thư điện tử
admin-users-new = Tạo tài khoản mới
admin-users-create = Tạo tài khoản
admin-users-you = (bạn)
admin-users-state = Tình trạng
admin-users-actions = Thao tác
admin-users-enabled = Đang hoạt động
admin-users-disabled = Đã khóa
admin-users-disable = Khóa tài khoản
admin-users-enable = Mở khóa
admin-users-password_help = Ít nhất 12 ký tự và khác địa chỉ thư điện tử.
admin-users-link_help = Cán bộ tổ chức và lãnh đạo cần đơn vị phụ trách; tài khoản cán bộ cần hồ sơ cán bộ.
admin-field-email = Thư điện tử
admin-field-password = Mật khẩu ban đầu
admin-field-full_name = Họ và tên
admin-field-role = Vai trò
admin-field-org_unit_id = Đơn vị phụ trách
admin-field-official_id = Hồ sơ cán bộ
admin-field-language = Ngôn ngữ thư
admin-lang-vi = Tiếng Việt
admin-lang-en = Tiếng Anh
admin-units-title = Đơn vị tổ chức
admin-units-tree = Cây đơn vị
admin-units-none = Chưa có đơn vị nào.
admin-units-merged = Đã sáp nhập vào
admin-units-closed = Đã giải thể
admin-units-last_day = ngày cuối
admin-units-merge_link = Sáp nhập đơn vị
admin-units-merge_done = Đã sáp nhập các đơn vị vào
admin-merge-title = Sáp nhập đơn vị
admin-merge-help = Chọn các đơn vị chấm dứt, đơn vị hợp nhất vào và ngày có hiệu lực, rồi xem trước. Không có gì thay đổi cho đến khi bạn xác nhận.
admin-field-source_ids = Các đơn vị chấm dứt
admin-merge-sources_help = Giữ phím Ctrl (hoặc ⌘) để chọn nhiều đơn vị.
admin-field-target_id = Đơn vị hợp nhất vào
admin-field-effective_date = Ngày có hiệu lực
admin-merge-date_help = Các đơn vị chấm dứt vào ngày hôm trước.
admin-merge-preview = Xem trước
admin-merge-preview_title = Xem trước kết quả sáp nhập
admin-merge-nothing_changed = Chưa có gì thay đổi. Kiểm tra rồi xác nhận.
admin-merge-moved_secondments = Biệt phái chưa kết thúc chuyển sang đơn vị hợp nhất
admin-merge-moved_officials = Cán bộ chuyển đơn vị gốc
admin-merge-moved_children = Đơn vị trực thuộc chuyển sang đơn vị hợp nhất
admin-merge-confirm = Xác nhận sáp nhập
admin-holidays-title = Ngày nghỉ lễ năm
admin-holidays-none = Chưa có ngày nghỉ lễ nào của năm này; nhắc việc sẽ chỉ bỏ qua ngày cuối tuần.
admin-holidays-years = Các năm khác
admin-holidays-date = Ngày
admin-holidays-name = Tên ngày lễ
admin-outbox-title = Thư gửi đi
admin-outbox-dead = Thư không gửi được
admin-outbox-dead_none = Không có thư nào bị gửi thất bại hẳn.
admin-outbox-all = Tất cả thư
admin-outbox-listed = Thư
admin-outbox-none = Không có thư nào.
admin-outbox-created = Lập lúc
admin-outbox-recipient = Người nhận
admin-outbox-subject = Tiêu đề
admin-outbox-kind = Loại
admin-outbox-status = Trạng thái
admin-outbox-attempts = Số lần gửi
admin-outbox-last_error = Lỗi gần nhất
admin-outbox-next_attempt = Gửi lại lúc
admin-email_status-pending = Chờ gửi
admin-email_status-sending = Đang gửi
admin-email_status-sent = Đã gửi
admin-email_status-failed = Lỗi, sẽ gửi lại
admin-email_status-dead = Không gửi được
admin-email_status-cancelled = Đã hủy
admin-email_kind-end_reminder = Nhắc sắp kết thúc
admin-email_kind-milestone_reminder = Nhắc mốc công việc
admin-email_kind-approval_nudge = Nhắc phê duyệt
admin-email_kind-digest = Tổng hợp
admin-email_kind-holidays_missing = Thiếu ngày nghỉ lễ

## A secondment's history in words

did-milestone-defaults = đã lập các mốc mặc định

story-effective = hiệu lực từ
story-decision = quyết định
story-until = đến
story-ended_on = kết thúc ngày

field-original_end_date = Ngày kết thúc ban đầu

## Passwords

password-title = Đổi mật khẩu
password-forced = Mật khẩu hiện tại của bạn do người khác đặt (khi khởi động lần đầu hoặc do quản trị viên đặt lại). Hãy chọn mật khẩu mới trước khi tiếp tục.
password-rules = Ít nhất 12 ký tự, không trùng thư điện tử và khác mật khẩu hiện tại.
password-changed = Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.
password-submit = Đổi mật khẩu

rule-wrong_current_password = Mật khẩu hiện tại không đúng.

field-current_password = Mật khẩu hiện tại
field-new_password = Mật khẩu mới
field-new_password_repeat = Nhập lại mật khẩu mới

admin-users-reset = Đặt lại mật khẩu
admin-reset-title = Mật khẩu dùng một lần
admin-reset-done = Đã đặt lại mật khẩu và kết thúc mọi phiên đăng nhập của tài khoản
admin-reset-once = Mật khẩu này chỉ hiển thị lần này. Hãy chuyển cho người dùng qua một kênh an toàn; họ phải chọn mật khẩu mới khi đăng nhập.
admin-reset-back = Quay lại danh sách tài khoản

## Extensions, milestones, outcomes, delegations: refusals and conflicts

conflict-pending = Đã có một đề nghị khác đang chờ quyết định.

## Người, tổ chức, đăng nhập: mã các từ chối và xung đột

conflict-cycle = Không thể đặt một đơn vị dưới (hoặc sáp nhập vào) chính nó hay một đơn vị cấp dưới của nó.
conflict-not-current = Đơn vị đã bị sáp nhập hoặc giải thể.
conflict-own-account = Quản trị viên không thể tự khóa tài khoản của mình hay tự bỏ vai trò quản trị; một quản trị viên khác có thể làm việc đó.
refusal-own-account = Hãy đổi mật khẩu của chính mình ở trang tài khoản; đặt lại mật khẩu là để dành cho tài khoản khác.
