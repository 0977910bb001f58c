package io.bantin.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** A failure whose answer is a known problem: thrown by handlers, rendered by {@link ProblemExceptionHandler}. */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final List<Problem.FieldError> errors;
    private final HttpHeaders headers = new HttpHeaders();

    public ProblemException(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public ProblemException(HttpStatus status, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false); // expected outcomes: no stack trace to fill
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, detail);
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "The request has invalid fields.", errors);
    }

    public ProblemException withHeader(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public Problem problem() {
        return Problem.of(status, getMessage(), errors);
    }
}
