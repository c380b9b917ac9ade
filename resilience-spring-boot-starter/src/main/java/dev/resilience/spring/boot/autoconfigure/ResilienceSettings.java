package dev.resilience.spring.boot.autoconfigure;

import dev.resilience.BreakerConfig;
import dev.resilience.BudgetConfig;
import dev.resilience.InvalidSettingException;
import dev.resilience.RetryDefaults;
import dev.resilience.RetryPolicy;
import dev.resilience.spring.boot.autoconfigure.ResilienceProperties.BreakerDefaults;
import dev.resilience.spring.boot.autoconfigure.ResilienceProperties.BreakerInstance;
import dev.resilience.spring.boot.autoconfigure.ResilienceProperties.RetryDefaultsProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link ResilienceProperties} into the core's settings, and names the full property of any value the core
 * rejects. An instance's key, when given, overrides the same key of the defaults.
 */
final class ResilienceSettings {

    static final String DEFAULTS = "resilience.breaker.defaults";
    static final String INSTANCES = "resilience.breaker.instances";
    static final String RETRY_DEFAULTS = "resilience.retry.defaults";
    static final String NEVER_SENT = "resilience.retry.never-sent-exceptions";
    static final String BUDGET_DEFAULTS = "resilience.retry.budget.defaults";
    static final String BUDGET_INSTANCES = "resilience.retry.budget.instances";

    private static final BreakerInstance NOT_OVERRIDDEN = new BreakerInstance();

    private ResilienceSettings() {
    }

    /**
     * The settings of every declared breaker, by name, in declaration order.
     *
     * @throws InvalidResiliencePropertyException naming the first property whose value is not allowed
     */
    static Map<String, BreakerConfig> declaredBreakers(ResilienceProperties properties) {
        BreakerDefaults defaults = properties.getBreaker().getDefaults();
        defaultBreaker(properties);
        Map<String, BreakerConfig> configs = new LinkedHashMap<>();
        properties.getBreaker().getInstances().forEach((name, instance) ->
                configs.put(name, breakerConfig(defaults, instance == null ? NOT_OVERRIDDEN : instance,
                        INSTANCES + "." + name)));
        return configs;
    }

    /**
     * The settings of a breaker that is not declared: the defaults.
     *
     * @throws InvalidResiliencePropertyException naming the first property whose value is not allowed
     */
    static BreakerConfig defaultBreaker(ResilienceProperties properties) {
        return breakerConfig(properties.getBreaker().getDefaults(), NOT_OVERRIDDEN, DEFAULTS);
    }

    /** The one mapping from properties to a breaker's settings: each key of the instance, or else the default's. */
    private static BreakerConfig breakerConfig(BreakerDefaults d, BreakerInstance i, String prefix) {
        try {
            return BreakerConfig.builder()
                    .windowType(or(i.getWindowType(), d.getWindowType()))
                    .windowSize(or(i.getWindowSize(), d.getWindowSize()))
                    .windowDuration(notNegative(prefix, "window-duration", or(i.getWindowDuration(), d.getWindowDuration())))
                    .minimumCalls(or(i.getMinimumCalls(), d.getMinimumCalls()))
                    .failureRateThreshold(or(i.getFailureRateThreshold(), d.getFailureRateThreshold()))
                    .slowCallDuration(notNegative(prefix, "slow-call-duration",
                            or(i.getSlowCallDuration(), d.getSlowCallDuration())))
                    .slowCallRateThreshold(or(i.getSlowCallRateThreshold(), d.getSlowCallRateThreshold()))
                    .openDuration(notNegative(prefix, "open-duration", or(i.getOpenDuration(), d.getOpenDuration())))
                    .halfOpenProbes(or(i.getHalfOpenProbes(), d.getHalfOpenProbes()))
                    .halfOpenMaxWait(notNegative(prefix, "half-open-max-wait",
                            or(i.getHalfOpenMaxWait(), d.getHalfOpenMaxWait())))
                    .recordExceptions(throwables(prefix, "record-exceptions",
                            or(i.getRecordExceptions(), d.getRecordExceptions())))
                    .ignoreExceptions(throwables(prefix, "ignore-exceptions",
                            or(i.getIgnoreExceptions(), d.getIgnoreExceptions())))
                    .outOfServiceWhenOpen(or(i.getOutOfServiceWhenOpen(), d.isOutOfServiceWhenOpen()))
                    .build();
        } catch (InvalidSettingException ex) {
            throw invalid(prefix, ex);
        } catch (NullPointerException ex) {
            throw missing(prefix, ex);
        }
    }

    /**
     * The one mapping from properties to the retry defaults.
     *
     * @throws InvalidResiliencePropertyException naming the first property whose value is not allowed
     */
    static RetryDefaults retryDefaults(ResilienceProperties properties) {
        RetryDefaultsProperties d = properties.getRetry().getDefaults();
        List<Class<? extends Throwable>> neverSent = throwables(NEVER_SENT, null,
                properties.getRetry().getNeverSentExceptions());
        try {
            return new RetryDefaults(notNegative(RETRY_DEFAULTS, "delay", d.getDelay()),
                    notNegative(RETRY_DEFAULTS, "max-delay", d.getMaxDelay()), d.getMultiplier(), d.getJitter(),
                    neverSent);
        } catch (InvalidSettingException ex) {
            throw invalid(RETRY_DEFAULTS, ex);
        } catch (NullPointerException ex) {
            throw missing(RETRY_DEFAULTS, ex);
        }
    }

    /**
     * The one mapping from properties to a breaker's retry budget: each key of its instance, or else the default's.
     *
     * @throws InvalidResiliencePropertyException naming the first property whose value is not allowed
     */
    static BudgetConfig budgetConfig(ResilienceProperties properties, String breaker) {
        RetryBudgetProperties budgets = properties.getRetry().getBudget();
        RetryBudgetProperties.Instance i = budgets.getInstances().get(breaker);
        String prefix = i == null ? BUDGET_DEFAULTS : BUDGET_INSTANCES + "." + breaker;
        if (i == null) {
            i = new RetryBudgetProperties.Instance();
        }
        RetryBudgetProperties.Defaults d = budgets.getDefaults();
        try {
            return new BudgetConfig(or(i.getEnabled(), d.isEnabled()), or(i.getRatio(), d.getRatio()),
                    or(i.getMinRetriesPerSecond(), d.getMinRetriesPerSecond()),
                    notNegative(prefix, "window", or(i.getWindow(), d.getWindow())));
        } catch (InvalidSettingException ex) {
            throw invalid(prefix, ex);
        } catch (NullPointerException ex) {
            throw missing(prefix, ex);
        }
    }

    /**
     * Rejects a negative duration here, naming the property, before the core sees it: the core's message would
     * format the value, and it cannot format {@code -9223372036854775808ns} (it recurses until the stack
     * overflows). Every duration under {@code resilience.} must be zero or more anyway.
     */
    private static Duration notNegative(String prefix, String key, Duration value) {
        if (value != null && value.isNegative()) {
            String property = prefix + "." + key;
            throw new InvalidResiliencePropertyException(property + " must not be negative, but was " + value + ".",
                    "Set " + property + " to a positive duration, such as 500ms or 30s.", null);
        }
        return value;
    }

    private static <T> T or(T override, T fallback) {
        return override != null ? override : fallback;
    }

    /** Checks that a bound list holds exception types: the binder does not check a class's bound. */
    private static List<Class<? extends Throwable>> throwables(String prefix, String key,
            List<Class<? extends Throwable>> types) {
        String property = key == null ? prefix : prefix + "." + key;
        if (types == null) {
            return List.of();
        }
        for (int index = 0; index < types.size(); index++) {
            Class<?> type = types.get(index);
            if (type == null || !Throwable.class.isAssignableFrom(type)) {
                String name = type == null ? "an empty entry" : type.getName();
                throw new InvalidResiliencePropertyException(
                        property + "[" + index + "] must be an exception class, but was " + name
                                + ", which is not a Throwable.",
                        "Replace " + name + " in " + property
                                + " with the fully qualified name of an exception class, such as java.io.IOException.",
                        null);
            }
        }
        return List.copyOf(types);
    }

    /** The core names the missing setting in the message of its null check. */
    private static InvalidResiliencePropertyException missing(String prefix, NullPointerException ex) {
        String property = prefix + "." + ex.getMessage();
        return new InvalidResiliencePropertyException(property + " must have a value, but was empty.",
                "Give " + property + " a value, or remove the key to use the default.", ex);
    }

    private static InvalidResiliencePropertyException invalid(String prefix, InvalidSettingException ex) {
        String property = prefix + "." + ex.setting();
        String description = property + " must be " + ex.allowed() + ", but was " + ex.value() + ".";
        if (prefix.startsWith(INSTANCES)) {
            description += " (A key that an instance does not set comes from " + DEFAULTS + ".)";
        } else if (prefix.startsWith(BUDGET_INSTANCES)) {
            description += " (A key that an instance does not set comes from " + BUDGET_DEFAULTS + ".)";
        }
        String action = ex.setting().equals("minimum-calls") && ex.allowed().startsWith("at most window-size")
                ? "Set " + property + " to at most the window-size, or raise " + prefix + ".window-size."
                : "Set " + property + " to a value that is " + ex.allowed() + ".";
        return new InvalidResiliencePropertyException(description, action, ex);
    }
}
