package dev.resilience.sample.standin;

/** A prices service: {@code GET /prices/{sku}} answers a price that depends only on the article. */
final class PricesResponder implements Responder {

    @Override
    public Answer respond(String method, String path, String body) {
        if ("GET".equals(method) && path.startsWith("/prices/") && path.length() > "/prices/".length()) {
            String sku = path.substring("/prices/".length());
            long amount = 500 + Math.floorMod(sku.hashCode(), 5000);
            return Answer.ok("{\"sku\":\"" + sku + "\",\"amount\":" + amount + ",\"currency\":\"EUR\"}");
        }
        return Answer.notFound(path);
    }
}
