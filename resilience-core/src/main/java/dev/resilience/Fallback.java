package dev.resilience;

/**
 * What an operation answers instead when it fails: a guard's outermost layer, run once per operation, outside the
 * retry and the breaker, after the retry has made every attempt it would make and the breaker has recorded each of
 * them. Which failures get it is the guard's {@link FallbackRule}.
 *
 * @param <T> what the operation returns
 */
@FunctionalInterface
public interface Fallback<T> {

    /**
     * Answers instead of the failed operation.
     *
     * @param failure the throwable that the rule admitted: the first of the failure's cause chain, the failure itself
     *     first, that the rule's {@code applyOn} lists (the failure itself when it lists none)
     * @return what the caller gets
     * @throws Exception what the caller gets thrown instead, the operation's failure suppressed in it
     */
    T apply(Throwable failure) throws Exception;
}
