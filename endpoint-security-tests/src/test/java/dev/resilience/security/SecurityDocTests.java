package dev.resilience.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/security.md shows the chain these tests run, not another one. */
class SecurityDocTests {

    @Test
    void theDocsChainIsTheOneTheTestsRun() throws IOException {
        String doc = Files.readString(Path.of("../docs/security.md"));
        String block = doc.substring(doc.indexOf("```java") + "```java".length());
        block = block.substring(0, block.indexOf("```"));
        String source = Files.readString(Path.of("src/test/java/dev/resilience/security/DocumentedChain.java"));

        assertThat(squeeze(source)).contains(squeeze(block));
        assertThat(doc).contains("org.springframework.boot.security.autoconfigure.actuate.web.servlet");
        assertThat(source).contains("import org.springframework.boot.security.autoconfigure.actuate.web.servlet"
                + ".EndpointRequest;");
    }

    private static String squeeze(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
