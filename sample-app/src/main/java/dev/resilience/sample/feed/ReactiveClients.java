package dev.resilience.sample.feed;

import dev.resilience.sample.CheckoutProperties;
import java.net.http.HttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The reactive client of the prices service: a {@code WebClient} over the JDK's HttpClient, with the same connect
 * timeout (its {@code HttpConnectTimeoutException} proves the request was never sent) and read timeout as the
 * blocking clients.
 */
@Configuration(proxyBeanMethods = false)
class ReactiveClients {

    @Bean
    PriceFeed priceFeed(CheckoutProperties properties) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
        JdkClientHttpConnector connector = new JdkClientHttpConnector(http);
        connector.setReadTimeout(properties.readTimeout());
        return new PriceFeed(WebClient.builder().baseUrl(properties.pricesUrl().toString())
                .clientConnector(connector).build());
    }
}
