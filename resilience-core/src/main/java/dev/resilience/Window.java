package dev.resilience;

/** Where a closed breaker keeps the outcomes of recent calls. Implementations are lock-free and thread-safe. */
interface Window {

    /**
     * Adds one call.
     *
     * @param bits {@link Tally#FAILED} and {@link Tally#SLOW} flags
     * @return the window's tally right after this call was added
     */
    long record(int bits);

    /**
     * The window's tally, for decisions: rates are exact, and a time window holding more calls
     * than a tally field fits (about a million) is scaled down to fit.
     */
    long tally();

    /** The window's exact counts, for reports. */
    Counts counts();

    /** Calls, failed calls and slow calls in a window. */
    record Counts(long calls, long failures, long slows) {

        static Counts of(long tally) {
            return new Counts(Tally.calls(tally), Tally.failures(tally), Tally.slows(tally));
        }
    }
}
