package io.bantin.media;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.web.reactive.function.server.ServerRequest;

import io.bantin.web.ProblemException;

/**
 * Reads an upload's body, the image itself or a {@code multipart/form-data} form with the image in a part named
 * {@code file}, streamed buffer by buffer up to {@code bantin.media.max-bytes} and never past it (413 then).
 */
final class UploadReader {

    private static final int MAX_FIELD = 8 * 1024;

    private final long maxBytes;

    UploadReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    String overLimit() {
        return "The upload is over the " + (maxBytes >> 20) + " MiB limit (bantin.media.max-bytes).";
    }

    Mono<MediaLibrary.Upload> read(ServerRequest request) {
        MediaType type = request.headers().contentType().orElse(null);
        if (type != null && MediaType.MULTIPART_FORM_DATA.includes(type)) {
            return multipart(request);
        }
        if (type == null) {
            return Mono.error(new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the photo with its "
                    + "Content-Type (image/jpeg, image/png, image/webp or image/gif), or as multipart/form-data."));
        }
        MediaLibrary.Words words = new MediaLibrary.Words(param(request, "alt"), param(request, "caption"),
                param(request, "credit"));
        return bytes(request.bodyToFlux(DataBuffer.class), maxBytes, overLimit())
                .map(bytes -> new MediaLibrary.Upload(bytes, type.toString(), words));
    }

    private Mono<MediaLibrary.Upload> multipart(ServerRequest request) {
        Map<String, String> fields = new HashMap<>();
        byte[][] file = new byte[1][];
        String[] fileType = new String[1];
        return request.bodyToFlux(PartEvent.class)
                .windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    PartEvent event = first.get();
                    if (event == null) {
                        return events.then();
                    }
                    String name = event.name();
                    if (event instanceof FilePartEvent && name.equals("file")) {
                        if (file[0] != null) {
                            return Mono.error(ProblemException.badRequest("Send one file per upload."));
                        }
                        MediaType partType = event.headers().getContentType();
                        fileType[0] = partType == null ? null : partType.toString();
                        return bytes(events.map(PartEvent::content), maxBytes, overLimit()).doOnNext(b -> file[0] = b)
                                .switchIfEmpty(Mono.fromRunnable(() -> file[0] = new byte[0])).then();
                    }
                    if (event instanceof FormPartEvent form && fields.size() < 16) {
                        events.subscribe(e -> DataBufferUtils.release(e.content()));
                        fields.put(name, form.value().length() > MAX_FIELD ? form.value().substring(0, MAX_FIELD) : form.value());
                        return Mono.empty();
                    }
                    return events.doOnNext(e -> DataBufferUtils.release(e.content())).then(); // a part we do not use
                }))
                .then(Mono.fromCallable(() -> {
                    if (file[0] == null) {
                        throw ProblemException.badRequest("The form has no part named file holding the photo.");
                    }
                    return new MediaLibrary.Upload(file[0], fileType[0], new MediaLibrary.Words(
                            fields.getOrDefault("alt", ""), fields.getOrDefault("caption", ""),
                            fields.getOrDefault("credit", "")));
                }));
    }

    /** Every byte of {@code body} in one array, refused with 413 at the first buffer past {@code max}. */
    static Mono<byte[]> bytes(Flux<DataBuffer> body, long max, String overLimit) {
        return body.collect(ByteArrayOutputStream::new, (out, buffer) -> {
            try {
                if ((long) out.size() + buffer.readableByteCount() > max) {
                    throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, overLimit)
                            .withHeader(HttpHeaders.CONNECTION, "close");
                }
                byte[] chunk = new byte[buffer.readableByteCount()];
                buffer.read(chunk);
                out.writeBytes(chunk);
            }
            finally {
                DataBufferUtils.release(buffer);
            }
        }).map(ByteArrayOutputStream::toByteArray);
    }

    private static String param(ServerRequest request, String name) {
        String value = request.queryParam(name).orElse("");
        return value.length() > MAX_FIELD ? value.substring(0, MAX_FIELD) : value;
    }

}
