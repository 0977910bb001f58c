package io.bantin.page;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The reader-page templates, compiled once at start-up so no request ever reads the classpath.
 * Mustache escapes every {{value}}; only the sanitized body is inserted raw ({{{body}}}).
 */
@Component
class PageTemplates {

    private final Template head;
    private final Template home;
    private final Template bulletin;
    private final Template error;

    PageTemplates(Mustache.Compiler compiler, ResourceLoader resources) {
        // Missing values render as nothing; empty strings count as false in sections.
        Mustache.Compiler strict = compiler.escapeHTML(true).nullValue("").emptyStringIsFalse(true);
        this.head = compile(strict, resources, "head");
        this.home = compile(strict, resources, "home");
        this.bulletin = compile(strict, resources, "bulletin");
        this.error = compile(strict, resources, "error");
    }

    String head(Map<String, Object> model) {
        return head.execute(model);
    }

    String home(Map<String, Object> model) {
        return home.execute(model);
    }

    String bulletin(Map<String, Object> model) {
        return bulletin.execute(model);
    }

    String error(Map<String, Object> model) {
        return error.execute(model);
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
