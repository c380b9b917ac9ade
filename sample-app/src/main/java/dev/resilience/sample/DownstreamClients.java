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

/**
 * The HTTP clients of the two dependencies: the JDK's HttpClient over HTTP/1.1, with a connect timeout (its
 * {@code HttpConnectTimeoutException} proves the request was never sent) and a read timeout.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CheckoutProperties.class)
class DownstreamClients {

    @Bean
    PaymentClient paymentClient(RestClient.Builder builder, CheckoutProperties properties) {
        return new PaymentClient(client(builder, properties, properties.paymentsUrl()));
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
        return builder.clone().baseUrl(baseUrl.toString()).requestFactory(requests).build();
    }
}
