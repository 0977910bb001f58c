package io.bantin.page;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The reader-page templates, compiled once at start-up so no request ever reads the classpath.
 * Mustache escapes every {{value}}; only the sanitized body and the parts rendered here before
 * ({{{content}}}, {{{head}}}, {{{teasers}}}, the escaped JSON-LD) are inserted raw. A page is its
 * content template rendered into {@code layout}, which holds the head, masthead, sections and breadcrumbs.
 */
@Component
class PageTemplates {

    static final List<String> NAMES = List.of("head", "layout", "home", "teasers", "listing", "bulletin", "error");

    private final Map<String, Template> templates = new HashMap<>();

    PageTemplates(Mustache.Compiler compiler, ResourceLoader resources) {
        // Missing values render as nothing; empty strings count as false in sections.
        Mustache.Compiler strict = compiler.escapeHTML(true).nullValue("").emptyStringIsFalse(true);
        NAMES.forEach(name -> templates.put(name, compile(strict, resources, name)));
    }

    /** Renders template {@code name} (one of {@link #NAMES}) with {@code model}. */
    String render(String name, Map<String, ?> model) {
        Template template = templates.get(name);
        if (template == null) {
            throw new IllegalArgumentException("pages: no template " + name);
        }
        return template.execute(model);
    }

    private static Template compile(Mustache.Compiler compiler, ResourceLoader resources, String name) {
        String location = "classpath:templates/" + name + ".mustache";
        try (Reader reader = new InputStreamReader(resources.getResource(location).getInputStream(),
                StandardCharsets.UTF_8)) {
            return compiler.compile(reader);
        }
        catch (IOException e) {
            throw new UncheckedIOException("pages: unable to read template " + location, e);
        }
    }
}
