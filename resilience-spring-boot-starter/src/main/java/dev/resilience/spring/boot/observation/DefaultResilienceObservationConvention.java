package dev.resilience.spring.boot.observation;

import dev.resilience.spring.boot.observation.ResilienceObservationDocumentation.HighCardinalityKeys;
import dev.resilience.spring.boot.observation.ResilienceObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The observation of a guarded call as the starter names it: {@code resilience.guarded.call}, with the method's tag
 * as contextual name (the span's name, {@code PaymentClient.charge}), the low-cardinality keys {@code method},
 * {@code breaker} and, once the call has ended, {@code outcome}, and the high-cardinality key {@code attempts}. See
 * {@link ResilienceObservationDocumentation}.
 *
 * <p>Not final, as Micrometer's conventions go: extend it to change one key and keep the others.
 */
public class DefaultResilienceObservationConvention implements ResilienceObservationConvention {

    private static final KeyValue SUCCESS = LowCardinalityKeys.OUTCOME.withValue("success");
    private static final KeyValue FAILURE = LowCardinalityKeys.OUTCOME.withValue("failure");
    private static final KeyValue REJECTED = LowCardinalityKeys.OUTCOME.withValue("rejected");
    private static final KeyValue CANCELLED = LowCardinalityKeys.OUTCOME.withValue("cancelled");
    private static final KeyValue[] ATTEMPTS = new KeyValue[17];

    static {
        for (int attempts = 1; attempts < ATTEMPTS.length; attempts++) {
            ATTEMPTS[attempts] = HighCardinalityKeys.ATTEMPTS.withValue(Integer.toString(attempts));
        }
    }

    @Override
    public String getName() {
        return ResilienceObservationDocumentation.GUARDED_CALL.getName();
    }

    @Override
    public String getContextualName(OperationContext context) {
        return context.method();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(OperationContext context) {
        String outcome = context.outcome();
        return outcome == null ? KeyValues.of(method(context), breaker(context))
                : KeyValues.of(method(context), breaker(context), outcome(outcome));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(OperationContext context) {
        int attempts = context.attempts();
        return attempts > 0 ? KeyValues.of(attempts(attempts)) : KeyValues.empty();
    }

    /** @return the {@code method} key value: {@code PaymentClient.charge} */
    protected KeyValue method(OperationContext context) {
        return context.methodKey();
    }

    /** @return the {@code breaker} key value, {@code none} without a breaker */
    protected KeyValue breaker(OperationContext context) {
        return context.breakerKey();
    }

    /** @return the {@code outcome} key value of an ended call */
    protected KeyValue outcome(String outcome) {
        return switch (outcome) {
            case "success" -> SUCCESS;
            case "failure" -> FAILURE;
            case "rejected" -> REJECTED;
            case "cancelled" -> CANCELLED;
            default -> LowCardinalityKeys.OUTCOME.withValue(outcome);
        };
    }

    /** @return the {@code attempts} key value */
    protected KeyValue attempts(int attempts) {
        return attempts < ATTEMPTS.length ? ATTEMPTS[attempts]
                : HighCardinalityKeys.ATTEMPTS.withValue(Integer.toString(attempts));
    }
}
