package io.bantin.web;

import java.util.List;

import org.springframework.http.MediaType;

/**
 * Picks the media type a client prefers among those a route offers, honouring q-values
 * (RFC 9110, section 12.5.1): {@code q=0} refuses a type, a more specific range wins over a wider
 * one, and equal preferences go to the route's first offer.
 */
public final class Negotiation {

    private Negotiation() {
    }

    /** The offer the client prefers, or null when it accepts none of them. */
    public static MediaType choose(List<MediaType> accepted, List<MediaType> offers) {
        List<MediaType> ranges = accepted.isEmpty() ? List.of(MediaType.ALL) : accepted;
        MediaType best = null;
        double bestQuality = 0;
        for (MediaType offer : offers) {
            double quality = quality(ranges, offer);
            if (quality > bestQuality) {
                best = offer;
                bestQuality = quality;
            }
        }
        return best;
    }

    /** The quality of the most specific range that matches the offer; 0 when none does. */
    private static double quality(List<MediaType> ranges, MediaType offer) {
        MediaType match = null;
        for (MediaType range : ranges) {
            if (range.includes(offer) && (match == null || specificity(range) > specificity(match))) {
                match = range;
            }
        }
        return match == null ? 0 : match.getQualityValue();
    }

    private static int specificity(MediaType range) {
        return range.isWildcardType() ? 0 : range.isWildcardSubtype() ? 1
                : 2 + (int) range.getParameters().keySet().stream().filter(name -> !name.equals("q")).count();
    }
}
