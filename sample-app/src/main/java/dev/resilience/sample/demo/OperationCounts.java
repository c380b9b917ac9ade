package dev.resilience.sample.demo;

/**
 * Counts of one dependency since startup, or their difference over a second.
 *
 * @param ok operations that succeeded
 * @param failed operations that failed after their attempts
 * @param rejected operations rejected by the breaker
 * @param realCalls requests that reached the dependency
 * @param fallbacks answers served without the dependency (the last known price), 0 where there is no fallback
 */
record OperationCounts(long ok, long failed, long rejected, long realCalls, long fallbacks) {

    OperationCounts minus(OperationCounts earlier) {
        return new OperationCounts(ok - earlier.ok, failed - earlier.failed, rejected - earlier.rejected,
                realCalls - earlier.realCalls, fallbacks - earlier.fallbacks);
    }
}
