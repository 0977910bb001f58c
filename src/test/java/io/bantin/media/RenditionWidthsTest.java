package io.bantin.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which widths a photo is kept at, and how coarsely it is decoded for them. */
class RenditionWidthsTest {

    @Test
    void widthsAreTheFourSizesNeverUpscaledWithTheOriginalStandingInForLargerOnes() {
        assertThat(RenditionMaker.widths(4000)).containsExactly(320, 640, 1024, 1600);
        assertThat(RenditionMaker.widths(1600)).containsExactly(320, 640, 1024, 1600);
        assertThat(RenditionMaker.widths(1601)).containsExactly(320, 640, 1024, 1600);
        assertThat(RenditionMaker.widths(1200)).containsExactly(320, 640, 1024, 1200);
        assertThat(RenditionMaker.widths(640)).containsExactly(320, 640);
        assertThat(RenditionMaker.widths(200)).containsExactly(200);
    }

    @Test
    void aLargePhotoIsDecodedAtTheCoarsestStepThatStillFills1600Pixels() {
        assertThat(RenditionMaker.subsampling(4000, 12_000_000)).isEqualTo(2);
        assertThat(RenditionMaker.subsampling(1600, 1_000_000)).isEqualTo(1);
        assertThat(RenditionMaker.subsampling(7000, 50_000_000)).isEqualTo(4);
        // A 2,000 × 25,000 strip: memory, not width, sets the step (at most 4 × 1600² pixels decoded).
        assertThat(RenditionMaker.subsampling(2000, 50_000_000)).isEqualTo(3);
    }
}
