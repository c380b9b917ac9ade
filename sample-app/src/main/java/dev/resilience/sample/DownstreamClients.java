package dev.resilience.sample;

import dev.resilience.sample.payments.PaymentClient;
import dev.resilience.sample.prices.PriceClient;
import java.net.URI;
import java.net.http.HttpClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * The HTTP clients of the two dependencies: the JDK's HttpClient over HTTP/1.1, with a connect timeout (its
 * {@code HttpConnectTimeoutException} proves the request was never sent), a read timeout, and buffered bodies.
 * Payments is an HTTP service client ({@link PaymentClient}, an {@code @HttpExchange} interface that
 * {@link HttpServiceProxyFactory} implements over its {@code RestClient}); prices a class calling its
 * {@code RestClient} itself ({@link PriceClient}). The starter guards both the same way.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CheckoutProperties.class)
class DownstreamClients {

    @Bean
    PaymentClient paymentClient(RestClient.Builder builder, CheckoutProperties properties) {
        RestClient payments = client(builder, properties, properties.paymentsUrl());
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(payments)).build()
                .createClient(PaymentClient.class);
    }

    @Bean
    PriceClient priceClient(RestClient.Builder builder, CheckoutProperties properties) {
        return new PriceClient(client(builder, properties, properties.pricesUrl()));
    }

    private static RestClient client(RestClient.Builder builder, CheckoutProperties properties, URI baseUrl) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(properties.readTimeout());
        // Buffered: a request body is sent with a Content-Length rather than chunked. Servers that do not take
        // chunked requests (busybox httpd among them) answer before reading such a body and close the connection,
        // and the client then fails writing it ("Broken pipe") after the answer has arrived.
        return builder.clone().baseUrl(baseUrl.toString()).requestFactory(requests)
                .bufferContent((uri, method) -> true)
                .build();
    }
}
