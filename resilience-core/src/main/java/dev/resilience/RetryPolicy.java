package dev.resilience;

import dev.resilience.annotation.Retry;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The retry policy of one operation: how many attempts, which failures are retried, and how long to wait.
 * Immutable and thread-safe.
 *
 * <p>A failure is retried when all of these hold: it is not a {@link BreakerOpenException}; neither it nor a
 * cause is listed in {@code abortOn}; it or a cause is listed in {@code retryOn} (empty: it is an
 * {@link Exception}); and the operation is idempotent, or the failure proves that the request never reached the
 * dependency (a <em>never-sent</em> failure: a cause chain holding {@link ConnectException},
 * {@link UnknownHostException}, {@link NoRouteToHostException}, {@code java.net.http.HttpConnectTimeoutException},
 * or a type given as never-sent).
 *
 * <p>The nominal wait before retry {@code k} is {@code delay * multiplier^(k-1)}, capped by {@code maxDelay}; the
 * actual wait is the nominal one shortened by a random fraction of at most {@code jitter}, so it lies between
 * {@code nominal * (1 - jitter)} and {@code nominal}. No retry starts whose wait would end past {@code maxDuration}.
 */
public final class RetryPolicy {

    // The standard waits live here, not in RetryDefaults: RetryDefaults validates through this class, so reading
    // its constants from this class's initialiser would see them null when RetryDefaults is initialised first.
    static final Duration STANDARD_DELAY = Duration.ofMillis(100);
    static final Duration STANDARD_MAX_DELAY = Duration.ofSeconds(5);
    static final double STANDARD_MULTIPLIER = 2.0;
    static final double STANDARD_JITTER = 0.5;

    private static final List<Class<? extends Throwable>> BUILT_IN_NEVER_SENT = builtInNeverSent();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final boolean idempotent;
    private final List<Class<? extends Throwable>> retryOn;
    private final List<Class<? extends Throwable>> abortOn;
    private final List<Class<? extends Throwable>> neverSent;
    private final Duration delay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final Duration maxDuration;
    private final long delayNanos;
    private final long maxDelayNanos;
    private final long maxDurationNanos;

    private RetryPolicy(Builder b) {
        if (b.maxAttempts < 1) {
            throw new InvalidSettingException("maxAttempts", b.maxAttempts, "at least 1");
        }
        checkWaits(b.delay, b.maxDelay, "delay", "maxDelay");
        checkMultiplier(b.multiplier, "multiplier");
        checkJitter(b.jitter, "jitter");
        if (b.maxDuration != null && (b.maxDuration.isNegative() || b.maxDuration.isZero())) {
            throw new InvalidSettingException("maxDuration", Durations.format(b.maxDuration), "more than 0, or none");
        }
        maxAttempts = b.maxAttempts;
        idempotent = b.idempotent;
        retryOn = List.copyOf(b.retryOn);
        abortOn = List.copyOf(b.abortOn);
        List<Class<? extends Throwable>> allNeverSent = new ArrayList<>(BUILT_IN_NEVER_SENT);
        allNeverSent.addAll(b.neverSent);
        neverSent = List.copyOf(allNeverSent);
        delay = b.delay;
        maxDelay = b.maxDelay;
        multiplier = b.multiplier;
        jitter = b.jitter;
        maxDuration = b.maxDuration;
        delayNanos = nanos(delay);
        maxDelayNanos = nanos(maxDelay);
        maxDurationNanos = maxDuration == null ? Long.MAX_VALUE : nanos(maxDuration);
    }

    static void checkWaits(Duration delay, Duration maxDelay, String delayKey, String maxDelayKey) {
        Objects.requireNonNull(delay, delayKey);
        Objects.requireNonNull(maxDelay, maxDelayKey);
        if (delay.isNegative()) {
            throw new InvalidSettingException(delayKey, Durations.format(delay), "zero or more");
        }
        if (maxDelay.compareTo(delay) < 0) {
            throw new InvalidSettingException(maxDelayKey, Durations.format(maxDelay),
                    "at least " + delayKey + " (" + Durations.format(delay) + ")");
        }
    }

    static void checkMultiplier(double multiplier, String key) {
        if (!(multiplier >= 1.0 && multiplier <= 100.0)) {
            throw new InvalidSettingException(key, multiplier, "between 1.0 and 100.0");
        }
    }

    static void checkJitter(double jitter, String key) {
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new InvalidSettingException(key, jitter, "between 0.0 and 1.0");
        }
    }

    /**
     * A policy of one attempt: nothing is retried.
     *
     * @return the policy
     */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * A builder starting from 3 attempts, not idempotent, and the {@linkplain RetryDefaults#standard() standard}
     * waits.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The policy that a {@link Retry} annotation describes, with the defaults filling what it leaves empty.
     *
     * @param retry the annotation
     * @param defaults waits, multiplier, jitter and never-sent exceptions from configuration
     * @return the policy
     * @throws InvalidSettingException naming the attribute (such as {@code maxAttempts} or {@code delay}) whose
     *     value is not allowed or is not a duration
     */
    public static RetryPolicy from(Retry retry, RetryDefaults defaults) {
        return from(retry, defaults, UnaryOperator.identity());
    }

    /**
     * The policy that a {@link Retry} annotation describes, its {@code String} attributes first passed through a
     * resolver (of {@code ${...}} placeholders, say), with the defaults filling what it leaves empty.
     *
     * @param retry the annotation
     * @param defaults waits, multiplier, jitter and never-sent exceptions from configuration
     * @param resolver turns each {@code String} attribute into the text to read; it may throw to refuse one
     * @return the policy
     * @throws InvalidSettingException naming the attribute whose value is not allowed or is not a duration
     */
    public static RetryPolicy from(Retry retry, RetryDefaults defaults, UnaryOperator<String> resolver) {
        return builder()
                .maxAttempts(retry.maxAttempts())
                .idempotent(retry.idempotent())
                .retryOn(List.of(retry.retryOn()))
                .abortOn(List.of(retry.abortOn()))
                .delay(durationOr(resolver.apply(retry.delay()), "delay", defaults.delay()))
                .maxDelay(durationOr(resolver.apply(retry.maxDelay()), "maxDelay", defaults.maxDelay()))
                .maxDuration(durationOr(resolver.apply(retry.maxDuration()), "maxDuration", null))
                .multiplier(defaults.multiplier())
                .jitter(defaults.jitter())
                .neverSent(defaults.neverSentExceptions())
                .build();
    }

    private static Duration durationOr(String text, String attribute, Duration fallback) {
        if (text.isBlank()) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException ex) {
            throw new InvalidSettingException(attribute, "\"" + text + "\"",
                    "a duration such as \"200ms\", \"2s\" or \"PT0.5S\" (units ns, us, ms, s, m, h, d)");
        }
    }

    /**
     * Whether a failure may be retried, attempts and time aside.
     *
     * @param failure what the attempt threw
     * @return true when the failure is retryable under this policy
     */
    public boolean retries(Throwable failure) {
        if (failure instanceof BreakerOpenException || Causes.anyMatch(failure, abortOn)) {
            return false;
        }
        boolean listed = retryOn.isEmpty() ? failure instanceof Exception : Causes.anyMatch(failure, retryOn);
        return listed && (idempotent || neverSent(failure));
    }

    /**
     * Whether the failure proves that the request never reached the dependency.
     *
     * @param failure what the attempt threw
     * @return true when its cause chain holds a never-sent exception
     */
    public boolean neverSent(Throwable failure) {
        return Causes.anyMatch(failure, neverSent);
    }

    /**
     * The wait before retry {@code retry}, that is before attempt {@code retry + 1}.
     *
     * @param retry the retry's number, from 1
     * @param random a uniform random number in [0, 1)
     * @return the wait in nanoseconds
     */
    public long waitNanos(int retry, double random) {
        double nominal = Math.min(delayNanos * Math.pow(multiplier, retry - 1), maxDelayNanos);
        return (long) (nominal * (1.0 - jitter * random));
    }

    /** @return attempts in all, the first included */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return whether every retryable failure may be retried, not only never-sent ones */
    public boolean idempotent() {
        return idempotent;
    }

    /** @return retried failure types; empty means every {@link Exception} */
    public List<Class<? extends Throwable>> retryOn() {
        return retryOn;
    }

    /** @return failure types that are never retried */
    public List<Class<? extends Throwable>> abortOn() {
        return abortOn;
    }

    /** @return every never-sent failure type, the built-in ones first */
    public List<Class<? extends Throwable>> neverSentExceptions() {
        return neverSent;
    }

    /** @return wait before the first retry */
    public Duration delay() {
        return delay;
    }

    /** @return cap of any single wait */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** @return growth of the wait between retries */
    public double multiplier() {
        return multiplier;
    }

    /** @return fraction of each wait that is random */
    public double jitter() {
        return jitter;
    }

    /** @return the operation's time budget, or {@code null} for none */
    public Duration maxDuration() {
        return maxDuration;
    }

    long maxDurationNanos() {
        return maxDurationNanos;
    }

    long maxDelayNanos() {
        return maxDelayNanos;
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", idempotent=" + idempotent + ", retryOn=" + retryOn
                + ", abortOn=" + abortOn + ", delay=" + Durations.format(delay) + ", maxDelay="
                + Durations.format(maxDelay) + ", multiplier=" + multiplier + ", jitter=" + jitter + ", maxDuration="
                + (maxDuration == null ? "none" : Durations.format(maxDuration)) + "]";
    }

    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static List<Class<? extends Throwable>> builtInNeverSent() {
        List<Class<? extends Throwable>> types = new ArrayList<>(
                List.of(ConnectException.class, UnknownHostException.class, NoRouteToHostException.class));
        try {
            // java.net.http is a module of its own: a trimmed runtime may lack it.
            types.add(Class.forName("java.net.http.HttpConnectTimeoutException").asSubclass(Throwable.class));
        } catch (ClassNotFoundException | LinkageError absent) {
            // no JDK HTTP client, so none of its failures to recognise
        }
        return List.copyOf(types);
    }

    /** Builds a {@link RetryPolicy}; not thread-safe. */
    public static final class Builder {

        private int maxAttempts = 3;
        private boolean idempotent;
        private List<Class<? extends Throwable>> retryOn = List.of();
        private List<Class<? extends Throwable>> abortOn = List.of();
        private List<Class<? extends Throwable>> neverSent = List.of();
        private Duration delay = STANDARD_DELAY;
        private Duration maxDelay = STANDARD_MAX_DELAY;
        private double multiplier = STANDARD_MULTIPLIER;
        private double jitter = STANDARD_JITTER;
        private Duration maxDuration;

        private Builder() {
        }

        /** @param value attempts in all, at least 1 @return this builder */
        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        /** @param value whether the operation may run more than once @return this builder */
        public Builder idempotent(boolean value) {
            idempotent = value;
            return this;
        }

        /** @param value retried failure types; empty means every Exception @return this builder */
        public Builder retryOn(List<Class<? extends Throwable>> value) {
            retryOn = List.copyOf(value);
            return this;
        }

        /** @param value failure types never retried @return this builder */
        public Builder abortOn(List<Class<? extends Throwable>> value) {
            abortOn = List.copyOf(value);
            return this;
        }

        /** @param value never-sent failure types besides the built-in ones @return this builder */
        public Builder neverSent(List<Class<? extends Throwable>> value) {
            neverSent = List.copyOf(value);
            return this;
        }

        /** @param value wait before the first retry, zero or more @return this builder */
        public Builder delay(Duration value) {
            delay = value;
            return this;
        }

        /** @param value cap of any single wait, at least the delay @return this builder */
        public Builder maxDelay(Duration value) {
            maxDelay = value;
            return this;
        }

        /** @param value growth of the wait, 1 to 100 @return this builder */
        public Builder multiplier(double value) {
            multiplier = value;
            return this;
        }

        /** @param value random fraction of each wait, 0 to 1 @return this builder */
        public Builder jitter(double value) {
            jitter = value;
            return this;
        }

        /** @param value time budget of the operation, positive, or {@code null} for none @return this builder */
        public Builder maxDuration(Duration value) {
            maxDuration = value;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws InvalidSettingException naming the first value that is not allowed
         */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
