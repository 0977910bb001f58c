package io.bantin.media;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.empty;
import static io.bantin.web.ApiDocs.example;
import static io.bantin.web.ApiDocs.header;
import static io.bantin.web.ApiDocs.integerQuery;
import static io.bantin.web.ApiDocs.json;
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
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

import io.bantin.web.ApiDocs;

/** Describes the media routes of {@link MediaRoutes} in the OpenAPI document. */
@Component
class MediaApiDocs implements OpenApiCustomizer {

    /** A page of photos, newest first. */
    record Page(List<Media> items, String next) {
    }

    static final String KEY = "9f2c4be01d7a6e35c8b1f04a2d9e7c61";

    static final Map<String, Object> PHOTO = example(
            "id", "0193a2c0-5b7e-7c1d-9a4f-2e8b6d0c3a11",
            "url", "https://tin.example.vn/media/" + KEY + "/1600.jpg",
            "type", "image/jpeg", "width", 1600, "height", 1067, "length", 284113,
            "alt", "Hội trường đông kín đại biểu", "caption", "Các đại biểu dự Hội nghị", "credit", "Hương Lan",
            "renditions", list(
                    example("url", "https://tin.example.vn/media/" + KEY + "/320.jpg", "type", "image/jpeg",
                            "width", 320, "height", 213, "length", 18422),
                    example("url", "https://tin.example.vn/media/" + KEY + "/640.jpg", "type", "image/jpeg",
                            "width", 640, "height", 427, "length", 52310),
                    example("url", "https://tin.example.vn/media/" + KEY + "/1024.jpg", "type", "image/jpeg",
                            "width", 1024, "height", 683, "length", 129877),
                    example("url", "https://tin.example.vn/media/" + KEY + "/1600.jpg", "type", "image/jpeg",
                            "width", 1600, "height", 1067, "length", 284113)),
            "createdAt", "2021-01-07T16:48:03+07:00");

    @Override
    public void customise(OpenAPI api) {
        Schema<?> media = ApiDocs.schema(api, Media.class);
        Schema<?> page = ApiDocs.schema(api, Page.class);
        String photos = "/api/v1/media";
        Content body = new Content();
        for (String type : List.of("image/jpeg", "image/png", "image/webp", "image/gif")) {
            body.addMediaType(type, new io.swagger.v3.oas.models.media.MediaType().schema(new BinarySchema()));
        }
        body.addMediaType("multipart/form-data", new io.swagger.v3.oas.models.media.MediaType().schema(
                new ObjectSchema().addProperty("file", new BinarySchema()).addProperty("alt", new StringSchema())
                        .addProperty("caption", new StringSchema()).addProperty("credit", new StringSchema())
                        .required(List.of("file"))));

        add(api, photos, HttpMethod.POST, secured(operation("Media", "uploadMedia", "Upload a photo")
                .description("The body is the image itself, or a form with the image in the part `file`. Bantin keeps "
                        + "it at widths 320, 640, 1024 and 1600 (never upscaled), upright, in sRGB, with every "
                        + "metadata field (EXIF, GPS, XMP) removed: JPEG, or PNG where it has transparency.")
                .addParametersItem(query("alt", "The photo's alternative text (or a form field)"))
                .addParametersItem(query("caption", "Its caption (or a form field)"))
                .addParametersItem(query("credit", "Who took it (or a form field)"))
                .addParametersItem(header("Idempotency-Key", "A retry with the same key returns the first result"))
                .requestBody(new RequestBody().required(true).content(body))
                .responses(new ApiResponses()
                        .addApiResponse("201", withHeader(json("Kept", media, PHOTO), "Location", "The photo's URL"))
                        .addApiResponse("400", problem("An empty body"))
                        .addApiResponse("413", problem("Over bantin.media.max-bytes (20 MiB)"))
                        .addApiResponse("415", problem("Not a JPEG, PNG, WebP or GIF (SVG included), or bytes of "
                                + "another type than the Content-Type says"))
                        .addApiResponse("422", problem("A truncated or unreadable image, markup inside it, more "
                                + "pixels than bantin.media.max-pixels, or words too long"))
                        .addApiResponse("429", problem("This token uploads too fast (`Retry-After`)"))
                        .addApiResponse("503", problem("Every decoder is busy (`Retry-After`)"))), "publisher"));

        add(api, photos, HttpMethod.GET, secured(operation("Media", "listMedia", "List photos, newest first")
                .parameters(List.of(integerQuery("limit", "How many photos", 1, MediaHandler.MAX_LIMIT,
                        MediaHandler.DEFAULT_LIMIT), query("cursor", "`next` of the previous page")))
                .responses(new ApiResponses()
                        .addApiResponse("200", json("A page", page, example("items", list(PHOTO), "next", null)))
                        .addApiResponse("400", problem("Invalid limit or cursor"))), "publisher"));

        add(api, photos + "/{id}", HttpMethod.GET, secured(operation("Media", "getMedia", "One photo")
                .addParametersItem(path("id", "The photo's id"))
                .responses(new ApiResponses()
                        .addApiResponse("200", json("The photo", media, PHOTO))
                        .addApiResponse("404", problem("No such photo"))), "publisher"));

        add(api, photos + "/{id}", HttpMethod.DELETE, secured(operation("Media", "deleteMedia", "Delete a photo")
                .addParametersItem(path("id", "The photo's id"))
                .responses(new ApiResponses()
                        .addApiResponse("204", empty("Deleted, with every rendition"))
                        .addApiResponse("404", problem("No such photo"))
                        .addApiResponse("409", problem("A bulletin readers can see (or will, at its time) uses it"))),
                "publisher"));

        Content file = new Content()
                .addMediaType("image/jpeg", new io.swagger.v3.oas.models.media.MediaType().schema(new BinarySchema()))
                .addMediaType("image/png", new io.swagger.v3.oas.models.media.MediaType().schema(new BinarySchema()));
        add(api, "/media/{key}/{file}", HttpMethod.GET, operation("Media", "mediaFile", "A rendition's bytes")
                .description("Immutable: the key is a hash of the content. `Cache-Control: public, max-age=31536000, "
                        + "immutable`, `ETag`, `Last-Modified`, `Surrogate-Key: media media:{id}`.")
                .addParametersItem(path("key", "32 hexadecimal digits, from the photo's URLs"))
                .addParametersItem(path("file", "`{width}.jpg` or `{width}.png`, as in `renditions`"))
                .addParametersItem(header("If-None-Match", "The ETag you hold"))
                .responses(new ApiResponses()
                        .addApiResponse("200", new io.swagger.v3.oas.models.responses.ApiResponse()
                                .description("The file").content(file))
                        .addApiResponse("304", empty("Not modified"))
                        .addApiResponse("404", problem("No such file"))));
    }
}
