package dev.resilience.spring.aop;

/**
 * A {@code @Retry} or {@code @Breaker} annotation that cannot work as written, found when the bean that carries it
 * is created: a blank or undeclared breaker name, a retry setting out of range or not a duration, a method that
 * Spring cannot proxy, or a return type whose completion cannot be observed. The message names the method and the
 * value; {@link #action()} says how to fix it. Spring Boot's failure analysis prints both.
 */
public final class InvalidGuardedMethodException extends IllegalStateException {

    private final String action;

    /**
     * Creates the exception.
     *
     * @param description what is wrong, naming the method, the annotation attribute or breaker, and the value
     * @param action how to fix it
     */
    public InvalidGuardedMethodException(String description, String action) {
        super(description);
        this.action = action;
    }

    /**
     * How to fix the annotation.
     *
     * @return the action, one or more sentences
     */
    public String action() {
        return action;
    }
}
