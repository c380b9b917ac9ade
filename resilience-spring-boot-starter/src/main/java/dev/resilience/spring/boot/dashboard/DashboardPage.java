package dev.resilience.spring.boot.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The operator's page: one self-contained HTML document (its script and style inline, nothing fetched but the
 * actuator's JSON), rendered once with the actuator's base path. The page finds the prefix it was served under
 * (a servlet context path, a management base path) from its own address, so the same text serves every stack.
 */
final class DashboardPage {

    /** Where the page is served, on the port of the actuator. */
    static final String PATH = "/resilience/dashboard";

    /**
     * What the page may do: run its inline script and style, and fetch from its own origin; nothing else (no
     * CDN, no frame, no form).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    static final MediaType MEDIA_TYPE = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    /** The page reads live state: never cached. */
    static final CacheControl CACHE_CONTROL = CacheControl.noStore();

    /** Headers of every answer besides its type and caching. */
    static final HttpHeaders HEADERS = headers();

    private static final String DEFAULT_BASE_PATH = "/actuator";

    private static final String TEMPLATE = "dashboard.html";
    private static final String BASE_PATH_MARK = "\"{{actuatorBasePath}}\"";

    private final String html;

    private DashboardPage(String html) {
        this.html = html;
    }

    /**
     * @param endpoints the actuator's web endpoint properties; {@code null} for the default base path
     * @return the page, with the actuator's base path written into it
     */
    static DashboardPage of(@Nullable WebEndpointProperties endpoints) {
        return forBasePath(endpoints == null ? DEFAULT_BASE_PATH : endpoints.getBasePath());
    }

    /**
     * @param actuatorBasePath {@code management.endpoints.web.base-path}, such as {@code /actuator}
     * @return the page, with that base path written into it
     */
    static DashboardPage forBasePath(String actuatorBasePath) {
        String template = template();
        if (!template.contains(BASE_PATH_MARK)) {
            throw new IllegalStateException(TEMPLATE + " has no " + BASE_PATH_MARK + " to receive the base path");
        }
        return new DashboardPage(template.replace(BASE_PATH_MARK, jsString(normalized(actuatorBasePath))));
    }

    /** @return the HTML document */
    String html() {
        return html;
    }

    /** {@code /actuator/} and {@code actuator} become {@code /actuator}; {@code /} and blank become empty. */
    static String normalized(String basePath) {
        String path = basePath == null ? "" : basePath.trim();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.isEmpty() || path.startsWith("/") ? path : "/" + path;
    }

    /** A JavaScript string literal that is also safe inside an HTML script element. */
    static String jsString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        return HttpHeaders.readOnlyHttpHeaders(headers);
    }

    private static String template() {
        try (InputStream in = new ClassPathResource(TEMPLATE, DashboardPage.class).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot read " + TEMPLATE + " of the operator's page", failure);
        }
    }
}
