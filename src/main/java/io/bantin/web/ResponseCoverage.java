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
 * database or a budget is out (with {@code Retry-After}), 400 for a body that is not JSON, and a HEAD
 * twin of every GET (routes answer HEAD with GET's status and headers, no body). Runs after the
 * features' {@code *ApiDocs}, so it sees all their operations.
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
                if (operation.getRequestBody() != null && !responses.containsKey("400")) {
                    responses.addApiResponse("400", ApiDocs.problem("The body is not the JSON this operation takes"));
                }
            }
            Operation get = item.getGet();
            if (get != null && item.getHead() == null) {
                item.setHead(headOf(get));
            }
        });
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
