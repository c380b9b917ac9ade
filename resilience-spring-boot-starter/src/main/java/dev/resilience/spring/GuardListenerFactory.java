package dev.resilience.spring;

import dev.resilience.GuardListener;

/**
 * Creates, once per annotated method, the listener of that method's guard: the place to resolve meters and tags
 * once, so that recording a call looks nothing up. Every bean of this type contributes, in order.
 */
@FunctionalInterface
public interface GuardListenerFactory {

    /**
     * Creates the listener of one method's guard.
     *
     * @param method what the guard protects
     * @return its listener, or {@link GuardListener#NONE}
     */
    GuardListener create(GuardedMethod method);
}
