package dev.resilience.sample.standin;

/**
 * A stand-in's state, as the switch API shows it.
 *
 * @param name {@code payments} or {@code prices}
 * @param mode {@code healthy}, {@code failing}, {@code slow} or {@code refusing}
 * @param calls requests that reached it since startup
 * @param url its base URL
 */
public record StandInStatus(String name, String mode, long calls, String url) {
}
