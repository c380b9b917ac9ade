package dev.resilience.spring.boot.task;

import io.micrometer.context.ContextSnapshotFactory;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.MDC;
import org.springframework.util.ClassUtils;

/**
 * Binds a task to its caller's context, with what the classpath offers: Micrometer's context-propagation (every
 * registered {@code ThreadLocalAccessor}: the observation, Spring Security's context, ...) and SLF4J's MDC. Each is
 * optional; with neither, a task is left as it is.
 */
final class ContextCapture {

    private static final String CONTEXT_PROPAGATION = "io.micrometer.context.ContextSnapshotFactory";
    private static final String SLF4J_MDC = "org.slf4j.MDC";

    private ContextCapture() {
    }

    /** @return the capture that this class loader allows */
    static UnaryOperator<Runnable> available(ClassLoader classLoader) {
        boolean propagation = ClassUtils.isPresent(CONTEXT_PROPAGATION, classLoader);
        boolean mdc = ClassUtils.isPresent(SLF4J_MDC, classLoader);
        UnaryOperator<Runnable> snapshot = propagation ? Snapshot.create() : UnaryOperator.identity();
        if (!mdc) {
            return snapshot;
        }
        return task -> snapshot.apply(Mdc.wrap(task)); // the MDC is set inside the snapshot's scope
    }

    /** Micrometer's context-propagation, with the accessors registered when each task is captured. */
    private static final class Snapshot {

        static UnaryOperator<Runnable> create() {
            ContextSnapshotFactory factory = ContextSnapshotFactory.builder().build();
            return task -> factory.captureAll().wrap(task);
        }
    }

    /** The caller's MDC, set for the task and the runner's restored afterwards. */
    private static final class Mdc {

        static Runnable wrap(Runnable task) {
            Map<String, String> captured = MDC.getCopyOfContextMap();
            return () -> {
                Map<String, String> previous = MDC.getCopyOfContextMap();
                set(captured);
                try {
                    task.run();
                } finally {
                    set(previous);
                }
            };
        }

        private static void set(Map<String, String> values) {
            if (values == null || values.isEmpty()) {
                MDC.clear();
            } else {
                MDC.setContextMap(values);
            }
        }
    }
}
