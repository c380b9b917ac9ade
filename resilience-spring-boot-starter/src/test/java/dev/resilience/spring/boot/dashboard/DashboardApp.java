package dev.resilience.spring.boot.dashboard;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** A web application with the starter and the actuator, and two declared breakers. */
@SpringBootConfiguration
@EnableAutoConfiguration
class DashboardApp {
}
