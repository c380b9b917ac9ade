package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.Pushback;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The pushback every guard asks: the {@link Pushback} beans, in their order (the application's first, the starter's
 * reader of HTTP {@code Retry-After} last); the first delay found wins. Thread-safe.
 */
final class Pushbacks implements Pushback {

    private final List<Pushback> chain;

    private Pushbacks(List<Pushback> chain) {
        this.chain = List.copyOf(chain);
    }

    /**
     * The chain.
     *
     * @param pushbacks the pushbacks, in the order they are asked
     * @return one pushback that asks them all; {@link Pushback#NONE} when there is none
     */
    static Pushback of(List<Pushback> pushbacks) {
        return pushbacks.isEmpty() ? Pushback.NONE : pushbacks.size() == 1 ? pushbacks.get(0) : new Pushbacks(pushbacks);
    }

    @Override
    public Optional<Duration> delay(Throwable failure) {
        for (Pushback pushback : chain) {
            Optional<Duration> delay = pushback.delay(failure);
            if (delay != null && delay.isPresent()) {
                return delay;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "Pushbacks" + chain;
    }
}
