package io.bantin.bulletin;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.empty;
import static io.bantin.web.ApiDocs.example;
import static io.bantin.web.ApiDocs.header;
import static io.bantin.web.ApiDocs.integerQuery;
import static io.bantin.web.ApiDocs.json;
import static io.bantin.web.ApiDocs.jsonBody;
import static io.bantin.web.ApiDocs.list;
import static io.bantin.web.ApiDocs.operation;
import static io.bantin.web.ApiDocs.path;
import static io.bantin.web.ApiDocs.problem;
import static io.bantin.web.ApiDocs.query;
import static io.bantin.web.ApiDocs.secured;
import static io.bantin.web.ApiDocs.withHeader;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

import io.bantin.web.ApiDocs;

/** Describes the bulletin routes of {@link BulletinRoutes} in the OpenAPI document. */
@Component
class BulletinApiDocs implements OpenApiCustomizer {

    /** The JSON a publisher sends (documentation only: the reader accepts names or objects for terms). */
    record BulletinInput(String title, String summary, String body, String author, String category, List<String> tags,
            List<Bulletin.Image> images, String language, String status, String publishedAt) {
    }

    /** A page of a list, as documented (with {@code fields}, each item holds only the fields asked for). */
    record Page(List<Bulletin> items, String next) {
    }

    /** What {@code fields} takes, with an example that leaves out the bodies. */
    static final String FIELDS = "Comma-separated top-level fields to include (sparse fieldset), any of "
            + String.join(", ", Fields.ALL) + "; an unknown one is a 400 listing them";

    static final Map<String, Object> SPARSE = example(
            "id", "01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7", "slug", "hoi-nghi-tong-ket-cong-tac-dan-van-nam-2020",
            "title", "Hội nghị tổng kết công tác dân vận năm 2020",
            "summary", "Chiều 07/01, Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2020.",
            "images", list(example("url", "https://portal.example.org/media/a.jpg", "caption", "Các đại biểu dự Hội nghị")),
            "publishedAt", "2021-01-07T17:00:00+07:00");

    /** A category or tag with its number of visible bulletins. */
    record CountedTerm(String slug, String name, long count) {
    }

    static final Map<String, Object> INPUT = example(
            "title", "Hội nghị tổng kết công tác dân vận năm 2020",
            "summary", "Chiều 07/01, Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2020.",
            "body", "<p>Năm 2020, các cấp ủy đảng, chính quyền đã phát huy vai trò lãnh đạo…</p>",
            "author", "Hương Lan", "category", "Dân vận", "tags", list("Hội nghị", "Dân vận khéo"),
            "images", list(example("url", "https://portal.example.org/media/a.jpg", "caption", "Các đại biểu dự Hội nghị",
                    "length", 48213, "type", "image/jpeg")),
            "publishedAt", "2021-01-07T17:00:00+07:00");

    static final Map<String, Object> OUTPUT = example(
            "id", "01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7", "slug", "hoi-nghi-tong-ket-cong-tac-dan-van-nam-2020",
            "title", INPUT.get("title"), "summary", INPUT.get("summary"), "body", INPUT.get("body"),
            "author", "Hương Lan", "category", example("slug", "dan-van", "name", "Dân vận"),
            "tags", list(example("slug", "hoi-nghi", "name", "Hội nghị"), example("slug", "dan-van-kheo", "name", "Dân vận khéo")),
            "images", INPUT.get("images"), "language", "vi", "status", "published",
            "publishedAt", "2021-01-07T17:00:00+07:00", "updatedAt", "2021-01-07T17:05:12+07:00", "version", 1,
            "links", example("self", "https://tin.example.vn/api/v1/bulletins/01a21a25-1c3f-7fe4-8463-b7ee99a6c8b7",
                    "html", "https://tin.example.vn/bulletins/hoi-nghi-tong-ket-cong-tac-dan-van-nam-2020"));

    /** The same answer as NDJSON too (the export), one bulletin a line. */
    private static io.swagger.v3.oas.models.responses.ApiResponse withNdjson(
            io.swagger.v3.oas.models.responses.ApiResponse response, Schema<?> bulletin) {
        response.getContent().addMediaType("application/x-ndjson",
                new io.swagger.v3.oas.models.media.MediaType().schema(bulletin));
        return response;
    }

    /** What a photo's optional fields mean: absent ones are left out of answers too. */
    private static void describeImage(OpenAPI api) {
        Schema<?> image = api.getComponents().getSchemas().get("Image");
        if (image == null || image.getProperties() == null) {
            return;
        }
        image.getProperties().get("length").minimum(java.math.BigDecimal.ONE)
                .description("Optional: the photo's size in bytes; with it, RSS offers the photo as its <enclosure>");
        image.getProperties().get("type")
                .description("Optional: the photo's media type (image/…); without it, guessed from the URL");
        image.getProperties().get("media").description("An uploaded photo's id (POST /api/v1/media): then Bantin "
                + "fills url, type, length, width, height and renditions, and the photo's alt and caption unless given");
        image.getProperties().get("alt").description("Optional: the alternative text; without it, the caption");
        image.getProperties().get("width").description("Read only: the uploaded photo's width in pixels");
        image.getProperties().get("height").description("Read only: its height in pixels");
        image.getProperties().get("renditions").description("Read only: every size kept, smallest first");
    }

    @Override
    public void customise(OpenAPI api) {
        Schema<?> bulletin = ApiDocs.schema(api, Bulletin.class);
        Schema<?> input = ApiDocs.schema(api, BulletinInput.class);
        Schema<?> page = ApiDocs.schema(api, Page.class);
        describeImage(api);
        Schema<?> terms = new ArraySchema().items(ApiDocs.schema(api, CountedTerm.class));
        String bulletins = "/api/v1/bulletins";

        add(api, bulletins, HttpMethod.POST, secured(operation("Bulletins", "createBulletin", "Publish a bulletin")
                .description("A future `publishedAt` stores it as `scheduled`; `\"status\":\"draft\"` keeps it hidden.")
                .addParametersItem(header("Idempotency-Key", "A retry with the same key returns the first result"))
                .requestBody(jsonBody(input, INPUT))
                .responses(new io.swagger.v3.oas.models.responses.ApiResponses()
                        .addApiResponse("201", withHeader(json("Created", bulletin, OUTPUT), "Location", "The bulletin's URL"))
                        .addApiResponse("400", problem("Malformed JSON"))
                        .addApiResponse("410", problem("The bulletin a repeated Idempotency-Key made was withdrawn since"))
                        .addApiResponse("413", problem("Body over 1 MiB"))
                        .addApiResponse("415", problem("Not application/json"))
                        .addApiResponse("422", problem("Invalid fields, listed in `errors`"))
                        .addApiResponse("429", problem("This token writes too fast (`Retry-After`)"))), "publisher"));

        add(api, bulletins, HttpMethod.GET, operation("Bulletins", "listBulletins", "List bulletins, newest first")
                .description("With `Accept: application/x-ndjson`: every match, one bulletin per line, streamed.")
                .parameters(List.of(query("category", "Category name or slug"), query("tag", "Tag name or slug"),
                        query("author", "Author name or slug"), query("q", "Words; `dan van` finds `dân vận`"),
                        query("since", "2021-01-07 or 2021-01-07T17:00:00+07:00"), query("until", "As `since`"),
                        integerQuery("limit", "How many bulletins (with NDJSON: no cap by default)", 1,
                                ListParameters.MAX_LIMIT, ListParameters.DEFAULT_LIMIT),
                        query("cursor", "`next` of the previous page"),
                        query("fields", FIELDS).example("id,slug,title,summary,images,publishedAt")))
                .responses(new io.swagger.v3.oas.models.responses.ApiResponses()
                        .addApiResponse("200", withNdjson(json("A page (`?fields=id,slug,title,summary,images,publishedAt` "
                                + "in the example); `ETag`, 304 on `If-None-Match`", page,
                                example("items", list(SPARSE), "next", "AZJ1c3Rh…")), bulletin))
                        .addApiResponse("400", problem("Invalid parameter, cursor or field name"))));

        add(api, bulletins + "/{idOrSlug}", HttpMethod.GET, operation("Bulletins", "getBulletin", "One bulletin")
                .addParametersItem(path("idOrSlug", "The id or the slug"))
                .addParametersItem(query("fields", FIELDS).example("id,slug,title,summary,images,publishedAt"))
                .addParametersItem(header("If-None-Match", "The ETag you hold"))
                .responses(new io.swagger.v3.oas.models.responses.ApiResponses()
                        .addApiResponse("200", withHeader(json("The bulletin", bulletin, OUTPUT), "ETag",
                                "\"<version>\" (with `fields`: W/\"<version>-<fields, dot-separated>\")"))
                        .addApiResponse("400", problem("`fields` names an unknown field"))
                        .addApiResponse("304", empty("Not modified"))
                        .addApiResponse("404", problem("No such bulletin"))
                        .addApiResponse("410", problem("Withdrawn"))));

        add(api, bulletins + "/{id}", HttpMethod.PUT, secured(operation("Bulletins", "replaceBulletin", "Replace a bulletin")
                .description("The id and slug never change; `version` goes up by one.")
                .addParametersItem(path("id", "The bulletin's id"))
                .addParametersItem(header("If-Match", "The ETag (or version) you edited"))
                .requestBody(jsonBody(input, INPUT))
                .responses(new io.swagger.v3.oas.models.responses.ApiResponses()
                        .addApiResponse("200", json("Replaced", bulletin, OUTPUT))
                        .addApiResponse("404", problem("No such bulletin"))
                        .addApiResponse("410", problem("Withdrawn"))
                        .addApiResponse("412", problem("Stale If-Match"))
                        .addApiResponse("422", problem("Invalid fields"))), "publisher"));

        add(api, bulletins + "/{id}", HttpMethod.DELETE, secured(operation("Bulletins", "withdrawBulletin", "Withdraw a bulletin")
                .addParametersItem(path("id", "The bulletin's id"))
                .addParametersItem(header("If-Match", "The ETag (or version) you saw"))
                .responses(new io.swagger.v3.oas.models.responses.ApiResponses()
                        .addApiResponse("204", empty("Withdrawn: gone from lists and feeds; streams get `deleted`"))
                        .addApiResponse("404", problem("No such bulletin"))
                        .addApiResponse("410", problem("Already withdrawn"))
                        .addApiResponse("412", problem("Stale If-Match"))), "publisher"));

        Object termsExample = list(example("slug", "dan-van", "name", "Dân vận", "count", 12));
        add(api, "/api/v1/categories", HttpMethod.GET, operation("Bulletins", "listCategories", "Categories with counts")
                .responses(new io.swagger.v3.oas.models.responses.ApiResponses()
                        .addApiResponse("200", json("Every category", terms, termsExample))));
        add(api, "/api/v1/tags", HttpMethod.GET, operation("Bulletins", "listTags", "Tags with counts")
                .responses(new io.swagger.v3.oas.models.responses.ApiResponses()
                        .addApiResponse("200", json("Every tag", terms, termsExample))));
    }
}
