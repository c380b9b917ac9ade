package dev.resilience.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link CoreSuccess} on two threads sharing each library's breaker, as two callers of one dependency. */
@Threads(2)
public class CoreSuccessTwoThreads extends CoreSuccess {
}
