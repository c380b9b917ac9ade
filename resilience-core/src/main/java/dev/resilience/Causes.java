package dev.resilience;

import java.util.List;

/** Matches a failure, and the causes behind it, against exception types. */
final class Causes {

    private static final int MAX_DEPTH = 64;

    private Causes() {
    }

    /** Whether the failure or one of its causes is an instance of one of the types. */
    static boolean anyMatch(Throwable failure, List<Class<? extends Throwable>> types) {
        return firstMatch(failure, types) != null;
    }

    /** The first of the failure and its causes, in that order, that is an instance of one of the types, or null. */
    static Throwable firstMatch(Throwable failure, List<Class<? extends Throwable>> types) {
        if (types.isEmpty()) {
            return null;
        }
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(current)) {
                    return current;
                }
            }
            Throwable cause = current.getCause();
            current = cause == current ? null : cause;
        }
        return null;
    }
}
