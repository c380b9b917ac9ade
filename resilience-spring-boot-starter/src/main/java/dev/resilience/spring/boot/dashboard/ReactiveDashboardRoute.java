package dev.resilience.spring.boot.dashboard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The page in a WebFlux application: a route that the context's {@code RouterFunctionMapping} picks up. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
class ReactiveDashboardRoute {

    @Bean(DashboardManagementContextConfiguration.ROUTE)
    @ConditionalOnMissingBean(name = DashboardManagementContextConfiguration.ROUTE, search = SearchStrategy.CURRENT)
    RouterFunction<ServerResponse> resilienceDashboardRoute(ObjectProvider<WebEndpointProperties> endpoints) {
        DashboardPage page = DashboardPage.of(endpoints.getIfAvailable());
        return RouterFunctions.route()
                .GET(DashboardPage.PATH, request -> ServerResponse.ok()
                        .contentType(DashboardPage.MEDIA_TYPE)
                        .cacheControl(DashboardPage.CACHE_CONTROL)
                        .headers(headers -> headers.addAll(DashboardPage.HEADERS))
                        .bodyValue(page.html()))
                .build();
    }
}
