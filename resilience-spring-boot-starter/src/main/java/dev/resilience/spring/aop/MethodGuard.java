package dev.resilience.spring.aop;

import dev.resilience.Guard;
import dev.resilience.spring.GuardedMethod;
import dev.resilience.spring.reactive.ReactiveCalls;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * The guard of one method of one bean class, resolved once, and how a call runs through it. A call allocates the
 * body's lambda, plus, when the method may retry, one copy of the invocation per attempt: each attempt must run the
 * rest of the interceptor chain (such as {@code @Transactional}) again, which a Spring invocation does only once.
 * A method returning a {@code Mono}, a {@code Flux} or a {@code Flow} is called once, at the call, and what it
 * returned is guarded by {@link ReactiveCalls}; the method is called again (through a copy of the invocation) only
 * for a retry after a call that threw or returned {@code null}.
 */
final class MethodGuard {

    /** Marks a method that carries no annotation: the call goes straight on. */
    static final MethodGuard NONE = new MethodGuard(null, null, null, MethodSpec.Returns.VALUE, null);

    private final Optional<GuardedMethod> method;
    private final Guard guard;
    private final FallbackMethod fallback;
    private final boolean async;
    private final ReactiveCalls reactive;
    private final boolean retries;

    /**
     * @param reactive guards what a reactive method returns; null unless {@code returns} is reactive (and so only
     *     made where Reactor is on the classpath)
     */
    MethodGuard(GuardedMethod method, Guard guard, FallbackMethod fallback, MethodSpec.Returns returns,
            ReactiveCalls reactive) {
        this.method = Optional.ofNullable(method);
        this.guard = guard;
        this.fallback = fallback;
        this.async = returns == MethodSpec.Returns.STAGE;
        this.reactive = reactive;
        this.retries = guard != null && guard.retryPolicy().maxAttempts() > 1;
    }

    /** The method as its metrics name it, kept in an {@code Optional} made once; empty for {@link #NONE}. */
    Optional<GuardedMethod> method() {
        return method;
    }

    Object invoke(MethodInvocation invocation) throws Throwable {
        if (guard == null) {
            return invocation.proceed();
        }
        if (reactive != null) {
            return invokeReactive(invocation);
        }
        if (fallback != null) {
            return invokeWithFallback(invocation);
        }
        if (async) {
            return guard.callAsync(asyncBody(invocation));
        }
        return guard.call(body(invocation));
    }

    /** The fallback runs on the target object, not through the proxy, with the call's own arguments. */
    @SuppressWarnings("unchecked")
    private Object invokeWithFallback(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Object[] arguments = invocation.getArguments();
        if (async) {
            return guard.callAsync(asyncBody(invocation),
                    failure -> (CompletionStage<Object>) fallback.invoke(target, arguments, failure));
        }
        return guard.call(body(invocation), failure -> fallback.invoke(target, arguments, failure));
    }

    /**
     * Calls the method once, now, through a copy of the invocation when a retry may call it again: the original is
     * never proceeded, so that each later copy runs the rest of the chain too.
     */
    private Object invokeReactive(MethodInvocation invocation) {
        Callable<Object> call = body(invocation);
        Object returned = null;
        Throwable thrown = null;
        try {
            returned = call.call();
        } catch (Throwable failure) {
            thrown = failure;
        }
        if (fallback == null) {
            return reactive.call(guard, returned, thrown, retries ? call : null, null);
        }
        Object target = invocation.getThis();
        Object[] arguments = invocation.getArguments();
        return reactive.call(guard, returned, thrown, retries ? call : null,
                failure -> fallback.invoke(target, arguments, failure));
    }

    private Callable<Object> body(MethodInvocation invocation) {
        if (retries && invocation instanceof ProxyMethodInvocation repeatable) {
            return () -> proceed(repeatable.invocableClone(repeatable.getArguments()));
        }
        return () -> proceed(invocation);
    }

    @SuppressWarnings("unchecked")
    private Callable<CompletionStage<Object>> asyncBody(MethodInvocation invocation) {
        if (retries && invocation instanceof ProxyMethodInvocation repeatable) {
            return () -> (CompletionStage<Object>) proceed(repeatable.invocableClone(repeatable.getArguments()));
        }
        return () -> (CompletionStage<Object>) proceed(invocation);
    }

    /** Runs the rest of the chain, rethrowing whatever it throws unchanged, checked or not. */
    private static Object proceed(MethodInvocation invocation) throws Exception {
        try {
            return invocation.proceed();
        } catch (Exception | Error ex) {
            throw ex;
        } catch (Throwable other) {
            throw MethodGuard.<RuntimeException>sneaky(other);
        }
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> E sneaky(Throwable failure) throws E {
        throw (E) failure;
    }

    @Override
    public String toString() {
        return guard == null ? "MethodGuard[none]"
                : "MethodGuard[" + guard + (async ? ", async]" : reactive != null ? ", " + reactive + "]" : "]");
    }
}
