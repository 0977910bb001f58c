-- Seeds :rows bulletins (psql -v rows=N) into a bench database, straight in SQL.
-- Deterministic text (hashint4 of the row number picks the words); ids are gen_random_uuid().
--   * titles: subject + verb + object + tail, Vietnamese with diacritics (~60-120 bytes)
--   * summary: one sentence (~120-220 bytes); body: 3 sentences in <p> (~400-650 bytes of HTML)
--   * status: 1.5 % draft, 1 % scheduled (2-32 days ahead), the rest published over the past 5 years;
--     0.8 % of the published ones withdrawn; so ~96.7 % are publicly visible
--   * 70 % have a category, 40 % have 2 tags, 10 % have an image
--   * 1 row in 997 mentions "Fansipan" (a rare word for the search benchmark); "dân" and "văn"
--     (folded to dan/van) are everywhere, as they are in real Vietnamese text
-- Wipes bulletins, tags, categories and events first: run it on a bench database only.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
BEGIN;
TRUNCATE bulletin_tags, bulletin_images, bulletin_events, bulletins, tags, categories RESTART IDENTITY CASCADE;

INSERT INTO categories (slug, name) VALUES
  ('thoi-su', 'Thời sự'), ('the-gioi', 'Thế giới'), ('kinh-doanh', 'Kinh doanh'), ('giai-tri', 'Giải trí'),
  ('the-thao', 'Thể thao'), ('phap-luat', 'Pháp luật'), ('giao-duc', 'Giáo dục'), ('suc-khoe', 'Sức khỏe'),
  ('du-lich', 'Du lịch'), ('khoa-hoc', 'Khoa học'), ('so-hoa', 'Số hóa'), ('van-hoa', 'Văn hóa');

INSERT INTO tags (slug, name) VALUES
  ('ha-noi', 'Hà Nội'), ('tp-hcm', 'TP.HCM'), ('da-nang', 'Đà Nẵng'), ('bao-lu', 'Bão lũ'), ('giao-thong', 'Giao thông'),
  ('gia-xang', 'Giá xăng'), ('bat-dong-san', 'Bất động sản'), ('chung-khoan', 'Chứng khoán'), ('tuyen-sinh', 'Tuyển sinh'),
  ('y-te', 'Y tế'), ('covid-19', 'Covid-19'), ('bong-da', 'Bóng đá'), ('v-league', 'V-League'), ('du-lich-he', 'Du lịch hè'),
  ('tet', 'Tết'), ('le-hoi', 'Lễ hội'), ('nong-nghiep', 'Nông nghiệp'), ('xuat-khau', 'Xuất khẩu'), ('chuyen-doi-so', 'Chuyển đổi số'),
  ('moi-truong', 'Môi trường'), ('quoc-hoi', 'Quốc hội'), ('an-ninh', 'An ninh'), ('thoi-tiet', 'Thời tiết'),
  ('am-thuc', 'Ẩm thực'), ('am-nhac', 'Âm nhạc'), ('dien-anh', 'Điện ảnh'), ('khoi-nghiep', 'Khởi nghiệp'),
  ('ngan-hang', 'Ngân hàng'), ('metro', 'Metro'), ('cao-toc', 'Cao tốc');

WITH v AS (
  SELECT
    ARRAY['Hà Nội', 'TP.HCM', 'Đà Nẵng', 'Cần Thơ', 'Thừa Thiên Huế', 'Hải Phòng', 'Quảng Ninh', 'Nghệ An',
          'Bộ Y tế', 'Quốc hội', 'Chính phủ', 'Ngân hàng Nhà nước', 'Bộ Giáo dục và Đào tạo', 'Người dân',
          'Nông dân miền Tây', 'Sở Văn hóa và Thể thao', 'Tổng cục Thống kê', 'Bộ Giao thông vận tải',
          'Doanh nghiệp vừa và nhỏ', 'Đội tuyển Việt Nam'] AS subj,
    ARRAY['khởi công', 'công bố', 'thông qua', 'đề xuất', 'tăng cường', 'kiểm tra', 'hỗ trợ', 'triển khai',
          'điều chỉnh', 'mở rộng', 'lấy ý kiến về', 'hoàn thành'] AS verb,
    ARRAY['dự án cao tốc Bắc – Nam', 'giá xăng dầu', 'kế hoạch phòng chống bão lũ', 'chương trình văn hóa cộng đồng',
          'lễ hội truyền thống', 'luật đất đai sửa đổi', 'tuyến metro số 1', 'chính sách nhà ở xã hội',
          'giải bóng đá vô địch quốc gia', 'kỳ thi tốt nghiệp THPT', 'gói tín dụng cho nông nghiệp',
          'quy hoạch đô thị ven sông', 'chiến dịch tiêm chủng mở rộng', 'hệ thống xe buýt điện', 'mùa du lịch hè',
          'đề án chuyển đổi số'] AS obj,
    ARRAY['trong năm nay', 'từ tháng tới', 'sau nhiều năm chờ đợi', 'để phục vụ người dân', 'giữa lúc giá cả leo thang',
          'trước mùa mưa bão', 'với tổng vốn hàng nghìn tỷ đồng', 'theo chỉ đạo của Thủ tướng',
          'nhằm thu hút khách quốc tế', 'trong quý IV'] AS tail,
    ARRAY['Theo báo cáo mới nhất, nhiều địa phương đã chủ động xây dựng phương án ứng phó, bảo đảm an toàn cho người dân và tài sản của Nhà nước.',
          'Các chuyên gia cho rằng cần có thêm thời gian đánh giá tác động trước khi áp dụng rộng rãi trên phạm vi cả nước.',
          'Đại diện cơ quan chức năng cho biết sẽ tiếp tục lắng nghe ý kiến đóng góp của doanh nghiệp và cử tri.',
          'Trong buổi làm việc, lãnh đạo thành phố yêu cầu các sở, ngành đẩy nhanh tiến độ giải ngân vốn đầu tư công.',
          'Nhiều hộ dân ở vùng trũng thấp đã được di dời đến nơi an toàn, lực lượng cứu hộ túc trực suốt đêm.',
          'Hoạt động văn hóa, văn nghệ diễn ra sôi nổi, thu hút hàng nghìn lượt khách tham quan mỗi ngày.',
          'Giá lúa tại đồng bằng sông Cửu Long tăng nhẹ, thương lái thu mua với số lượng lớn để phục vụ xuất khẩu.',
          'Bộ trưởng nhấn mạnh vấn đề then chốt là nâng cao chất lượng nguồn nhân lực và cải cách thủ tục hành chính.',
          'Ban tổ chức dự kiến mở bán vé trực tuyến từ tuần sau, ưu tiên học sinh, sinh viên và người cao tuổi.',
          'Số liệu thống kê cho thấy kim ngạch xuất khẩu nông sản trong chín tháng đầu năm đạt mức cao kỷ lục.',
          'Ngành y tế khuyến cáo người dân chủ động tiêm phòng, giữ vệ sinh cá nhân và hạn chế tụ tập đông người.',
          'Dự án được kỳ vọng sẽ giảm ùn tắc giao thông, rút ngắn thời gian di chuyển giữa các tỉnh thành.',
          'Tại phiên thảo luận, nhiều đại biểu đề nghị làm rõ trách nhiệm của người đứng đầu khi để xảy ra sai phạm.',
          'Cơ quan công an đang khẩn trương điều tra, xác minh làm rõ vụ việc theo đúng quy định của pháp luật.',
          'Thời tiết các tỉnh phía Bắc chuyển lạnh, nhiệt độ thấp nhất ở vùng núi có nơi dưới mười độ C.',
          'Các trường đại học đồng loạt công bố điểm chuẩn, nhiều ngành kỹ thuật và công nghệ thông tin tăng mạnh.',
          'Đoàn công tác đã khảo sát thực tế, lắng nghe tâm tư nguyện vọng của bà con nông dân trong vùng dự án.',
          'Thị trường chứng khoán biến động mạnh, dòng tiền khối ngoại tiếp tục bán ròng ở nhóm cổ phiếu ngân hàng.',
          'Nghệ nhân làng nghề truyền thống giới thiệu quy trình làm gốm thủ công cho du khách trong và ngoài nước.',
          'Chính quyền địa phương cam kết hỗ trợ kinh phí sửa chữa nhà cửa, trường học bị hư hỏng sau mưa lũ.',
          'Hướng dẫn viên du lịch cho biết lượng khách quốc tế đến Việt Nam đã phục hồi gần bằng trước đại dịch.',
          'Văn bản mới quy định rõ thời hạn xử lý hồ sơ, tránh tình trạng đùn đẩy gây phiền hà cho người dân.',
          'Câu lạc bộ chủ nhà giành chiến thắng thuyết phục, củng cố vị trí dẫn đầu bảng xếp hạng mùa giải.',
          'Các nhà khoa học trong nước vừa công bố kết quả nghiên cứu giống lúa chịu mặn phù hợp với biến đổi khí hậu.'] AS sent,
    ARRAY['Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê Hoàng Nam', 'Phạm Minh Đức', 'Hoàng Thu Trang', 'Vũ Đức Thắng',
          'Đặng Thị Lan', 'Bùi Quang Huy', 'Đỗ Mai Phương', 'Hồ Ngọc Hà', 'Ngô Thanh Vân', 'Dương Quốc Bảo'] AS authors
), h AS (
  SELECT g,
         abs(hashint4(g * 8 + 1)) AS h1, abs(hashint4(g * 8 + 2)) AS h2, abs(hashint4(g * 8 + 3)) AS h3,
         abs(hashint4(g * 8 + 4)) AS h4, abs(hashint4(g * 8 + 5)) % 1000 AS h5, abs(hashint4(g * 8 + 6)) AS h6,
         abs(hashint4(g * 8 + 7)) AS h7
  FROM generate_series(1, :rows) g
), t AS (
  SELECT h.*,
         v.subj[1 + h1 % 20] || ' ' || v.verb[1 + h2 % 12] || ' ' || v.obj[1 + h3 % 16] || ' ' || v.tail[1 + h4 % 10] AS title,
         CASE WHEN g % 997 = 0 THEN 'Tuyết rơi trắng đỉnh Fansipan, du khách đổ về Sa Pa săn tuyết. ' ELSE '' END
           || v.sent[1 + (h6 % 24 + 23) % 24] AS summary,
         v.sent[1 + h6 % 24] || ' ' || v.sent[1 + (h6 % 24 + 1 + h7 % 11) % 24] AS para1,
         v.sent[1 + (h6 % 24 + 12 + h2 % 11) % 24] AS para2,
         v.authors[1 + h7 % 12] AS author,
         CASE WHEN h5 < 15 THEN 'draft' WHEN h5 < 25 THEN 'scheduled' ELSE 'published' END AS status,
         CASE WHEN h5 BETWEEN 15 AND 24
              THEN date_trunc('second', now()) + interval '2 days' + make_interval(secs => h6 % (30 * 86400))
              ELSE date_trunc('second', now()) - make_interval(secs => 60 + h6 % (5 * 365 * 86400)) END AS published_at
  FROM h CROSS JOIN v
)
INSERT INTO bulletins (id, slug, title, summary, body, body_text, author, author_slug, category_id, language,
                       status, published_at, updated_at, version, withdrawn_at)
SELECT gen_random_uuid(),
       trim(both '-' from regexp_replace(bantin_fold(title), '[^a-z0-9]+', '-', 'g')) || '-' || g,
       title, summary,
       '<p>' || para1 || '</p><p>' || para2 || '</p>',
       para1 || E'\n' || para2,
       author,
       trim(both '-' from regexp_replace(bantin_fold(author), '[^a-z0-9]+', '-', 'g')),
       CASE WHEN h1 % 10 < 7 THEN 1 + h4 % 12 END,
       'vi', status, published_at,
       published_at + make_interval(secs => h7 % 7200),
       1 + h7 % 3,
       CASE WHEN status = 'published' AND h5 < 33 THEN published_at + interval '1 day' END
FROM t;

INSERT INTO bulletin_tags (bulletin_id, tag_id, position)
SELECT b.id, x.tag_id, x.position
FROM (SELECT id, 1 + abs(hashtext(id::text || 'a')) % 30 AS t1, abs(hashtext(id::text || 'b')) % 29 AS d
      FROM bulletins WHERE abs(hashtext(id::text)) % 10 < 4) b
CROSS JOIN LATERAL (VALUES (b.t1, 1::smallint), (1 + (b.t1 + b.d) % 30, 2::smallint)) AS x(tag_id, position);

INSERT INTO bulletin_images (bulletin_id, position, url, caption)
SELECT id, 1, 'https://img.bantin.example/' || id || '.jpg', 'Ảnh minh họa'
FROM bulletins WHERE abs(hashtext(id::text)) % 10 = 9;

CREATE TABLE IF NOT EXISTS bench_seed (rows bigint NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now());
TRUNCATE bench_seed;
INSERT INTO bench_seed (rows) VALUES (:rows);
COMMIT;

VACUUM (ANALYZE) bulletins;
VACUUM (ANALYZE) bulletin_tags;
VACUUM (ANALYZE) bulletin_images;
ANALYZE categories;
ANALYZE tags;
