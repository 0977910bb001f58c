package io.bantin.desk;

import static io.bantin.web.ApiDocs.add;
import static io.bantin.web.ApiDocs.content;
import static io.bantin.web.ApiDocs.operation;
import static io.bantin.web.ApiDocs.path;
import static io.bantin.web.ApiDocs.problem;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem.HttpMethod;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/** Describes the desk's routes of {@link DeskRoutes} in the OpenAPI document. */
@Component
class DeskApiDocs implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI api) {
        add(api, "/desk", HttpMethod.GET, operation("Desk", "deskPage", "The newsroom desk (HTML)")
                .description("Sign in with a publisher token, then list, write, illustrate, preview, schedule, "
                        + "publish and withdraw bulletins; it calls only this API.")
                .responses(new ApiResponses().addApiResponse("200", content("The desk", "text/html", new StringSchema()))));
        add(api, "/desk/assets/{hash}/{file}", HttpMethod.GET, operation("Desk", "deskAsset", "A file of the desk")
                .description("Immutable: the path holds a hash of the bytes.")
                .addParametersItem(path("hash", "16 hexadecimal digits"))
                .addParametersItem(path("file", "desk.js, desk.css, quill.js or quill.css"))
                .responses(new ApiResponses()
                        .addApiResponse("200", content("The file", "text/javascript", new StringSchema()))
                        .addApiResponse("404", problem("No such file"))));
    }
}
