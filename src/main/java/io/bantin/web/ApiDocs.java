package io.bantin.web;

import java.util.List;
import java.util.Map;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;

/**
 * A small vocabulary for describing functional routes in the OpenAPI document: each feature's
 * {@code *ApiDocs} uses it to say what its routes take and answer, without annotating handlers.
 */
public final class ApiDocs {

    public static final String PROBLEM = "application/problem+json";

    private ApiDocs() {
    }

    /** Adds an operation to a path of the document, creating the path item when needed. */
    public static void add(OpenAPI api, String path, PathItem.HttpMethod method, Operation operation) {
        if (api.getPaths() == null) {
            api.setPaths(new io.swagger.v3.oas.models.Paths());
        }
        api.getPaths().computeIfAbsent(path, p -> new PathItem()).operation(method, operation);
    }

    public static Operation operation(String tag, String id, String summary) {
        return new Operation().addTagsItem(tag).operationId(id).summary(summary).responses(new ApiResponses());
    }

    /** Marks an operation as needing a bearer token with the given role. */
    public static Operation secured(Operation operation, String role) {
        operation.addSecurityItem(new SecurityRequirement().addList("bearer"));
        operation.setDescription((operation.getDescription() == null ? "" : operation.getDescription() + "\n\n")
                + "Needs a `" + role + "` token.");
        return operation.responses(operation.getResponses()
                .addApiResponse("401", problem("No valid token (`WWW-Authenticate: Bearer`)."))
                .addApiResponse("403", problem("The token's role may not do this.")));
    }

    /** A schema for a Java type, registering the types it refers to as document components. */
    public static Schema<?> schema(OpenAPI api, Class<?> type) {
        ResolvedSchema resolved = ModelConverters.getInstance()
                .resolveAsResolvedSchema(new AnnotatedType(type).resolveAsRef(true));
        if (resolved.referencedSchemas != null) {
            resolved.referencedSchemas.forEach((name, schema) -> api.getComponents().addSchemas(name, schema));
        }
        return resolved.schema;
    }

    public static ApiResponse json(String description, Schema<?> schema, Object example) {
        MediaType media = new MediaType().schema(schema);
        if (example != null) {
            media.addExamples("vi", new Example().value(example));
        }
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, media));
    }

    public static ApiResponse content(String description, String mediaType, Schema<?> schema) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(mediaType, new MediaType().schema(schema)));
    }

    public static ApiResponse empty(String description) {
        return new ApiResponse().description(description);
    }

    public static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
    }

    public static ApiResponse withHeader(ApiResponse response, String name, String description) {
        return response.addHeaderObject(name, new Header().description(description).schema(new StringSchema()));
    }

    public static RequestBody jsonBody(Schema<?> schema, Object example) {
        MediaType media = new MediaType().schema(schema);
        if (example != null) {
            media.addExamples("vi", new Example().value(example));
        }
        return new RequestBody().required(true)
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, media));
    }

    public static Parameter query(String name, String description) {
        return new Parameter().in("query").name(name).description(description).schema(new StringSchema());
    }

    /** A whole-number query parameter with its bounds, so generated clients type it as an integer. */
    public static Parameter integerQuery(String name, String description, int minimum, int maximum, int byDefault) {
        return new Parameter().in("query").name(name).description(description).schema(new IntegerSchema()
                .minimum(java.math.BigDecimal.valueOf(minimum)).maximum(java.math.BigDecimal.valueOf(maximum))
                ._default(byDefault));
    }

    /** A path parameter that takes one of a fixed set of values. */
    public static Parameter enumPath(String name, String description, java.util.List<String> values) {
        StringSchema schema = new StringSchema();
        schema.setEnum(values);
        return new Parameter().in("path").name(name).required(true).description(description).schema(schema);
    }

    public static Parameter path(String name, String description) {
        return new Parameter().in("path").name(name).required(true).description(description).schema(new StringSchema());
    }

    public static Parameter header(String name, String description) {
        return new Parameter().in("header").name(name).description(description).schema(new StringSchema());
    }

    /** An example value shaped like the JSON it stands for. */
    public static Map<String, Object> example(Object... keysAndValues) {
        java.util.LinkedHashMap<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    public static List<Object> list(Object... items) {
        return List.of(items);
    }
}
