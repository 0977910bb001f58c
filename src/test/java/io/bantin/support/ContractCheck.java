package io.bantin.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * After each test class, validates every answer its tests read ({@link ContractRecorder}) against the
 * server's own {@code /v3/api-docs}, with Atlassian's swagger-request-validator, and fails the class on
 * the first class-worth of mismatches, each shown with its request. Paths the document does not describe
 * (static files, the document itself, deliberately unknown paths) are skipped: the route test
 * (ApiDocumentationTest) proves that every route is in the document.
 * <p>
 * The document is fetched once per JVM, before the first server test class runs, while its context is
 * live: after a class, a {@code @DirtiesContext} context is already closed (Spring's after-all callback
 * runs before this one), so fetching then failed with a ConnectException when only such classes ran.
 */
public class ContractCheck implements BeforeAllCallback, AfterAllCallback {

    private static volatile OpenApiInteractionValidator validator;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (validator != null || !AnnotatedElementUtils.hasAnnotation(context.getRequiredTestClass(), SpringBootTest.class)
                || AnnotatedElementUtils.findMergedAnnotation(context.getRequiredTestClass(), SpringBootTest.class)
                        .webEnvironment() != SpringBootTest.WebEnvironment.RANDOM_PORT) {
            return;
        }
        String port = SpringExtension.getApplicationContext(context).getEnvironment().getProperty("local.server.port");
        if (port != null) {
            validator(URI.create("http://localhost:" + port + "/"));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<ContractRecorder.Exchange> seen = ContractRecorder.drain();
        if (seen.isEmpty()) {
            return;
        }
        List<String> mismatches = mismatches(seen);
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " answer(s) seen in " + context.getDisplayName()
                    + " do not match /v3/api-docs:\n" + String.join("\n", mismatches));
        }
    }

    /** Each answer that does not match the document, described with its request; empty when all match. */
    public static List<String> mismatches(List<ContractRecorder.Exchange> exchanges) throws Exception {
        if (exchanges.isEmpty()) {
            return List.of();
        }
        OpenApiInteractionValidator check = validator(exchanges.get(0).url());
        List<String> mismatches = new ArrayList<>();
        for (ContractRecorder.Exchange exchange : exchanges) {
            Request.Method method;
            try {
                method = Request.Method.valueOf(exchange.method());
            }
            catch (IllegalArgumentException unknown) {
                continue;
            }
            SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
            exchange.headers().forEach((name, values) -> response.withHeader(name, values));
            String type = exchange.headers().getFirst(HttpHeaders.CONTENT_TYPE);
            boolean stream = type != null && (type.contains("ndjson") || type.contains("event-stream"));
            if (!stream && exchange.body().length > 0) {
                response.withBody(new String(exchange.body(), StandardCharsets.UTF_8));
            }
            ValidationReport report = check.validateResponse(exchange.url().getRawPath(), method, response.build());
            if (stream) {
                // a stream's body is many documents, not the one the schema describes: only status and type count
                report = ValidationReport.from(report.getMessages().stream()
                        .filter(m -> !m.getKey().startsWith("validation.response.body")).toList());
            }
            if (report.hasErrors()) {
                mismatches.add(exchange.method() + " " + exchange.url().getRawPath()
                        + (exchange.url().getRawQuery() == null ? "" : "?" + exchange.url().getRawQuery())
                        + " -> " + exchange.status() + " " + type + "\n  "
                        + String.join("\n  ", report.getMessages().stream().map(m -> m.getKey() + ": " + m.getMessage()).toList()));
            }
        }
        return mismatches;
    }

    /** The validator for the document of the first live server seen; {@code any} is a URL on that server. */
    private static synchronized OpenApiInteractionValidator validator(URI any) throws Exception {
        if (validator == null) {
            HttpClient http = HttpClient.newHttpClient();
            String document = http.send(HttpRequest.newBuilder(any.resolve("/v3/api-docs")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            validator = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.response.path.missing", ValidationReport.Level.IGNORE)
                            .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                            .build())
                    .build();
        }
        return validator;
    }
}
