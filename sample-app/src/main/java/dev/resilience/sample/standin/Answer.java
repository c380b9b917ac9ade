package dev.resilience.sample.standin;

/**
 * What a stand-in answers: a status, a JSON body and, for a throttling answer, its {@code Retry-After} in seconds.
 *
 * @param status the HTTP status
 * @param json the body
 * @param retryAfterSeconds the {@code Retry-After} header's value, or -1 for none
 */
record Answer(int status, String json, int retryAfterSeconds) {

    Answer(int status, String json) {
        this(status, json, -1);
    }

    static Answer ok(String json) {
        return new Answer(200, json);
    }

    static Answer notFound(String path) {
        return new Answer(404, "{\"error\":\"no route for " + path + "\"}");
    }
}
