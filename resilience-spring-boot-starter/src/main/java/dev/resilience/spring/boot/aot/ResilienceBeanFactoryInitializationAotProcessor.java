package dev.resilience.spring.boot.aot;

import dev.resilience.annotation.Fallback;
import dev.resilience.spring.boot.autoconfigure.ResilienceProperties;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Registers, at build time, the reflection that the starter will do at startup on what the application declares:
 * <ul>
 * <li>the exception classes named in {@code resilience.breaker.defaults.record-exceptions} and
 * {@code ignore-exceptions}, in those of every {@code resilience.breaker.instances.<name>}, and in
 * {@code resilience.retry.never-sent-exceptions}, which are loaded by name;</li>
 * <li>the fallback methods that {@code @Fallback} names on every bean's class (a method of that class or a
 * superclass, of any visibility, invoked reflectively): every method of that name is registered for invocation,
 * so that whichever one the startup check picks can be called.</li>
 * </ul>
 * Properties that do not bind are left to the startup's failure report. Spring's own classes are skipped.
 */
final class ResilienceBeanFactoryInitializationAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
            ConfigurableListableBeanFactory beanFactory) {
        List<Class<?>> exceptions = configuredExceptions(beanFactory);
        List<Method> fallbacks = fallbackMethods(beanFactory);
        if (exceptions.isEmpty() && fallbacks.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> register(generationContext.getRuntimeHints(), exceptions, fallbacks);
    }

    static void register(RuntimeHints hints, Collection<Class<?>> exceptions, Collection<Method> fallbacks) {
        exceptions.forEach(type -> hints.reflection().registerType(type));
        fallbacks.forEach(method -> hints.reflection().registerMethod(method, ExecutableMode.INVOKE));
    }

    /** The exception classes that the {@code resilience.*} properties name. */
    static List<Class<?>> configuredExceptions(ConfigurableListableBeanFactory beanFactory) {
        if (!beanFactory.containsBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME)) {
            return List.of();
        }
        Environment environment = beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME,
                Environment.class);
        ResilienceProperties properties;
        try {
            properties = Binder.get(environment).bind("resilience", ResilienceProperties.class).orElse(null);
        } catch (RuntimeException unbindable) {
            return List.of(); // the application's startup reports it, naming the property
        }
        if (properties == null) {
            return List.of();
        }
        Set<Class<?>> types = new LinkedHashSet<>();
        ResilienceProperties.BreakerProperties breaker = properties.getBreaker();
        types.addAll(breaker.getDefaults().getRecordExceptions());
        types.addAll(breaker.getDefaults().getIgnoreExceptions());
        breaker.getInstances().values().forEach(instance -> {
            addAll(types, instance.getRecordExceptions());
            addAll(types, instance.getIgnoreExceptions());
        });
        types.addAll(properties.getRetry().getNeverSentExceptions());
        return List.copyOf(types);
    }

    /** The methods that the {@code @Fallback} annotations on the beans' classes name. */
    static List<Method> fallbackMethods(ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanFactory.getType(name, false);
            if (type != null) {
                classes.add(ClassUtils.getUserClass(type));
            }
        }
        List<Method> fallbacks = new ArrayList<>();
        for (Class<?> type : classes) {
            if (!type.getName().startsWith("org.springframework.")) {
                fallbacks.addAll(fallbackMethods(type));
            }
        }
        return fallbacks;
    }

    /** The methods that the {@code @Fallback} annotations of one class name, of that class or a superclass. */
    static List<Method> fallbackMethods(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        ReflectionUtils.doWithMethods(type, method -> {
            Fallback fallback = method.getAnnotation(Fallback.class);
            if (fallback != null && !fallback.method().isBlank()) {
                names.add(fallback.method());
            }
        }, method -> method.getDeclaringClass() != Object.class);
        for (Class<?> contract : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            for (Method method : contract.getMethods()) {
                Fallback fallback = method.getAnnotation(Fallback.class);
                if (fallback != null && !fallback.method().isBlank()) {
                    names.add(fallback.method());
                }
            }
        }
        List<Method> named = new ArrayList<>();
        if (names.isEmpty()) {
            return named;
        }
        ReflectionUtils.doWithMethods(type, named::add, method -> names.contains(method.getName())
                && !Modifier.isStatic(method.getModifiers()) && method.getDeclaringClass() != Object.class);
        return named;
    }

    private static void addAll(Set<Class<?>> types, @Nullable List<Class<? extends Throwable>> listed) {
        if (listed != null) {
            types.addAll(listed);
        }
    }
}
