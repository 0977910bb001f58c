package io.bantin.page;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.content;
import static io.bantin.web.ApiDocs.empty;
import static io.bantin.web.ApiDocs.operation;
import static io.bantin.web.ApiDocs.path;
import static io.bantin.web.ApiDocs.problem;
import static io.bantin.web.ApiDocs.query;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/** Describes the reader pages of {@link PageRoutes} in the OpenAPI document. */
@Component
class PageApiDocs implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        add(api, "/api/v1/previews", HttpMethod.POST, io.bantin.web.ApiDocs.secured(operation("Pages", "previewPage",
                "The reader page a bulletin would have, nothing stored")
                .description("The body is a bulletin as for POST /api/v1/bulletins; the answer is the HTML page it "
                        + "would get if it were published now, made by the same code as the reader pages.")
                .requestBody(io.bantin.web.ApiDocs.jsonBody(new io.swagger.v3.oas.models.media.ObjectSchema(),
                        io.bantin.web.ApiDocs.example("title", "Hội nghị tổng kết công tác dân vận năm 2020",
                                "body", "<h2>Kết quả</h2><ul><li>Đạt 12/12 chỉ tiêu</li></ul>")))
                .responses(new ApiResponses()
                        .addApiResponse("200", content("The page", "text/html", new StringSchema()))
                        .addApiResponse("413", problem("Body over 1 MiB"))
                        .addApiResponse("415", problem("Not application/json"))
                        .addApiResponse("422", problem("Invalid fields, listed in `errors`"))), "publisher"));
        add(api, "/", HttpMethod.GET, operation("Pages", "homePage", "Latest bulletins as an HTML page")
                .addParametersItem(query("cursor", "The next page's cursor"))
                .responses(new ApiResponses()
                        .addApiResponse("200", content("The page, with feed autodiscovery links", "text/html",
                                new StringSchema()))
                        .addApiResponse("304", empty("Not modified"))));
        add(api, "/bulletins/{slug}", HttpMethod.GET, operation("Pages", "bulletinPage", "One bulletin as an HTML page")
                .addParametersItem(path("slug", "The bulletin's slug"))
                .responses(new ApiResponses()
                        .addApiResponse("200", content("The page", "text/html", new StringSchema()))
                        .addApiResponse("304", empty("Not modified"))
                        .addApiResponse("404", htmlOrProblem("No such bulletin: an HTML page, or a problem for API clients"))
                        .addApiResponse("410", htmlOrProblem("Withdrawn: an HTML page, or a problem for API clients"))));
        for (String scope : new String[] {"categories", "tags", "authors"}) {
            String what = scope.substring(0, scope.length() - 1).replace("ie", "y");
            add(api, "/" + scope + "/{slug}", HttpMethod.GET, operation("Pages", what + "Page",
                    "The latest bulletins of one " + what + " as an HTML page")
                    .addParametersItem(path("slug", "The " + what + "'s slug, e.g. kinh-te"))
                    .addParametersItem(query("cursor", "The next page's cursor"))
                    .responses(new ApiResponses()
                            .addApiResponse("200", content("The page", "text/html", new StringSchema()))
                            .addApiResponse("304", empty("Not modified"))
                            .addApiResponse("400", problem("A cursor this server did not issue"))
                            .addApiResponse("404", htmlOrProblem("Unknown, or nothing visible yet: an HTML page, or a problem for API clients"))));
        }
    }

    /** An error a browser gets as an HTML page and a client asking for JSON gets as a problem. */
    private static io.swagger.v3.oas.models.responses.ApiResponse htmlOrProblem(String description) {
        io.swagger.v3.oas.models.responses.ApiResponse response = content(description, "text/html", new StringSchema());
        response.getContent().addMediaType(io.bantin.web.ApiDocs.PROBLEM, problem(description).getContent().get(io.bantin.web.ApiDocs.PROBLEM));
        return response;
    }
}
