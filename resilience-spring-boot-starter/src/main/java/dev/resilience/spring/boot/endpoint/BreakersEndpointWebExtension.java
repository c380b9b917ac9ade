package dev.resilience.spring.boot.endpoint;

import dev.resilience.spring.boot.endpoint.BreakersEndpoint.BreakerDescriptor;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP statuses of the {@code breakers} endpoint's write operation: {@code POST /actuator/breakers/{name}}
 * answers the breaker after the change (200), 404 for an unknown name (no request creates a breaker) and 400 for a
 * state other than {@code forced_open}, {@code closed} or {@code reset}. The read operations are the endpoint's own
 * (an unknown name is 404 there too). Thread-safe.
 */
@EndpointWebExtension(endpoint = BreakersEndpoint.class)
public final class BreakersEndpointWebExtension {

    private final BreakersEndpoint endpoint;

    /**
     * Creates the extension.
     *
     * @param endpoint the endpoint it answers for
     */
    public BreakersEndpointWebExtension(BreakersEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * Forces a breaker open, closes it, or resets it.
     *
     * @param name the breaker's name
     * @param state {@code forced_open}, {@code closed} or {@code reset}
     * @return the breaker after the change (200), or 404 when there is none of that name
     * @throws InvalidEndpointRequestException (400) for another state
     */
    @WriteOperation
    public WebEndpointResponse<BreakerDescriptor> changeState(@Selector String name, String state) {
        BreakerDescriptor changed = endpoint.changeState(name, state);
        return changed == null ? new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND)
                : new WebEndpointResponse<>(changed);
    }
}
