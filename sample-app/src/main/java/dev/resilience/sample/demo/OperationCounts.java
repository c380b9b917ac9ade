package dev.resilience.sample.demo;

/**
 * Counts of one dependency since startup, or their difference over a second.
 *
 * @param ok operations that succeeded
 * @param failed operations that failed after their attempts
 * @param rejected operations rejected by the breaker
 * @param realCalls requests that reached the dependency
 * @param fallbacks answers served without the dependency (the last known price), 0 where there is no fallback
 * @param denied retries that the dependency's retry budget refused
 * @param pushbacks retries that waited as long as the server's {@code Retry-After} asked
 */
record OperationCounts(long ok, long failed, long rejected, long realCalls, long fallbacks, long denied,
        long pushbacks) {

    OperationCounts(long ok, long failed, long rejected, long realCalls, long fallbacks) {
        this(ok, failed, rejected, realCalls, fallbacks, 0, 0);
    }

    OperationCounts minus(OperationCounts earlier) {
        return new OperationCounts(ok - earlier.ok, failed - earlier.failed, rejected - earlier.rejected,
                realCalls - earlier.realCalls, fallbacks - earlier.fallbacks, denied - earlier.denied,
                pushbacks - earlier.pushbacks);
    }

    /** @return real calls per operation, 0 without operations */
    double callsPerOperation() {
        long operations = ok + failed + rejected;
        return operations == 0 ? 0 : (double) realCalls / operations;
    }
}
