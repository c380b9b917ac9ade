package dev.resilience.sample.standin;

import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Switches the stand-ins at runtime: {@code GET /stand-in} lists them, {@code PUT /stand-in/{name}} with
 * {@code {"mode": "failing"}} switches one ({@code healthy}, {@code failing}, {@code slow}, {@code refusing}).
 */
@RestController
@RequestMapping("/stand-in")
@ConditionalOnBooleanProperty("checkout.stand-in.enabled")
class StandInController {

    private final StandIn standIn;

    StandInController(StandIn standIn) {
        this.standIn = standIn;
    }

    @GetMapping
    List<StandInStatus> all() {
        return standIn.names().stream().map(standIn::status).toList();
    }

    @GetMapping("/{name}")
    StandInStatus one(@PathVariable String name) {
        known(name);
        return standIn.status(name);
    }

    @PutMapping("/{name}")
    StandInStatus switchTo(@PathVariable String name, @RequestBody Map<String, String> body) {
        known(name);
        StandInMode mode;
        try {
            mode = StandInMode.of(body.get("mode"));
        } catch (IllegalArgumentException invalid) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, invalid.getMessage());
        }
        return standIn.switchTo(name, mode);
    }

    private void known(String name) {
        if (!standIn.names().contains(name)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "No stand-in named '" + name + "'; the stand-ins are " + standIn.names());
        }
    }
}
