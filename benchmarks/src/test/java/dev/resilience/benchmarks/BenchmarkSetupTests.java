package dev.resilience.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerOpenException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.junit.jupiter.api.Test;

/**
 * Each benchmark, called once outside JMH: it returns what it claims to measure, and its setup and tear-down
 * checks pass, so that a change in a library that would make a row measure something else fails the build.
 */
class BenchmarkSetupTests {

    @Test
    void everyCoreRowReturnsTheBodysValueAndLeavesItsBreakersClosed() throws Exception {
        // given
        CoreSuccess core = new CoreSuccessOneThread();
        core.setUp();

        // when
        Object[] values = {core.baseline(), core.ourBreakerPermit(), core.ourBreaker(), core.ourRetry(),
            core.ourRetryAndBreaker(), core.ourRetryBreakerAndBudget(), core.r4jBreaker(), core.r4jRetry(),
            core.r4jRetryAndBreaker(),
            core.failsafeRetryAndBreaker(), core.springRetryTemplate()};

        // then
        assertThat(values).containsOnly(42);
        core.checkStillClosed();
    }

    @Test
    void rejectionRowsAreRejectedAtOnceAndOursCarriesNoStackTrace() throws Exception {
        // given
        FailurePaths paths = new FailurePaths();
        paths.setUp();

        // when
        Object ours = paths.ourRejection();
        Object oursThroughRetry = paths.ourRejectionThroughRetry();
        Object theirs = paths.r4jRejection();
        Object theirsQuiet = paths.r4jRejectionWithoutStackTrace();
        Object theirsThroughRetry = paths.r4jRejectionThroughRetry();

        // then
        assertThat(ours).isInstanceOf(BreakerOpenException.class);
        assertThat(((Throwable) ours).getStackTrace()).isEmpty();
        assertThat(oursThroughRetry).isInstanceOf(BreakerOpenException.class);
        assertThat(theirs).isInstanceOf(CallNotPermittedException.class);
        assertThat(((Throwable) theirs).getStackTrace()).isNotEmpty();
        assertThat(((Throwable) theirsQuiet).getStackTrace()).isEmpty();
        assertThat(theirsThroughRetry).isInstanceOf(CallNotPermittedException.class);
        assertThat(paths.failsafeRejection()).isInstanceOf(dev.failsafe.CircuitBreakerOpenException.class);
    }

    @Test
    void recordedFailureRowsKeepTheirBreakersClosedOverManyWindows() throws Exception {
        // given
        FailurePaths paths = new FailurePaths();
        paths.setUp();

        // when: ten windows' worth of failure + success pairs
        for (int i = 0; i < 10 * Contenders.WINDOW; i++) {
            assertThat(paths.ourRecordedFailure()).isEqualTo(42);
            assertThat(paths.r4jRecordedFailure()).isEqualTo(42);
        }

        // then
        paths.checkRecordingBreakersStayedClosed();
    }

    @Test
    void proxiedRowsRunThroughTheirLibrariesProxies() {
        // given
        Proxied proxied = new Proxied();
        Proxied.Unproxied unproxied = new Proxied.Unproxied();
        Proxied.Ours ours = new Proxied.Ours();
        Proxied.R4j r4j = new Proxied.R4j();
        Proxied.SpringRetry spring = new Proxied.SpringRetry();
        Proxied.OursWithMetrics oursWithMetrics = new Proxied.OursWithMetrics();
        Proxied.PassThrough passThrough = new Proxied.PassThrough();
        Proxied.R4jWithMetrics r4jWithMetrics = new Proxied.R4jWithMetrics();

        // when: each setup checks that its bean is a proxy whose advice runs
        unproxied.start();
        ours.start();
        r4j.start();
        spring.start();
        oursWithMetrics.start();
        r4jWithMetrics.start();
        passThrough.start();
        try {
            // then
            assertThat(proxied.unproxied(unproxied)).isEqualTo(42);
            assertThat(proxied.ourAnnotations(ours)).isEqualTo(42);
            assertThat(proxied.r4jAnnotations(r4j)).isEqualTo(42);
            assertThat(proxied.springRetryable(spring)).isEqualTo(42);
            assertThat(proxied.ourAnnotationsWithMetrics(oursWithMetrics)).isEqualTo(42);
            assertThat(proxied.r4jAnnotationsWithMetrics(r4jWithMetrics)).isEqualTo(42);
            assertThat(proxied.passThroughProxy(passThrough)).isEqualTo(42);
        } finally {
            passThrough.stop();
            oursWithMetrics.stop();
            r4jWithMetrics.stop();
            ours.stop();
            r4j.stop();
            spring.stop();
        }
    }

    @Test
    void fallbackRowsAreRejectedAndAnsweredByTheirFallbacks() {
        // given
        FallbackOnRejection rows = new FallbackOnRejection();
        FallbackOnRejection.Ours ours = new FallbackOnRejection.Ours();
        FallbackOnRejection.R4j r4j = new FallbackOnRejection.R4j();

        // when: the setups check the rejection and the fallback
        ours.start();
        r4j.start();
        try {
            // then
            assertThat(rows.ourFallback(ours)).isEqualTo(FallbackOnRejection.FALLBACK);
            assertThat(rows.r4jFallbackMethod(r4j))
                    .isEqualTo(FallbackOnRejection.FALLBACK);
        } finally {
            ours.stop();
            r4j.stop();
        }
    }
}
