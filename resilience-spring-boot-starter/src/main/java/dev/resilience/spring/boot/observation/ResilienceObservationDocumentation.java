package dev.resilience.spring.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation the starter makes of each call of a guarded method: its name, its keys and its events, as
 * {@link DefaultResilienceObservationConvention} writes them. A {@link ResilienceObservationConvention} bean may
 * name and tag it otherwise.
 */
public enum ResilienceObservationDocumentation implements ObservationDocumentation {

    /**
     * One call of a guarded method as its caller sees it: opened just outside the retry and the breaker, it holds
     * every attempt (an HTTP client's observation of each attempt is its child). A method returning a
     * {@code CompletionStage} is observed until the stage completes; a {@code Mono}, {@code Flux} or Kotlin
     * {@code Flow} once per subscription.
     */
    GUARDED_CALL {

        @Override
        public String getName() {
            return "resilience.guarded.call";
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultResilienceObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }

        @Override
        public Observation.Event[] getEvents() {
            return Events.values();
        }
    };

    /** The keys of low cardinality, on the span and on meters derived from the observation. */
    public enum LowCardinalityKeys implements KeyName {

        /** The method as the metrics name it: {@code PaymentClient.charge}. */
        METHOD {
            @Override
            public String asString() {
                return "method";
            }
        },

        /** The breaker that guards the method, {@code none} without one. */
        BREAKER {
            @Override
            public String asString() {
                return "breaker";
            }
        },

        /**
         * Once the call has ended: {@code success}, {@code failure}, {@code rejected} (the breaker's rejection) or
         * {@code cancelled}, as the caller saw it before any fallback.
         */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        }
    }

    /** The keys of high cardinality, on the span only. */
    public enum HighCardinalityKeys implements KeyName {

        /** The attempts the call made, once the guard has reported them. */
        ATTEMPTS {
            @Override
            public String asString() {
                return "attempts";
            }
        }
    }

    /** The events of the observation; each one's contextual name says what happened. */
    public enum Events implements Observation.Event {

        /** Before each retry: which attempt failed, with what, and how long the wait is. */
        RETRY {
            @Override
            public String getName() {
                return "retry";
            }
        },

        /** When the call's fallback has run: whether it answered or failed. */
        FALLBACK {
            @Override
            public String getName() {
                return "fallback";
            }
        }
    }
}
