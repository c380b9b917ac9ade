package dev.resilience.sample.standin;

/** The healthy behaviour of one stand-in dependency. Implementations are thread-safe. */
@FunctionalInterface
interface Responder {

    /**
     * Answers one request.
     *
     * @param method the HTTP method
     * @param path the request path
     * @param body the request body, possibly empty
     * @return the answer
     */
    Answer respond(String method, String path, String body);
}
