package dev.resilience.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link CoreSuccess} on one thread. */
@Threads(1)
public class CoreSuccessOneThread extends CoreSuccess {
}
