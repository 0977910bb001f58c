package io.bantin.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.HttpStatus;

/**
 * An RFC 9457 problem detail, the body of every 4xx and 5xx answer.
 * See https://www.rfc-editor.org/rfc/rfc9457#section-3.1 for the members.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    /** One invalid input field: {@code field} is a JSON path such as {@code tags[3]}. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(HttpStatusCode status, String detail, List<FieldError> errors) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return new Problem("about:blank", known == null ? "Error" : known.getReasonPhrase(), status.value(), detail,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }
}
