package dev.resilience.sample.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DownstreamFailuresTests {

    @Test
    void retryAfterIsInWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofMillis(999))).isEqualTo(1);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofMillis(7500))).isEqualTo(8);
        assertThat(DownstreamFailures.retryAfterSeconds(Duration.ofSeconds(30))).isEqualTo(30);
    }
}
