package io.bantin.web;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Reads a JSON request body: checks its type, caps its size, and turns bad JSON into a 400 problem. */
@Component
public class JsonBodies {

    private final JsonMapper json;
    private final int maxBytes;

    JsonBodies(JsonMapper json, @Value("${bantin.request.max-body:1MB}") DataSize maxBody) {
        this.json = json;
        this.maxBytes = (int) Math.min(Integer.MAX_VALUE, maxBody.toBytes());
    }

    /** The largest request body taken ({@code bantin.request.max-body}); larger ones get 413. */
    public int maxBytes() {
        return maxBytes;
    }

    /** The 413 problem's detail, naming the limit. */
    public String overLimit() {
        String limit = maxBytes % (1 << 20) == 0 ? (maxBytes >> 20) + " MiB"
                : maxBytes % 1024 == 0 ? (maxBytes >> 10) + " KiB" : maxBytes + " bytes";
        return "The request body is over the " + limit + " limit.";
    }

    /** The body's bytes and their parsed tree; the bytes identify a request for idempotent retries. */
    public record JsonBody(byte[] bytes, JsonNode tree) {
    }

    public Mono<JsonBody> read(ServerRequest request) {
        MediaType type = request.headers().contentType().orElse(null);
        if (type == null || !(MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || type.getSubtype().endsWith("+json"))) {
            return Mono.error(new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as application/json" + (type == null ? "." : ", not " + type + ".")));
        }
        return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), maxBytes)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .switchIfEmpty(Mono.error(() -> ProblemException.badRequest("The request body is empty.")))
                .map(bytes -> new JsonBody(bytes, parse(bytes)));
    }

    private JsonNode parse(byte[] bytes) {
        try {
            return json.readTree(bytes);
        }
        catch (JacksonException e) {
            throw ProblemException.badRequest("The body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        }
    }
}
