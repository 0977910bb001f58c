package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlugsTest {

    @Test
    void foldsVietnameseDiacriticsAndDStroke() {
        assertThat(Slugs.of("Hội nghị tổng kết công tác dân vận năm 2020"))
                .isEqualTo("hoi-nghi-tong-ket-cong-tac-dan-van-nam-2020");
        assertThat(Slugs.of("Đắk Lắk: Đường về buôn Đôn")).isEqualTo("dak-lak-duong-ve-buon-don");
    }

    @Test
    void foldsDecomposedInputLikeComposed() {
        String nfd = java.text.Normalizer.normalize("Ưu tiên phát triển", java.text.Normalizer.Form.NFD);
        assertThat(Slugs.of(nfd)).isEqualTo("uu-tien-phat-trien");
    }

    @Test
    void collapsesPunctuationAndTrimsHyphens() {
        assertThat(Slugs.of("  «Kinh tế – Xã hội»!! ")).isEqualTo("kinh-te-xa-hoi");
    }

    @Test
    void cutsLongTitlesAtAWordBoundary() {
        String slug = Slugs.of("Quyết định phê duyệt quy hoạch chi tiết xây dựng khu đô thị mới phía Nam "
                + "thành phố Buôn Ma Thuột tỉnh Đắk Lắk giai đoạn hai nghìn không trăm hai mươi lăm");
        assertThat(slug.length()).isLessThanOrEqualTo(Slugs.MAX_LENGTH);
        assertThat(slug).startsWith("quyet-dinh-phe-duyet").doesNotEndWith("-");
        assertThat(slug).matches("[a-z0-9]+(-[a-z0-9]+)*");
    }

    @Test
    void isEmptyWithoutLatinLettersOrDigits() {
        assertThat(Slugs.of("新闻 📰")).isEmpty();
    }
}
