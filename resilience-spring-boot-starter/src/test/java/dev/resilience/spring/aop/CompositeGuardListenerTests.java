package dev.resilience.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.WaitReason;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The listeners of one method, metrics and observation together, each hear every event. */
class CompositeGuardListenerTests {

    private final List<String> heard = new CopyOnWriteArrayList<>();

    private GuardListener recording(String name) {
        return new GuardListener() {
            @Override
            public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
                heard.add(name + " attempt " + outcome.tag());
            }

            @Override
            public void onRetryWait(int nextAttempt, long waitNanos, WaitReason reason) {
                heard.add(name + " wait " + reason.tag());
            }

            @Override
            public void onRetryDenied(int nextAttempt) {
                heard.add(name + " denied");
            }

            @Override
            public void onFallback(Outcome outcome) {
                heard.add(name + " fallback " + outcome.tag());
            }

            @Override
            public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
                heard.add(name + " operation " + outcome.tag());
            }
        };
    }

    @Test
    void aFallbackIsHeardByEveryListenerNotOnlyWhenThereIsOne() {
        // regression: with metrics and the observation both listening, resilience.fallbacks stayed at 0
        GuardListener composite = CompositeGuardListener.of("PriceCatalog.quote",
                List.of(recording("metrics"), recording("observation")));

        composite.onAttempt(1, Outcome.FAILURE, 0, null);
        composite.onRetryWait(2, 100, WaitReason.PUSHBACK);
        composite.onRetryDenied(3);
        composite.onOperation(Outcome.FAILURE, 2, true, 0, null);
        composite.onFallback(Outcome.SUCCESS);

        assertThat(heard).containsExactly("metrics attempt failure", "observation attempt failure",
                "metrics wait pushback", "observation wait pushback", "metrics denied", "observation denied",
                "metrics operation failure", "observation operation failure", "metrics fallback success",
                "observation fallback success");
    }
}
