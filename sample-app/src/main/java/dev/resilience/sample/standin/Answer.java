package dev.resilience.sample.standin;

/** What a stand-in answers: a status and a JSON body. */
record Answer(int status, String json) {

    static Answer ok(String json) {
        return new Answer(200, json);
    }

    static Answer notFound(String path) {
        return new Answer(404, "{\"error\":\"no route for " + path + "\"}");
    }
}
