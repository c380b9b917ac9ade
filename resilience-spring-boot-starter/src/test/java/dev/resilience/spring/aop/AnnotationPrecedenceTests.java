package dev.resilience.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.GuardListener;
import dev.resilience.RetryDefaults;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.GuardedMethod;
import dev.resilience.test.ManualTimeSource;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Pointcut;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

/**
 * Where {@code @Retry} and {@code @Breaker} apply, and which one wins: the class's method, then the class, then the
 * interface's method, then the interface; one rule for the pointcut, the startup check and the guards.
 */
class AnnotationPrecedenceTests {

    private final ManualTimeSource time = new ManualTimeSource();
    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final MethodGuards guards = new MethodGuards(
            (name, method) -> breakers.computeIfAbsent(name, key -> CircuitBreaker.of(key, BreakerConfig.defaults(),
                    time)),
            RetryDefaults.standard(), time, () -> List.of(method -> GuardListener.NONE));

    @Test
    void theClasssMethodWinsOverTheClassAndTheClassWinsOverTheInterfacesMethod() {
        assertThat(breakerOf(AnnotatedCatalog.class, "byClassMethod")).contains("class-method");
        assertThat(breakerOf(AnnotatedCatalog.class, "byClass")).contains("class");
    }

    @Test
    void theInterfacesMethodWinsOverTheInterfaceWhenTheClassSaysNothing() {
        assertThat(breakerOf(PlainCatalog.class, "byInterfaceMethod")).contains("interface-method");
        assertThat(breakerOf(PlainCatalog.class, "byInterface")).contains("interface");
    }

    @Test
    void eachAnnotationIsTakenFromItsOwnMostSpecificSource() {
        // the class names the breaker, only the interface says @Retry
        MethodAnnotations.Found found = MethodAnnotations.find(method(AnnotatedCatalog.class, "byClass"),
                AnnotatedCatalog.class);

        assertThat(found.breaker().value()).isEqualTo("class");
        assertThat(found.retry().maxAttempts()).isEqualTo(4);
    }

    @Test
    void anAnnotatedSuperclassMethodWinsOverTheAnnotationOfTheSubclassThatOverridesIt() {
        assertThat(breakerOf(OverridingClient.class, "call")).contains("base-method");
        assertThat(breakerOf(OverridingClient.class, "other")).contains("overriding");
    }

    @Test
    void anInheritedMethodTakesTheAnnotationOfTheClassThatDeclaresItNotTheSubclasss() {
        assertThat(breakerOf(RegionalClient.class, "call")).contains("regions");
        assertThat(breakerOf(RegionalClient.class, "local")).contains("regional");
    }

    @Test
    void anInheritedMethodOfAnUnannotatedSuperclassIsNotGuardedByTheSubclasssAnnotation() {
        assertThat(breakerOf(AccountDao.class, "lookup")).isEmpty();
        assertThat(breakerOf(AccountDao.class, "find")).contains("accounts");
    }

    @Test
    void anInheritedFinalMethodIsLeftUnguardedAndPassesTheStartupCheck() {
        assertThat(breakerOf(AccountDao.class, "template")).isEmpty();
        assertThat(breakerOf(GuardedChild.class, "fixed")).isEmpty();
        assertThat(breakerOf(GuardedChild.class, "open")).contains("guarded-support");

        assertThatNoException().isThrownBy(() -> guards.validate(AccountDao.class));
        assertThatNoException().isThrownBy(() -> guards.validate(GuardedChild.class));
    }

    @Test
    void theClasssAnnotationLeavesMethodsOfSpringInterfacesAlone() {
        for (String name : List.of("isRunning", "start", "stop", "getPhase", "getOrder")) {
            assertThat(breakerOf(Poller.class, name)).as(name).isEmpty();
        }
        assertThat(guards.find(method(Poller.class, "setBeanName", String.class), Poller.class)).isEmpty();
        assertThat(breakerOf(Poller.class, "poll")).contains("polls");
    }

    @Test
    void thePointcutTheStartupCheckAndTheGuardsAgreeOnEveryMethod() {
        Pointcut pointcut = new ResilienceAdvisor(() -> guards).getPointcut();
        for (Class<?> type : List.of(AnnotatedCatalog.class, PlainCatalog.class, OverridingClient.class,
                RegionalClient.class, AccountDao.class, GuardedChild.class, Poller.class)) {
            Set<Method> checked = MethodAnnotations.annotatedMethods(type).stream()
                    .map(MethodAnnotations.Found::method).collect(Collectors.toSet());
            for (Method method : type.getMethods()) {
                if (method.getDeclaringClass() == Object.class) {
                    continue;
                }
                boolean matched = pointcut.getClassFilter().matches(type)
                        && pointcut.getMethodMatcher().matches(method, type);
                boolean guarded = guards.find(method, type).isPresent();
                assertThat(matched).as("pointcut and guards on %s of %s", method, type.getSimpleName())
                        .isEqualTo(guarded);
                assertThat(checked.contains(MethodAnnotations.specific(method, type)))
                        .as("startup check and guards on %s of %s", method, type.getSimpleName())
                        .isEqualTo(guarded);
            }
        }
    }

    private Optional<String> breakerOf(Class<?> type, String name) {
        return guards.find(method(type, name), type).map(GuardedMethod::breakerTag);
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
        try {
            return type.getMethod(name, parameters);
        } catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Breaker("interface")
    @Retry(maxAttempts = 4)
    public interface Catalog {

        @Breaker("interface-method")
        String byClassMethod();

        @Breaker("interface-method")
        String byClass();

        @Breaker("interface-method")
        String byInterfaceMethod();

        String byInterface();
    }

    @Breaker("class")
    public static class AnnotatedCatalog implements Catalog {

        @Override
        @Breaker("class-method")
        public String byClassMethod() {
            return "class-method";
        }

        @Override
        public String byClass() {
            return "class";
        }

        @Override
        public String byInterfaceMethod() {
            return "class";
        }

        @Override
        public String byInterface() {
            return "class";
        }
    }

    public static class PlainCatalog implements Catalog {

        @Override
        public String byClassMethod() {
            return "interface-method";
        }

        @Override
        public String byClass() {
            return "interface-method";
        }

        @Override
        public String byInterfaceMethod() {
            return "interface-method";
        }

        @Override
        public String byInterface() {
            return "interface";
        }
    }

    public static class BaseClient {

        @Breaker("base-method")
        public String call() {
            return "base";
        }

        public String other() {
            return "base";
        }
    }

    @Breaker("overriding")
    public static class OverridingClient extends BaseClient {

        @Override
        public String call() {
            return "overriding";
        }

        @Override
        public String other() {
            return "overriding";
        }
    }

    @Breaker("regions")
    public abstract static class RegionsClient {

        public String call() {
            return "regions";
        }
    }

    @Breaker("regional")
    public static class RegionalClient extends RegionsClient {

        public String local() {
            return "regional";
        }
    }

    /** Like Spring's JdbcDaoSupport: public final methods, and no annotation. */
    public abstract static class DaoSupport {

        public final String template() {
            return "template";
        }

        public String lookup() {
            return "lookup";
        }
    }

    @Breaker("accounts")
    public static class AccountDao extends DaoSupport {

        public String find() {
            return "found";
        }
    }

    @Breaker("guarded-support")
    public abstract static class GuardedSupport {

        public final String fixed() {
            return "fixed";
        }

        public String open() {
            return "open";
        }
    }

    public static class GuardedChild extends GuardedSupport {
    }

    @Breaker("polls")
    public static class Poller implements SmartLifecycle, BeanNameAware, Ordered {

        private volatile boolean running;

        public String poll() {
            return "polled";
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return 0;
        }

        @Override
        public int getOrder() {
            return 0;
        }

        @Override
        public void setBeanName(String name) {
        }
    }
}
