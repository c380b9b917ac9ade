package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Regression: initialising RetryDefaults before RetryPolicy once left the standard defaults null. */
class ClassInitialisationTests {

    /** Loads the core's classes afresh, so that the named class is the first one initialised. */
    private static Class<?> loadFirst(String className) throws Exception {
        URL classes = RetryPolicy.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
        return Class.forName("dev.resilience." + className, true, isolated);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RetryDefaults", "RetryPolicy", "Guard", "BreakerConfig", "CircuitBreaker"})
    void everyEntryPointInitialisesWhicheverClassComesFirst(String first) throws Exception {
        Class<?> entry = loadFirst(first);
        ClassLoader loader = entry.getClassLoader();

        Object defaults = loader.loadClass("dev.resilience.RetryDefaults").getMethod("standard").invoke(null);
        Object builder = loader.loadClass("dev.resilience.RetryPolicy").getMethod("builder").invoke(null);
        Object policy = builder.getClass().getMethod("build").invoke(builder);

        assertThat(defaults).isNotNull().hasToString("RetryDefaults[delay=PT0.1S, maxDelay=PT5S, multiplier=2.0,"
                + " jitter=0.5, neverSentExceptions=[]]");
        assertThat(policy.toString()).contains("delay=100ms", "maxDelay=5s", "multiplier=2.0", "jitter=0.5");
    }

    @Test
    void theIsolatedLoaderReallyLoadsItsOwnCopy() throws Exception {
        Class<?> isolated = loadFirst("RetryDefaults");
        Method standard = isolated.getMethod("standard");

        assertThat(isolated).isNotSameAs(RetryDefaults.class);
        assertThat(List.of(standard.invoke(null))).doesNotContainNull();
    }
}
