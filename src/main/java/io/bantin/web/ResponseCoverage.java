package io.bantin.web;

import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Completes the document with the answers every route can give whatever its feature: 503 when the
 * database or a budget is out (with {@code Retry-After}); 400 for an {@code Accept} header that is not a
 * list of media types (refused before any route, see {@code AcceptHeader}); 401 and 429 for a bearer token
 * that is sent and refused, which public reads answer too (see {@code SecurityConfig}, {@code AuthThrottle});
 * on operations that take a body, 400 for one that is not JSON, 413 for one over the limit and 415 for a
 * type other than JSON or a {@code Content-Encoding} (see {@code JsonBodies}, {@code ContentEncodings});
 * and a HEAD twin of every GET (routes answer HEAD with GET's status and headers, no body). Runs after
 * the features' {@code *ApiDocs}, so it sees all their operations.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class ResponseCoverage implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().values().forEach(item -> {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                ApiResponses responses = operation.getResponses();
                if (!responses.containsKey("503")) {
                    responses.addApiResponse("503", ApiDocs.withHeader(ApiDocs.problem(
                            "The database is unreachable or a server budget is spent: retry later"),
                            "Retry-After", "Seconds to wait before retrying"));
                }
                if (operation.getRequestBody() != null) {
                    addIfMissing(responses, "400", ApiDocs.problem("The body is not the JSON this operation takes"));
                    addIfMissing(responses, "413", ApiDocs.problem("The body is over the size limit (`bantin.request.max-body`)"));
                    addIfMissing(responses, "415", ApiDocs.withHeader(ApiDocs.problem(
                            "The body is not `application/json`, or is sent with a `Content-Encoding`"),
                            "Accept-Encoding", "`identity`: bodies are read as sent"));
                }
                addIfMissing(responses, "400", ApiDocs.problem(
                        "The request is malformed: an `Accept` header that is not a list of media types"));
                addIfMissing(responses, "401", ApiDocs.withHeader(ApiDocs.problem(
                        "An `Authorization` header was sent with no valid token; leave it out to read anonymously"),
                        "WWW-Authenticate", "`Bearer`"));
                addIfMissing(responses, "429", ApiDocs.withHeader(ApiDocs.problem(
                        "Too many refused tokens from this address: requests carrying a token wait"),
                        "Retry-After", "Seconds to wait before retrying"));
            }
            Operation get = item.getGet();
            if (get != null && item.getHead() == null) {
                item.setHead(headOf(get));
            }
        });
    }

    private static void addIfMissing(ApiResponses responses, String status, ApiResponse response) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, response);
        }
    }

    private static Operation headOf(Operation get) {
        ApiResponses responses = new ApiResponses();
        get.getResponses().forEach((status, response) -> responses.addApiResponse(status,
                new ApiResponse().description(response.getDescription()).headers(response.getHeaders())));
        return new Operation().tags(get.getTags()).operationId(get.getOperationId() + "Head")
                .summary(get.getSummary() + " (headers only)").description(get.getDescription())
                .parameters(get.getParameters()).security(get.getSecurity()).responses(responses);
    }
}
