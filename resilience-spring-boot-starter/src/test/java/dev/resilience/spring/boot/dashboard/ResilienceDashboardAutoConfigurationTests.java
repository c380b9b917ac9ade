package dev.resilience.spring.boot.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** Where the page is served and with what: off by default, one route per web stack, the base path written in. */
class ResilienceDashboardAutoConfigurationTests {

    private static final String ROUTE = DashboardManagementContextConfiguration.ROUTE;

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceDashboardAutoConfiguration.class))
            .withConfiguration(UserConfigurations.of(DashboardManagementContextConfiguration.class));

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceDashboardAutoConfiguration.class))
            .withConfiguration(UserConfigurations.of(DashboardManagementContextConfiguration.class));

    @Test
    void thePageIsNotServedUnlessEnabled() {
        servlet.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTE)
                .hasSingleBean(DashboardProperties.class));
        servlet.withPropertyValues("resilience.dashboard.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTE));
        reactive.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ROUTE));
    }

    @Test
    void aServletApplicationServesOneHtmlPageWithTheDefaultBasePath() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true").run(context -> {
            // given
            MockMvc mvc = MockMvcBuilders.routerFunctions(
                    context.getBean(ROUTE, org.springframework.web.servlet.function.RouterFunction.class)).build();

            // when
            MvcResult page = mvc.perform(MockMvcRequestBuilders.get("/resilience/dashboard")).andReturn();
            MvcResult elsewhere = mvc.perform(MockMvcRequestBuilders.get("/resilience/dashboard/x")).andReturn();

            // then
            assertThat(page.getResponse().getStatus()).isEqualTo(200);
            assertThat(page.getResponse().getContentType()).isEqualTo("text/html;charset=UTF-8");
            assertThat(page.getResponse().getHeader("Cache-Control")).isEqualTo("no-store");
            assertThat(page.getResponse().getHeader("Content-Security-Policy")).contains("default-src 'none'")
                    .contains("connect-src 'self'");
            assertThat(page.getResponse().getContentAsString())
                    .startsWith("<!DOCTYPE html>")
                    .contains("var BASE_PATH = \"/actuator\";")
                    .doesNotContain("{{actuatorBasePath}}");
            assertThat(elsewhere.getResponse().getStatus()).isEqualTo(404);
        });
    }

    @Test
    void aReactiveApplicationServesTheSamePage() {
        reactive.withPropertyValues("resilience.dashboard.enabled=true").run(context -> {
            // given
            WebTestClient client = WebTestClient.bindToRouterFunction(
                    context.getBean(ROUTE, org.springframework.web.reactive.function.server.RouterFunction.class))
                    .build();

            // when
            WebTestClient.ResponseSpec page = client.get().uri("/resilience/dashboard").exchange();

            // then
            page.expectStatus().isOk()
                    .expectHeader().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                    .expectHeader().valueEquals("Cache-Control", "no-store")
                    .expectHeader().exists("Content-Security-Policy");
            String html = Objects.requireNonNull(page.expectBody(String.class).returnResult().getResponseBody());
            assertThat(html).contains("var BASE_PATH = \"/actuator\";");
            assertThat(context).doesNotHaveBean(org.springframework.web.servlet.function.RouterFunction.class);
        });
    }

    @Test
    void thePageReadsTheActuatorsBasePath() {
        WebEndpointProperties endpoints = new WebEndpointProperties();
        endpoints.setBasePath("/manage/");
        servlet.withPropertyValues("resilience.dashboard.enabled=true")
                .withBean(WebEndpointProperties.class, () -> endpoints)
                .run(context -> {
                    MockMvc mvc = MockMvcBuilders.routerFunctions(context.getBean(ROUTE,
                            org.springframework.web.servlet.function.RouterFunction.class)).build();
                    assertThat(mvc.perform(MockMvcRequestBuilders.get("/resilience/dashboard")).andReturn()
                            .getResponse().getContentAsString()).contains("var BASE_PATH = \"/manage\";");
                });
    }

    @Test
    void aRouteOfTheSameNameReplacesThePages() {
        org.springframework.web.servlet.function.RouterFunction<?> own =
                org.springframework.web.servlet.function.RouterFunctions.route()
                        .GET("/elsewhere", request -> org.springframework.web.servlet.function.ServerResponse.ok().build())
                        .build();
        servlet.withPropertyValues("resilience.dashboard.enabled=true")
                .withBean(ROUTE, org.springframework.web.servlet.function.RouterFunction.class, () -> own)
                .run(context -> assertThat(context.getBean(ROUTE)).isSameAs(own));
    }

    @Test
    void theDashboardsKeyPassesTheCheckForUnknownResilienceKeys() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                        ResilienceDashboardAutoConfiguration.class))
                .withPropertyValues("resilience.dashboard.enabled=true",
                        "resilience.breaker.defaults.minimum-calls=5")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DashboardProperties.class).isEnabled()).isTrue();
                });
    }

    @Test
    void withoutTheDashboardsKeysTheStartersCheckWouldRefuseTheKey() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
                .withUserConfiguration(DashboardPropertiesOnly.class)
                .withPropertyValues("resilience.dashboard.enabled=true")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(UnboundConfigurationPropertiesException.class)
                        .rootCause().hasMessageContaining("resilience.dashboard.enabled"));
    }

    @Test
    void aMisspelledDashboardKeyStillFailsStartupNamingTheRightOne() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                        ResilienceDashboardAutoConfiguration.class))
                .withPropertyValues("resilience.dashboard.enabeld=true")
                .run(context -> {
                    // when
                    FailureAnalysis analysis = analysisOf(context.getStartupFailure());

                    // then
                    assertThat(analysis.getDescription())
                            .contains("resilience.dashboard.enabeld = true is not a property of the resilience starter");
                    assertThat(analysis.getAction()).contains("Did you mean resilience.dashboard.enabled?");
                });
    }

    @Test
    void anUnknownKeyBesideTheDashboardsIsStillReportedAlone() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                        ResilienceDashboardAutoConfiguration.class))
                .withPropertyValues("resilience.dashboard.enabled=true", "resilience.breaker.defaults.window-sise=5")
                .run(context -> {
                    FailureAnalysis analysis = analysisOf(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("resilience.breaker.defaults.window-sise")
                            .doesNotContain("resilience.dashboard.enabled");
                });
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.context.properties.EnableConfigurationProperties(DashboardProperties.class)
    static class DashboardPropertiesOnly {
    }

    private static FailureAnalysis analysisOf(Throwable failure) {
        assertThat(failure).isNotNull();
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(
                ResilienceDashboardAutoConfigurationTests.class.getClassLoader()).load(FailureAnalyzer.class,
                SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> { }));
        return analyzers.stream().map(analyzer -> analyzer.analyze(failure)).filter(Objects::nonNull).findFirst()
                .orElseThrow(() -> new AssertionError("no failure analyzer reports " + failure, failure));
    }
}
