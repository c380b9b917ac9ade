package dev.resilience.spring.reactive;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.RetryDefaults;
import dev.resilience.TimeSource;
import dev.resilience.spring.aop.MethodGuards;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.test.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.aop.framework.ProxyFactory;

/**
 * Guarded beans behind the starter's own advisor, as the auto-configuration builds it: real guards, breakers on a
 * fake clock (or a real one), no jitter so that waits are exact, and a listener that writes down what each guard
 * reports, as {@code "Client.method attempt 1 failure IOException"} and {@code "Client.method success 3 retried"}.
 */
final class ReactiveProxies {

    final ManualTimeSource fakeTime = new ManualTimeSource();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Long> attemptNanos = new CopyOnWriteArrayList<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final TimeSource time;

    ReactiveProxies() {
        this(null);
    }

    /** @param time the guards' time source; null for the fake one */
    ReactiveProxies(TimeSource time) {
        this.time = time == null ? fakeTime : time;
    }

    CircuitBreaker breaker(String name, BreakerConfig config) {
        CircuitBreaker breaker = CircuitBreaker.of(name, config, time);
        breakers.put(name, breaker);
        return breaker;
    }

    CircuitBreaker breaker(String name) {
        return breakers.computeIfAbsent(name, key -> CircuitBreaker.of(key, BreakerConfig.defaults(), time));
    }

    @SuppressWarnings("unchecked")
    <T> T proxy(T target) {
        MethodGuards guards = new MethodGuards((name, method) -> breaker(name),
                new RetryDefaults(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0, 0.0, List.of()), time,
                () -> List.of(method -> new Recording(method.methodTag())));
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new ResilienceAdvisor(() -> guards));
        return (T) factory.getProxy();
    }

    /** The operations reported, without their attempts. */
    List<String> operations() {
        return events.stream().filter(event -> !event.contains(" attempt ") && !event.contains(" fallback ")).toList();
    }

    private final class Recording implements GuardListener {

        private final String method;

        Recording(String method) {
            this.method = method;
        }

        @Override
        public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
            attemptNanos.add(nanos);
            events.add(method + " attempt " + attempt + " " + outcome.tag()
                    + (failure == null ? "" : " " + failure.getClass().getSimpleName()));
        }

        @Override
        public void onFallback(Outcome outcome) {
            events.add(method + " fallback " + outcome.tag());
        }

        @Override
        public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos, Throwable failure) {
            events.add(method + " " + outcome.tag() + " " + attempts + (retried ? " retried" : ""));
        }
    }
}
