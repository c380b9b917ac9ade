package dev.resilience;

import java.util.List;

/**
 * Failures that tell nothing about the dependency, so that the breaker counts them as neither success nor failure
 * and the retry never retries them, whatever {@code retryOn} says: a {@link java.lang.Error} (the JVM's or the
 * caller's own bug, such as a {@code StackOverflowError}), an interrupt (an {@link InterruptedException} anywhere in
 * the cause chain: someone wants the thread to stop), and a {@link BreakerOpenException} anywhere in the cause chain
 * (an inner breaker rejected the call, so this dependency was not reached). A guard can add the caller's own
 * refusals, such as a method validation's.
 */
final class Uncounted {

    static final List<Class<? extends Throwable>> INTERRUPTS = List.of(InterruptedException.class);
    private static final List<Class<? extends Throwable>> REJECTIONS = List.of(BreakerOpenException.class);

    private Uncounted() {
    }

    static boolean matches(Throwable failure, List<Class<? extends Throwable>> refusals) {
        return failure instanceof Error || Causes.anyMatch(failure, INTERRUPTS) || innerRejection(failure)
                || Causes.anyMatch(failure, refusals);
    }

    /** Whether a breaker's rejection is in the failure's cause chain. */
    static boolean innerRejection(Throwable failure) {
        return Causes.anyMatch(failure, REJECTIONS);
    }
}
