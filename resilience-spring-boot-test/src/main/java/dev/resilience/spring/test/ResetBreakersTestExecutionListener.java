package dev.resilience.spring.test;

import dev.resilience.CircuitBreaker;
import dev.resilience.spring.BreakerRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Resets every breaker of the test's application context after each test method, so that a breaker opened by one
 * test does not reject the calls of the next when they share a cached context. Each breaker of every
 * {@link BreakerRegistry} bean is {@link CircuitBreaker#reset() reset}: closed, with an empty window and no
 * rejected calls. A context that was never loaded, or that has no registry, is left alone.
 *
 * <p>Registered in {@code META-INF/spring.factories}: putting {@code resilience-spring-boot-test} on the test
 * classpath is enough for every Spring test. It runs after Spring's own listeners have finished with the method
 * ({@link #ORDER}), before a {@code @DirtiesContext} closes the context.
 */
public final class ResetBreakersTestExecutionListener implements TestExecutionListener, Ordered {

    /** Its order: after Spring's listeners that act after a test method. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        ApplicationContext context = testContext.getApplicationContext();
        context.getBeanProvider(BreakerRegistry.class)
                .forEach(registry -> registry.all().forEach(CircuitBreaker::reset));
    }
}
