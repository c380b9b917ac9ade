package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.BreakerConfig;
import dev.resilience.spring.Spelling;
import dev.resilience.spring.boot.autoconfigure.ResilienceProperties.BreakerDefaults;
import dev.resilience.spring.boot.autoconfigure.ResilienceProperties.RetryDefaultsProperties;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

/**
 * Reports a {@code resilience.*} property that cannot be bound: a key that does not exist (with the closest
 * known key), a value that is not a duration, a number or a known class. Runs before Spring Boot's generic
 * binding analyzers, and ignores failures outside {@code resilience.}.
 */
final class ResilienceBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    private static final String PREFIX = "resilience";
    private static final int MAX_SUGGESTION_DISTANCE = 3;

    static final List<String> BREAKER_KEYS = keys(BreakerDefaults.class);
    static final List<String> RETRY_KEYS = keys(RetryDefaultsProperties.class);
    static final List<String> BUDGET_KEYS = keys(RetryBudgetProperties.Defaults.class);
    private static final Set<String> LIST_KEYS = Set.of("record-exceptions", "ignore-exceptions",
            "never-sent-exceptions");

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        if (!PREFIX.equals(cause.getName().toString()) && !cause.getName().toString().startsWith(PREFIX + ".")) {
            return null;
        }
        if (cause.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            return unknownKeys(unbound, cause);
        }
        return unreadableValue(cause);
    }

    private static FailureAnalysis unknownKeys(UnboundConfigurationPropertiesException unbound, BindException cause) {
        StringBuilder description = new StringBuilder();
        StringBuilder action = new StringBuilder();
        for (ConfigurationProperty property : unbound.getUnboundProperties()) {
            String name = property.getName().toString();
            String known = known(property.getName());
            if (known != null && !LIST_KEYS.contains(lastElement(known)) && !name.equals(unindexed(name))) {
                // a list where one value belongs (YAML's "window-size: [20]"): the binder leaves it unbound
                description.append(description.isEmpty() ? "" : "\n").append(known)
                        .append(" takes one value, but was written as a list (").append(name).append(" = ")
                        .append(property.getValue()).append(origin(property.getOrigin())).append(").");
                action.append(action.isEmpty() ? "" : "\n").append("Write ").append(known)
                        .append(" as a single value, such as ").append(lastElement(known)).append(": ")
                        .append(property.getValue()).append(", not as a list.");
                continue;
            }
            if (known != null && isEmpty(property.getValue())) {
                // a known key whose empty value bound to nothing: the binder reports it as unbound
                description.append(description.isEmpty() ? "" : "\n").append(name)
                        .append(" must have a value, but was empty").append(origin(property.getOrigin())).append('.');
                action.append(action.isEmpty() ? "" : "\n").append("Give ").append(name)
                        .append(" a value, or remove the key to use ").append(inherited(property.getName()))
                        .append('.');
                continue;
            }
            if (known != null) {
                // a known key with a value that nothing bound: the name it sits under was written in two notations
                // (instances.inventory_eu and instances[inventory_eu]: the binder binds one), or the
                // auto-configuration that reads it is excluded
                description.append(description.isEmpty() ? "" : "\n").append(name).append(" = ")
                        .append(property.getValue()).append(" was not read").append(origin(property.getOrigin()))
                        .append(": a known key is left unread when the breaker or budget it belongs to is also"
                                + " written in another notation (such as instances.inventory_eu and"
                                + " instances[inventory_eu]), or when the auto-configuration that reads it is excluded.");
                action.append(action.isEmpty() ? "" : "\n").append("Write the name of each breaker and budget in"
                        + " one notation (in brackets to keep characters other than a-z, 0-9 and -), or remove ")
                        .append(name).append('.');
                continue;
            }
            description.append(description.isEmpty() ? "" : "\n").append(name).append(" = ")
                    .append(property.getValue()).append(" is not a property of the resilience starter")
                    .append(origin(property.getOrigin())).append('.');
            action.append(action.isEmpty() ? "" : "\n")
                    .append(Spelling.closest(unindexed(name), candidates(property.getName()), MAX_SUGGESTION_DISTANCE)
                            .map(close -> "Did you mean " + close + "? ").orElse(""))
                    .append("Fix or remove ").append(name).append("; ").append(knownKeysNear(property.getName()));
        }
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }

    /**
     * The known key (kebab case) that an unbound property is, its last key compared relaxed (camel, underscore or
     * kebab case) and without its index; else null.
     */
    private static String known(ConfigurationPropertyName unbound) {
        int elements = unbound.getNumberOfElements() - (unbound.isLastElementIndexed() ? 1 : 0);
        if (elements < 2) {
            return null;
        }
        String key = unbound.getElement(elements - 1, ConfigurationPropertyName.Form.UNIFORM);
        StringBuilder parent = new StringBuilder();
        for (int i = 0; i < elements - 1; i++) {
            parent.append(i == 0 ? "" : ".").append(unbound.getElement(i, ConfigurationPropertyName.Form.ORIGINAL));
        }
        for (String candidate : candidates(unbound)) {
            int dot = candidate.lastIndexOf('.');
            if (candidate.substring(0, dot).equals(parent.toString())
                    && candidate.substring(dot + 1).replace("-", "").equals(key)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isEmpty(Object value) {
        return value == null || value.toString().isBlank();
    }

    private static String lastElement(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static FailureAnalysis unreadableValue(BindException cause) {
        String name = cause.getName().toString();
        ConfigurationProperty property = cause.getProperty();
        Object value = property == null ? null : property.getValue();
        String origin = property == null ? "" : origin(property.getOrigin());
        Class<?> type = valueType(cause.getTarget().getType());
        Throwable root = rootCause(cause);
        if (root instanceof ClassNotFoundException || type == Class.class) {
            return new FailureAnalysis(name + " = " + value + " is not a class on the classpath" + origin + ".",
                    "Write the fully qualified name of an exception class that is on the classpath, such as"
                            + " java.io.IOException, in " + name + ".", cause);
        }
        return new FailureAnalysis(name + " = " + value + " cannot be read as " + typeName(type) + origin + ": "
                + root.getMessage(), "Write " + name + " as " + expected(type) + ".", cause);
    }

    private static String origin(Origin origin) {
        return origin == null ? "" : " (from " + origin + ")";
    }

    private static Class<?> valueType(ResolvableType type) {
        if (type.asCollection() != ResolvableType.NONE && type.asCollection().hasGenerics()) {
            Class<?> element = type.asCollection().getGeneric(0).resolve();
            return element == null ? Object.class : element;
        }
        Class<?> resolved = type.resolve();
        return resolved == null ? Object.class : resolved;
    }

    private static String typeName(Class<?> type) {
        if (type == Duration.class) {
            return "a duration";
        }
        if (type == BreakerConfig.WindowType.class) {
            return "a window type";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        return type.getSimpleName();
    }

    private static String expected(Class<?> type) {
        if (type == Duration.class) {
            return "a duration such as 500ms, 30s or 5m (units ns, us, ms, s, m, h, d), or ISO-8601 such as PT30S";
        }
        if (type == BreakerConfig.WindowType.class) {
            return "count or time";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class) {
            return "a whole number, such as 20";
        }
        if (type == double.class || type == Double.class) {
            return "a number, such as 50 or 0.5";
        }
        return "a " + type.getSimpleName();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    /** Every known key that the unknown one could have meant, with the same instance name where there is one. */
    private static List<String> candidates(ConfigurationPropertyName unknown) {
        List<String> candidates = new ArrayList<>();
        candidates.add("resilience.breaker.require-declared");
        BREAKER_KEYS.forEach(key -> candidates.add(ResilienceSettings.DEFAULTS + "." + key));
        String instance = instanceName(unknown);
        if (instance != null) {
            BREAKER_KEYS.forEach(key -> candidates.add(ResilienceSettings.INSTANCES + "." + instance + "." + key));
        }
        RETRY_KEYS.forEach(key -> candidates.add(ResilienceSettings.RETRY_DEFAULTS + "." + key));
        candidates.add(ResilienceSettings.NEVER_SENT);
        BUDGET_KEYS.forEach(key -> candidates.add(ResilienceSettings.BUDGET_DEFAULTS + "." + key));
        String budget = budgetName(unknown);
        if (budget != null) {
            BUDGET_KEYS.forEach(key -> candidates.add(ResilienceSettings.BUDGET_INSTANCES + "." + budget + "." + key));
        }
        candidates.add("resilience.dashboard.enabled"); // bound by the dashboard's own DashboardProperties
        return candidates;
    }

    /** What a key falls back to when it is removed: an instance's, the same key of the defaults. */
    private static String inherited(ConfigurationPropertyName known) {
        String instance = instanceName(known);
        if (instance == null) {
            return "the default";
        }
        String key = unindexed(known.getElement(4, ConfigurationPropertyName.Form.DASHED));
        return ResilienceSettings.DEFAULTS + "." + key;
    }

    private static String knownKeysNear(ConfigurationPropertyName unknown) {
        String name = unknown.toString();
        String instance = instanceName(unknown);
        if (instance != null) {
            return "the keys of a breaker under " + ResilienceSettings.INSTANCES + "." + instance + " are "
                    + String.join(", ", BREAKER_KEYS) + ".";
        }
        if (name.startsWith(ResilienceSettings.RETRY_DEFAULTS + ".")) {
            return "the keys under " + ResilienceSettings.RETRY_DEFAULTS + " are " + String.join(", ", RETRY_KEYS)
                    + ".";
        }
        if (budgetName(unknown) != null || name.startsWith(ResilienceSettings.BUDGET_DEFAULTS + ".")) {
            return "the keys of a retry budget are " + String.join(", ", BUDGET_KEYS) + ".";
        }
        if (name.startsWith(ResilienceSettings.DEFAULTS + ".")) {
            return "the keys under " + ResilienceSettings.DEFAULTS + " are " + String.join(", ", BREAKER_KEYS) + ".";
        }
        return "the keys under resilience are breaker.require-declared, breaker.defaults.*,"
                + " breaker.instances.<name>.*, retry.defaults.*, retry.never-sent-exceptions,"
                + " retry.budget.defaults.*, retry.budget.instances.<name>.* and dashboard.enabled.";
    }

    private static String instanceName(ConfigurationPropertyName name) {
        String text = name.toString();
        if (!text.startsWith(ResilienceSettings.INSTANCES + ".") || name.getNumberOfElements() < 5) {
            return null;
        }
        return name.getElement(3, ConfigurationPropertyName.Form.ORIGINAL);
    }

    private static String budgetName(ConfigurationPropertyName name) {
        String text = name.toString();
        if (!text.startsWith(ResilienceSettings.BUDGET_INSTANCES + ".") || name.getNumberOfElements() < 6) {
            return null;
        }
        return name.getElement(4, ConfigurationPropertyName.Form.ORIGINAL);
    }

    private static String unindexed(String name) {
        int index = name.indexOf('[');
        return index < 0 ? name : name.substring(0, index);
    }

    /** The kebab-case keys of a properties class, in declaration order of its fields. */
    private static List<String> keys(Class<?> type) {
        Set<String> writable = Arrays.stream(BeanUtils.getPropertyDescriptors(type))
                .filter(descriptor -> descriptor.getWriteMethod() != null)
                .map(PropertyDescriptor::getName)
                .collect(Collectors.toSet());
        return Arrays.stream(type.getDeclaredFields())
                .map(Field::getName)
                .filter(writable::contains)
                .map(ResilienceBindFailureAnalyzer::kebab)
                .toList();
    }

    private static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
