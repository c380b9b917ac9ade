package dev.resilience.sample.standin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A payments service: {@code POST /charges} creates a charge, {@code GET /charges/{id}} reads one. */
final class PaymentsResponder implements Responder {

    private static final Pattern AMOUNT = Pattern.compile("\"amount\"\\s*:\\s*(\\d+)");
    private static final Pattern CURRENCY = Pattern.compile("\"currency\"\\s*:\\s*\"(\\w+)\"");

    private final AtomicLong ids = new AtomicLong();
    private final Map<String, String> charges = new ConcurrentHashMap<>();

    @Override
    public Answer respond(String method, String path, String body) {
        if ("POST".equals(method) && "/charges".equals(path)) {
            String id = "ch_" + ids.incrementAndGet();
            String charge = charge(id, find(AMOUNT, body, "0"), find(CURRENCY, body, "EUR"));
            charges.put(id, charge);
            return new Answer(201, charge);
        }
        if ("GET".equals(method) && path.startsWith("/charges/")) {
            String charge = charges.get(path.substring("/charges/".length()));
            return charge == null ? Answer.notFound(path) : Answer.ok(charge);
        }
        return Answer.notFound(path);
    }

    private static String charge(String id, String amount, String currency) {
        return "{\"id\":\"" + id + "\",\"amount\":" + amount + ",\"currency\":\"" + currency + "\",\"status\":\"succeeded\"}";
    }

    private static String find(Pattern pattern, String body, String otherwise) {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? matcher.group(1) : otherwise;
    }
}
