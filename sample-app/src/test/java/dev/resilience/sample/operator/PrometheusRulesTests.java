package dev.resilience.sample.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.sample.CheckoutClient;
import dev.resilience.sample.FreePort;
import dev.resilience.sample.standin.StandIn;
import dev.resilience.sample.standin.StandInMode;
import dev.resilience.spring.BreakerRegistry;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/prometheus/resilience-rules.yml in Debian's Prometheus, scraping the whole sample application every second
 * on loopback: with payments failing, its breaker opens, {@code BreakerOpen} fires (its {@code for} shortened to 2s
 * for the test, its expression unchanged), and the PromQL of the README and docs/*.md and the recording rules parse
 * and return data.
 * Skipped without {@code /usr/bin/prometheus} unless {@code TESTS_REQUIRE_PROMETHEUS=true}.
 */
@ExtendWith(InstalledProgram.Prometheus.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "checkout.stand-in.enabled=true", "resilience.breaker.instances.payments.open-duration=5m",
        "resilience.retry.defaults.delay=10ms" })
class PrometheusRulesTests {

    private static final int PAYMENTS_PORT = FreePort.onLoopback();
    private static final int PRICES_PORT = FreePort.onLoopback();
    private static final Path RULES = Path.of("..", "docs", "prometheus", "resilience-rules.yml");
    private static final Path README = Path.of("..", "README.md");
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern PROMQL = Pattern.compile("```promql\\n(.*?)```", Pattern.DOTALL);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Process prometheus;
    private static Path work;
    private static URI api;

    @DynamicPropertySource
    static void standIns(DynamicPropertyRegistry registry) {
        registry.add("checkout.stand-in.payments-port", () -> PAYMENTS_PORT);
        registry.add("checkout.stand-in.prices-port", () -> PRICES_PORT);
        registry.add("checkout.payments-url", () -> "http://127.0.0.1:" + PAYMENTS_PORT);
        registry.add("checkout.prices-url", () -> "http://127.0.0.1:" + PRICES_PORT);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private StandIn standIn;

    @Autowired
    private BreakerRegistry breakers;

    @BeforeEach
    void prometheusScrapesTheApplication() throws IOException {
        if (prometheus == null) {
            work = Files.createTempDirectory("resilience-prometheus-");
            int prometheusPort = FreePort.onLoopback();
            api = URI.create("http://127.0.0.1:" + prometheusPort);
            Files.writeString(work.resolve("resilience-rules.yml"), rulesWithBreakerOpenFor("2s"));
            Files.writeString(work.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - resilience-rules.yml
                    scrape_configs:
                      - job_name: checkout
                        metrics_path: /actuator/prometheus
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(port));
            Path log = Path.of("target", "prometheus", "prometheus.log");
            Files.createDirectories(log.getParent());
            prometheus = new ProcessBuilder(InstalledProgram.Prometheus.PROMETHEUS,
                    "--config.file=" + work.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + work.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> prometheus.isAlive() && status("/-/ready") == 200);
    }

    @AfterEach
    void healthyAgain() {
        standIn.names().forEach(name -> standIn.switchTo(name, StandInMode.HEALTHY));
        breakers.all().forEach(CircuitBreaker::reset);
    }

    @AfterAll
    static void prometheusStopped() throws InterruptedException, IOException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            prometheus = null;
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void anOutageFiresBreakerOpenAndTheReadmesQueriesAnswer() throws IOException {
        // given: Prometheus has the series before the outage (a rate needs a sample before the increase), a charge
        // to read back, and payments failing
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> !resultOf("resilience_attempts_seconds_count{breaker=\"payments\"}").isEmpty());
        CheckoutClient checkout = new CheckoutClient(port);
        Matcher charge = Pattern.compile("\"chargeId\":\"([^\"]+)\"").matcher(checkout.order("book-42").body());
        assertThat(charge.find()).isTrue();
        standIn.switchTo("payments", StandInMode.FAILING);

        // when
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            checkout.order("book-42");
            checkout.charge(charge.group(1));
            return breakers.breaker("payments").state() == BreakerState.OPEN;
        });

        // then: BreakerOpen fires for payments, and only for it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> firing("BreakerOpen").contains("payments"));
        assertThat(firing("BreakerOpen")).containsExactly("payments");

        // and: every PromQL expression of the README and docs, and every recorded series, parses and returns data
        List<String> documented = documentedQueries();
        assertThat(documented).as("PromQL of the README and docs/*.md").hasSizeGreaterThanOrEqualTo(2)
                .anySatisfy(query -> assertThat(query).contains("resilience_attempts_seconds_count{outcome=\"failure\"}"));
        List<String> queries = new ArrayList<>(documented);
        queries.add("job_breaker:resilience_attempts_failure:ratio_rate5m{breaker=\"payments\"} > 0");
        queries.add("job_breaker:resilience_retry_amplification:ratio_rate5m{breaker=\"payments\"} > 1");
        queries.add("job_breaker:resilience_operations:rate5m{breaker=\"payments\"} > 0");
        for (String query : queries) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(resultOf(query)).as("%s; rules: %s", query, rules()).isNotEmpty());
        }
        assertThat(resultOf("resilience_retry_budget_denied_total")).as("the budget's counter is scraped").isNotEmpty();
    }

    /** The rules file, with the {@code for} of {@code BreakerOpen} replaced: nothing else is touched. */
    @SuppressWarnings("unchecked")
    private static String rulesWithBreakerOpenFor(String duration) throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(RULES));
        int replaced = 0;
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if ("BreakerOpen".equals(rule.get("alert"))) {
                    rule.put("for", duration);
                    replaced++;
                }
            }
        }
        assertThat(replaced).as("BreakerOpen alerts in " + RULES).isEqualTo(1);
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(block).dump(rules);
    }

    /**
     * Every PromQL expression of the README and of docs/*.md: each {@code promql} block, split at its comment lines
     * (a block may hold several expressions, each under its comment).
     */
    private static List<String> documentedQueries() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> queries = new ArrayList<>();
        for (Path page : pages) {
            Matcher block = PROMQL.matcher(Files.readString(page));
            while (block.find()) {
                StringBuilder query = new StringBuilder();
                for (String line : (block.group(1) + "# end").split("\n")) {
                    if (line.strip().startsWith("#")) {
                        if (!query.toString().isBlank()) {
                            queries.add(query.toString().strip());
                        }
                        query.setLength(0);
                    } else {
                        query.append(line).append('\n');
                    }
                }
            }
        }
        return queries;
    }

    /** The {@code breaker} labels of the alerts of that name that are firing. */
    private static List<String> firing(String alert) {
        List<String> breakers = new ArrayList<>();
        for (JsonNode each : get("/api/v1/alerts").get("data").get("alerts")) {
            if (alert.equals(each.get("labels").get("alertname").asString())
                    && "firing".equals(each.get("state").asString())) {
                breakers.add(each.get("labels").get("breaker").asString());
            }
        }
        return breakers;
    }

    /** Each rule's name, health and last error, as Prometheus evaluates them. */
    private static List<String> rules() {
        List<String> rules = new ArrayList<>();
        for (JsonNode group : get("/api/v1/rules").get("data").get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                rules.add(rule.get("name").asString() + "=" + rule.get("health").asString()
                        + (rule.has("lastError") && !rule.get("lastError").asString().isEmpty()
                                ? " (" + rule.get("lastError").asString() + ")" : ""));
            }
        }
        return rules;
    }

    private static List<JsonNode> resultOf(String query) {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        assertThat(answer.get("status").asString()).as("status of " + query + ": " + answer).isEqualTo("success");
        List<JsonNode> samples = new ArrayList<>();
        answer.get("data").get("result").forEach(samples::add);
        return samples;
    }

    private static JsonNode get(String path) {
        HttpResponse<String> answer = send(path);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("Prometheus answered " + answer.statusCode() + " to " + path + ": "
                    + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    private static int status(String path) {
        try {
            return send(path).statusCode();
        } catch (UncheckedIOException notYetListening) {
            return -1;
        }
    }

    private static HttpResponse<String> send(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
