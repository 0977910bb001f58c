package io.bantin.stream;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.header;
import static io.bantin.web.ApiDocs.operation;
import static io.bantin.web.ApiDocs.problem;
import static io.bantin.web.ApiDocs.query;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/** Describes the live stream of {@link StreamRoutes} in the OpenAPI document. */
@Component
class StreamApiDocs implements OpenApiCustomizer {

    private static final String SSE_EXAMPLE = """
            retry:3000
            :bantin stream

            id:42
            event:published
            data:{"id":"01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7","title":"Lễ hội cồng chiêng Tây Nguyên","…":"…"}

            """;

    private static final String NDJSON_EXAMPLE = """
            {"id":42,"event":"published","data":{"id":"01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7","title":"Lễ hội cồng chiêng Tây Nguyên"}}
            {"event":"heartbeat"}
            {"id":43,"event":"deleted","data":{"id":"01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7"}}
            """;

    @Override
    public void customise(OpenAPI api) {
        ApiResponse events = new ApiResponse().description("Endless: replayed events first, then live ones, heartbeats")
                .content(new Content()
                        .addMediaType("text/event-stream", new MediaType().schema(new StringSchema())
                                .addExamples("vi", new Example().value(SSE_EXAMPLE)))
                        .addMediaType("application/x-ndjson", new MediaType().schema(new StringSchema())
                                .addExamples("vi", new Example().value(NDJSON_EXAMPLE))));
        add(api, "/api/v1/stream", HttpMethod.GET, operation("Streams", "stream", "Live bulletin events (SSE or NDJSON)")
                .description("Events `published`, `updated` (the bulletin JSON), `deleted` (`{\"id\":…}`) and `reset` "
                        + "(the resume point is older than the kept log). Every instance sends every event. An edit that "
                        + "takes a bulletin out of the followed category or tag arrives as `deleted`.")
                .addParametersItem(query("category", "Category name or slug"))
                .addParametersItem(query("tag", "Tag name or slug"))
                .addParametersItem(query("lastEventId", "Resume after this event id (or the Last-Event-ID header)"))
                .addParametersItem(header("Last-Event-ID", "Resume after this event id"))
                .responses(new ApiResponses()
                        .addApiResponse("200", events)
                        .addApiResponse("400", problem("Invalid resume id"))
                        .addApiResponse("406", problem("Neither text/event-stream nor application/x-ndjson accepted"))));
    }
}
