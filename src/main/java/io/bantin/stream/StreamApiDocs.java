package io.bantin.stream;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.header;
import static io.bantin.web.ApiDocs.integerQuery;
import static io.bantin.web.ApiDocs.json;
import static io.bantin.web.ApiDocs.operation;
import static io.bantin.web.ApiDocs.problem;
import static io.bantin.web.ApiDocs.query;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/** Describes the live stream of {@link StreamRoutes} and its finite form, {@code /api/v1/changes}, in the OpenAPI document. */
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
        add(api, "/api/v1/changes", HttpMethod.GET, operation("Streams", "changes", "Changes since an event id (delta sync)")
                .description("The stream's events after `after`, oldest first, as one finite JSON page, for apps that "
                        + "cannot hold a stream open. Each item is the stream's NDJSON line (`id`, `event`, `data`). Ask "
                        + "again with `after=next` until `items` is empty. Without `after`: no items, and `next` is the "
                        + "newest event id, where to start. An `after` older than the kept log (or past its end) answers "
                        + "one `reset` item: reload the lists, then go on from `next`. With `category` or `tag`, items "
                        + "are filtered as the stream filters them, and `next` still moves past the events left out. "
                        + "Also `HEAD`.")
                .addParametersItem(query("after", "The last event id the app has seen"))
                .addParametersItem(integerQuery("limit", "Events read at most, 1 to " + ChangesHandler.MAX_LIMIT
                        + " (default " + ChangesHandler.DEFAULT_LIMIT + ")", 1, ChangesHandler.MAX_LIMIT,
                        ChangesHandler.DEFAULT_LIMIT))
                .addParametersItem(query("category", "Category name or slug"))
                .addParametersItem(query("tag", "Tag name or slug"))
                .responses(new ApiResponses()
                        .addApiResponse("200", json("Events after `after`, and the next cursor", new ObjectSchema(),
                                CHANGES_EXAMPLE))
                        .addApiResponse("400", problem("Invalid after or limit"))));
    }

    private static final java.util.Map<String, Object> CHANGES_EXAMPLE = java.util.Map.of(
            "items", java.util.List.of(
                    java.util.Map.of("id", 42, "event", "published", "data", java.util.Map.of(
                            "id", "01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7", "title", "Lễ hội cồng chiêng Tây Nguyên")),
                    java.util.Map.of("id", 43, "event", "deleted", "data", java.util.Map.of(
                            "id", "01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7"))),
            "next", "43");
}
