-- Public holidays of 2027 on working days (src/store/reference/holidays-vn-2027.csv).
-- The Tết days are provisional until the Government's notice late in 2026:
-- confirm or correct them with `secondments load-holidays FILE` or /api/v1/holidays.
-- Days an administrator already entered are kept.
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-01-01', 'Tết Dương lịch', 'New Year''s Day', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-02-04', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-02-05', 'Tết Nguyên đán', 'Lunar New Year''s Eve', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-02-08', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-02-09', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-02-10', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-04-16', 'Giỗ Tổ Hùng Vương', 'Hung Kings'' Commemoration Day', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-04-30', 'Ngày Giải phóng miền Nam', 'Reunification Day', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-05-03', 'Ngày Quốc tế Lao động (nghỉ bù)', 'International Labour Day (observed)', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-09-02', 'Quốc khánh', 'National Day', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-09-03', 'Quốc khánh', 'National Day holiday', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2027-11-24', 'Ngày Văn hóa Việt Nam', 'Vietnamese Culture Day', CURRENT_TIMESTAMP) ON CONFLICT (holiday_date) DO NOTHING;
