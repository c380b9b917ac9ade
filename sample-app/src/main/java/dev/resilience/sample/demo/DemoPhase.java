package dev.resilience.sample.demo;

import dev.resilience.sample.standin.StandInMode;
import java.util.Map;

/**
 * One phase of the demo: how each stand-in behaves, for how long, and what to watch.
 *
 * @param name short name, printed on every line of the phase
 * @param seconds how long it lasts
 * @param modes the stand-ins' modes, by dependency
 * @param whatToWatch one sentence printed when the phase starts
 */
record DemoPhase(String name, int seconds, Map<String, StandInMode> modes, String whatToWatch) {
}
