package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerConfigTests {

    @Test
    void theDefaultsAreTheContracts() {
        BreakerConfig config = BreakerConfig.defaults();

        assertThat(config.windowType()).isEqualTo(BreakerConfig.WindowType.COUNT);
        assertThat(config.windowSize()).isEqualTo(100);
        assertThat(config.windowDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.minimumCalls()).isEqualTo(20);
        assertThat(config.failureRateThreshold()).isEqualTo(50);
        assertThat(config.slowCallDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.slowCallRateThreshold()).isEqualTo(100);
        assertThat(config.openDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.halfOpenProbes()).isEqualTo(5);
        assertThat(config.recordExceptions()).isEmpty();
        assertThat(config.ignoreExceptions()).isEmpty();
        assertThat(config.outOfServiceWhenOpen()).isFalse();
    }

    @Test
    void outOfRangeValuesNameTheSettingTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> BreakerConfig.builder().failureRateThreshold(150).build())
                .isInstanceOfSatisfying(InvalidSettingException.class, ex -> {
                    assertThat(ex.setting()).isEqualTo("failure-rate-threshold");
                    assertThat(ex.value()).isEqualTo(150.0);
                    assertThat(ex).hasMessage(
                            "'failure-rate-threshold' must be a percentage between 1 and 100, but was 150.0");
                });
        assertThatThrownBy(() -> BreakerConfig.builder().halfOpenProbes(0).build())
                .hasMessage("'half-open-probes' must be between 1 and 10000, but was 0");
        assertThatThrownBy(() -> BreakerConfig.builder().openDuration(Duration.ZERO).build())
                .hasMessage("'open-duration' must be more than 0 and at most 365d, but was 0ms");
        assertThatThrownBy(() -> BreakerConfig.builder().windowSize(10).minimumCalls(20).build())
                .hasMessage("'minimum-calls' must be at most window-size (10) for a count window, or the breaker"
                        + " could never decide, but was 20");
    }

    @Test
    void aTimeWindowMayNeedMoreCallsThanACountWindowHolds() {
        BreakerConfig config = BreakerConfig.builder().windowType(BreakerConfig.WindowType.TIME).windowSize(10)
                .minimumCalls(20).build();

        assertThat(config.minimumCalls()).isEqualTo(20);
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config)
                .hasToString(config.toString());
        assertThat(config.toBuilder().minimumCalls(21).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().ignoreExceptions(java.util.List.of(IllegalStateException.class)).build())
                .isNotEqualTo(config);
    }
}
