package dev.resilience.spring.boot.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardPageTests {

    @Test
    void theBasePathIsWrittenWithOneLeadingSlashAndNoTrailingOne() {
        assertThat(DashboardPage.normalized("/actuator")).isEqualTo("/actuator");
        assertThat(DashboardPage.normalized("/actuator/")).isEqualTo("/actuator");
        assertThat(DashboardPage.normalized("manage")).isEqualTo("/manage");
        assertThat(DashboardPage.normalized("/")).isEmpty();
        assertThat(DashboardPage.normalized("")).isEmpty();
    }

    @Test
    void aBasePathCannotCloseTheScriptThatReceivesIt() {
        // when
        String html = DashboardPage.forBasePath("/a\"</script><script>alert(1)").html();

        // then
        assertThat(html).contains("var BASE_PATH = \"/a\\u0022\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\";")
                .doesNotContain("</script><script>");
    }

    @Test
    void thePageFetchesNothingButTheActuatorsJson() {
        // when
        String html = DashboardPage.forBasePath("/actuator").html();

        // then: no external script, style, font or image; the two endpoints it reads
        assertThat(html).doesNotContainPattern("(?i)<script[^>]+src=|<link[^>]+href=|@import|url\\(|https?://");
        assertThat(html).contains("\"/breakers\"").contains("\"/metrics/\" + name").contains("data-state=")
                .contains("management.endpoints.web.exposure.include");
    }
}
