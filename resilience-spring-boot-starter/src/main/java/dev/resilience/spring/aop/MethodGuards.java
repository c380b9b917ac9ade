package dev.resilience.spring.aop;

import dev.resilience.Guard;
import dev.resilience.GuardListener;
import dev.resilience.Pushback;
import dev.resilience.RetryBudget;
import dev.resilience.RetryDefaults;
import dev.resilience.TimeSource;
import dev.resilience.spring.GuardListenerFactory;
import dev.resilience.spring.GuardedMethod;
import dev.resilience.spring.GuardedMethods;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The guards of the annotated methods: each method of each bean class gets one {@link Guard}, built from its
 * {@code @Retry} (or no retry) and its {@code @Breaker} (or no breaker), the first time it is called, and kept.
 * The guard composes the two (the retry wraps the breaker), so the order of the annotations does not matter.
 *
 * <p>{@link #validateBean(Class)} checks every annotated method of a bean's class (and of the interfaces it stands
 * for) when the bean is created, so that a bad annotation fails startup; it also makes sure that every breaker an
 * annotation names exists from startup. Once every singleton exists ({@link #afterSingletonsInstantiated()}), it
 * checks the classes of the beans that were not created (lazy, prototype and scoped beans, from their bean
 * definitions, without creating them), then builds the guards of every bean class it saw, under the class its calls
 * will be keyed by (a JDK proxy's class for an HTTP service client): not while beans are still being created, so that the
 * {@link GuardListenerFactory} beans (metrics) are not created early, yet every method's meters exist before its
 * first call; and it logs a warning for each guarded method that a cache advisor would run inside its guard. A
 * method no check saw gets its guard at its first call. As {@link GuardedMethods}, it tells others which method a
 * call runs and how it is named, from the same resolution ({@link MethodAnnotations}). Thread-safe.
 *
 * <p>Every guard treats method validation's refusals ({@code MethodValidationException},
 * {@code ConstraintViolationException}, each when it is on the classpath) as never counted: never retried, and
 * neither a success nor a failure for the breaker.
 */
public final class MethodGuards implements GuardedMethods, SmartInitializingSingleton, BeanFactoryAware,
        EnvironmentAware {

    private static final Log LOG = LogFactory.getLog(MethodGuards.class);
    private static final List<Class<? extends Throwable>> VALIDATION_REFUSALS = presentTypes(
            "org.springframework.validation.method.MethodValidationException",
            "jakarta.validation.ConstraintViolationException");

    private final MethodSpecs specs;
    private final Supplier<Pushback> pushback;
    private final TimeSource time;
    private final Supplier<List<GuardListenerFactory>> listenerFactories;
    private final ConcurrentHashMap<Class<?>, ConcurrentHashMap<Method, MethodGuard>> guards =
            new ConcurrentHashMap<>();
    private final Set<Class<?>> validated = ConcurrentHashMap.newKeySet();
    private final Set<Class<?>> createdBeanClasses = ConcurrentHashMap.newKeySet();
    private final Set<Class<?>> uncreatedBeanClasses = ConcurrentHashMap.newKeySet();
    private final ReentrantLock resolving = new ReentrantLock();
    private volatile List<GuardListenerFactory> factories;
    private ConfigurableListableBeanFactory beanFactory;
    private volatile Environment environment;

    /**
     * Creates the guards' source.
     *
     * @param breakers gives the breaker an annotation names
     * @param retryDefaults what {@code @Retry} takes when it does not say
     * @param time the clock, sleeper and scheduler of every guard
     * @param listenerFactories the listener factories, in order; asked once per method, when its guard is built
     */
    public MethodGuards(BreakerSource breakers, RetryDefaults retryDefaults, TimeSource time,
            Supplier<List<GuardListenerFactory>> listenerFactories) {
        this(breakers, retryDefaults, time, listenerFactories, name -> Optional.empty(), () -> Pushback.NONE);
    }

    /**
     * Creates the guards' source.
     *
     * @param breakers gives the breaker an annotation names
     * @param retryDefaults what {@code @Retry} takes when it does not say
     * @param time the clock, sleeper and scheduler of every guard
     * @param listenerFactories the listener factories, in order; asked once per method, when its guard is built
     * @param budgets gives the retry budget of a breaker's dependency, if it has one
     * @param pushback gives the pushback that every guard asks before a retry's wait; asked once
     */
    public MethodGuards(BreakerSource breakers, RetryDefaults retryDefaults, TimeSource time,
            Supplier<List<GuardListenerFactory>> listenerFactories, Function<String, Optional<RetryBudget>> budgets,
            Supplier<Pushback> pushback) {
        this.specs = new MethodSpecs(Objects.requireNonNull(breakers, "breakers"),
                Objects.requireNonNull(retryDefaults, "retryDefaults"), Objects.requireNonNull(budgets, "budgets"),
                this::resolvePlaceholders);
        this.time = Objects.requireNonNull(time, "time");
        this.listenerFactories = Objects.requireNonNull(listenerFactories, "listenerFactories");
        this.pushback = SingletonSupplier.of(Objects.requireNonNull(pushback, "pushback"));
    }

    /**
     * Checks every annotated method of a bean class, and creates, if allowed, the breakers they name.
     *
     * @param userClass the bean's class (not a proxy's)
     * @throws InvalidGuardedMethodException naming the first method whose annotations cannot work
     */
    public void validate(Class<?> userClass) {
        if (validated.contains(userClass)) {
            return;
        }
        List<MethodAnnotations.Found> annotated = MethodAnnotations.annotatedMethods(userClass);
        for (MethodAnnotations.Found found : annotated) {
            specs.spec(found, userClass);
        }
        if (!annotated.isEmpty()) {
            validated.add(userClass);
        }
    }

    /**
     * Checks the annotations that a created bean's class stands for (its own and its interfaces', or a JDK proxy's
     * interfaces), and remembers the class, so that its guards are built at startup under the key its calls use.
     *
     * @param targetClass the class of the bean's target object, as a call sees it
     * @throws InvalidGuardedMethodException naming the first method whose annotations cannot work
     */
    public void validateBean(Class<?> targetClass) {
        boolean annotated = false;
        for (Class<?> userClass : MethodAnnotations.annotatedTypes(ClassUtils.getUserClass(targetClass))) {
            validate(userClass);
            annotated |= validated.contains(userClass);
        }
        if (annotated) {
            createdBeanClasses.add(targetClass);
        }
    }

    /** Validates the class of a bean not created yet; one whose methods cannot even be read is left to its creation. */
    private void validateUncreated(Class<?> userClass) {
        try {
            validate(userClass);
            uncreatedBeanClasses.add(userClass);
        } catch (InvalidGuardedMethodException ex) {
            throw ex;
        } catch (LinkageError | IllegalStateException ex) {
            if (ex instanceof IllegalStateException && !(ex.getCause() instanceof LinkageError)) {
                throw ex;
            }
            LOG.debug("The methods of " + userClass.getName() + ", the class of a bean not created yet, cannot be"
                    + " read (" + ex + "); its @Retry and @Breaker annotations are checked when it is created", ex);
        }
    }

    /** The environment that resolves the {@code ${...}} placeholders of the annotations' strings. */
    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    private String resolvePlaceholders(String text) {
        Environment resolver = environment;
        return resolver == null ? text : resolver.resolveRequiredPlaceholders(text);
    }

    /** The bean factory whose uncreated beans are checked at startup, and whose cache advisors are looked at. */
    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory instanceof ConfigurableListableBeanFactory listable ? listable : null;
    }

    /**
     * Checks the classes of the beans that were not created, builds the guard of every method validated so far
     * (its listeners, and so its meters, exist from startup), then warns about cached methods whose cache runs
     * inside the guard.
     *
     * @throws InvalidGuardedMethodException naming the first method of an uncreated bean whose annotations cannot
     *     work
     */
    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableListableBeanFactory factory = beanFactory;
        if (factory != null) {
            UncreatedBeans.types(factory).forEach(this::validateUncreated);
        }
        List<GuardedMethod> guarded = new ArrayList<>();
        for (Class<?> targetClass : createdBeanClasses) {
            for (Class<?> userClass : MethodAnnotations.annotatedTypes(ClassUtils.getUserClass(targetClass))) {
                for (MethodAnnotations.Found found : MethodAnnotations.annotatedMethods(userClass)) {
                    guardFor(found.method(), targetClass).method().ifPresent(guarded::add);
                }
            }
        }
        for (Class<?> userClass : uncreatedBeanClasses) {
            if (userClass.isInterface() || !validated.contains(userClass)) {
                continue; // a lazy bean known by its interface only: its guards come at its first call
            }
            for (MethodAnnotations.Found found : MethodAnnotations.annotatedMethods(userClass)) {
                guardFor(found.method(), userClass).method().ifPresent(guarded::add);
            }
        }
        if (factory != null) {
            ResilienceAdvisor advisor = factory.getBeanProvider(ResilienceAdvisor.class).getIfUnique();
            if (advisor != null) {
                CacheOrderCheck.warn(factory, advisor.getOrder(), guarded);
            }
        }
    }

    @Override
    public Optional<GuardedMethod> find(Method method, Class<?> targetClass) {
        return guardFor(method, targetClass == null ? method.getDeclaringClass() : targetClass).method();
    }

    /**
     * The guard of a method called on a bean of that class; resolved at startup or at the first call, then looked up.
     *
     * @return the guard, or {@link MethodGuard#NONE} when the method carries no annotation
     */
    MethodGuard guardFor(Method method, Class<?> targetClass) {
        ConcurrentHashMap<Method, MethodGuard> byMethod = guards.get(targetClass);
        if (byMethod != null) {
            MethodGuard guard = byMethod.get(method);
            if (guard != null) {
                return guard;
            }
        }
        return resolve(method, targetClass);
    }

    /**
     * Builds a method's guard once: under a lock (a {@code ReentrantLock}, which does not pin a virtual thread),
     * taken only when a method's guard is built, so that each listener factory is asked once per method. Reentrant, and
     * no map compute: a listener factory may call a guarded method.
     */
    private MethodGuard resolve(Method method, Class<?> targetClass) {
        resolving.lock();
        try {
            return resolveLocked(method, targetClass);
        } finally {
            resolving.unlock();
        }
    }

    private MethodGuard resolveLocked(Method method, Class<?> targetClass) {
        ConcurrentHashMap<Method, MethodGuard> byMethod = guards.computeIfAbsent(targetClass,
                key -> new ConcurrentHashMap<>());
        MethodGuard existing = byMethod.get(method);
        if (existing != null) {
            return existing;
        }
        Method specific = MethodAnnotations.specific(method, targetClass);
        MethodGuard built = byMethod.get(specific); // the same method reached by another key (an interface's)
        if (built != null) {
            byMethod.put(method, built);
            return built;
        }
        Class<?> userClass = MethodAnnotations.userClass(method, targetClass);
        MethodAnnotations.Found found = MethodAnnotations.find(specific, userClass);
        MethodSpec spec = found == null ? null : specs.spec(found, userClass);
        MethodGuard created = spec == null ? MethodGuard.NONE : new MethodGuard(spec.method(), guard(spec),
                spec.fallback(), spec.returns(), spec.returns().calls());
        byMethod.putIfAbsent(specific, created);
        MethodGuard previous = byMethod.putIfAbsent(method, created);
        return previous != null ? previous : created;
    }

    private Guard guard(MethodSpec spec) {
        Guard.Builder builder = Guard.builder(spec.method().methodTag())
                .retry(spec.retry())
                .breaker(spec.breaker())
                .budget(spec.budget())
                .pushback(pushback.get())
                .neverCounted(VALIDATION_REFUSALS)
                .listener(listener(spec.method()))
                .timeSource(time);
        if (spec.fallback() != null) {
            builder.fallbackRule(spec.fallback().rule());
        }
        return builder.build();
    }

    private GuardListener listener(GuardedMethod method) {
        List<GuardListenerFactory> all = factories;
        if (all == null) {
            all = List.copyOf(listenerFactories.get());
            factories = all;
        }
        List<GuardListener> listeners = new ArrayList<>(all.size());
        for (GuardListenerFactory factory : all) {
            try {
                listeners.add(factory.create(method));
            } catch (RuntimeException ex) {
                LOG.warn("Listener factory " + factory + " failed for " + method.methodTag()
                        + "; the method runs without that listener", ex);
            }
        }
        return CompositeGuardListener.of(method.methodTag(), listeners);
    }

    /** The classes of those names that are on the classpath, resolved once. */
    private static List<Class<? extends Throwable>> presentTypes(String... names) {
        ClassLoader loader = MethodGuards.class.getClassLoader();
        List<Class<? extends Throwable>> present = new ArrayList<>();
        for (String name : names) {
            if (ClassUtils.isPresent(name, loader)) {
                present.add(ClassUtils.resolveClassName(name, loader).asSubclass(Throwable.class));
            }
        }
        return List.copyOf(present);
    }
}
