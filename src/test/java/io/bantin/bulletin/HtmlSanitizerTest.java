package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlSanitizerTest {

    @Test
    void removesScriptsEventHandlersAndScriptUrls() {
        String dirty = "<p onclick=\"steal()\">Tin <b>nóng</b></p><script>alert(1)</script>"
                + "<a href=\"javascript:alert(2)\">bấm</a><img src=\"data:image/png;base64,AAAA\" onerror=\"x()\">"
                + "<iframe src=\"https://evil.example\"></iframe><svg onload=\"x()\"></svg>"
                + "<a href=\"JaVaScRiPt:alert(3)\">hoa</a><p style=\"background:url(javascript:x)\">kiểu</p>";
        String clean = HtmlSanitizer.sanitize(dirty);
        assertThat(clean.toLowerCase()).doesNotContain("<script", "onclick", "onerror", "onload", "javascript:",
                "data:", "<iframe", "<svg", "style=");
        assertThat(clean).contains("<p>Tin <b>nóng</b></p>", "bấm", "hoa", "kiểu");
    }

    @Test
    void keepsFiguresCaptionsImagesLinksAndTables() {
        String html = "<figure><img src=\"https://anh.example.vn/a.jpg\" alt=\"Ảnh\"><figcaption>Chú thích ảnh"
                + "</figcaption></figure><p>Xem <a href=\"https://tin.example.vn/bai\">bài gốc</a> và "
                + "<a href=\"/bulletins/khac\">bài khác</a>.</p>"
                + "<table><tbody><tr><th>Cột</th></tr><tr><td colspan=\"2\">Ô</td></tr></tbody></table>";
        assertThat(HtmlSanitizer.sanitize(html)).isEqualTo(html);
    }

    @Test
    void leavesCleanInputByteForByteIncludingNoBreakSpaces() {
        String html = "<p>Ông Y\u00a0Thuột Niê nói: “Bà con &amp; cán bộ cùng làm”.</p>\n<p>Dòng hai</p>";
        assertThat(HtmlSanitizer.sanitize(html)).isEqualTo(html);
    }
}
