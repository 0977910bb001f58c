package io.bantin.answer;

/**
 * Reads a feature answers from memory ahead of Spring when it can ({@link DirectRoute}), for URLs it owns outside
 * {@link PublicUrls.Route} (a photo's immutable files).
 */
public interface DirectAnswers {

    /** Whether {@code uri} (path and query) may be one of its reads: a cheap test on its literal start. */
    boolean mayMatch(String uri);

    /** The answer to a GET or HEAD of {@code path} when it is ready now; null leaves the request to Spring. */
    Answer now(String path, Answer.Asked asked, boolean head);
}
