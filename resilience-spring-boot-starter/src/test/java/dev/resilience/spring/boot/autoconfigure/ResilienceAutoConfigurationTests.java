package dev.resilience.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.BreakerConfig;
import dev.resilience.CircuitBreaker;
import dev.resilience.RetryDefaults;
import dev.resilience.TimeSource;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.BreakerRegistry;
import dev.resilience.spring.aop.ResilienceAdvisor;
import dev.resilience.spring.boot.task.ApplicationTimeSource;
import dev.resilience.test.ManualTimeSource;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ResilienceAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @Test
    void withoutPropertiesEveryValueIsTheContractDefault() {
        runner.run(context -> {
            ResilienceProperties properties = context.getBean(ResilienceProperties.class);

            BreakerConfig defaults = ResilienceSettings.defaultBreaker(properties);
            RetryDefaults retry = ResilienceSettings.retryDefaults(properties);

            assertThat(properties.getBreaker().isRequireDeclared()).isTrue();
            assertThat(defaults.windowType()).isEqualTo(BreakerConfig.WindowType.COUNT);
            assertThat(defaults.windowSize()).isEqualTo(100);
            assertThat(defaults.windowDuration()).isEqualTo(Duration.ofSeconds(60));
            assertThat(defaults.minimumCalls()).isEqualTo(20);
            assertThat(defaults.failureRateThreshold()).isEqualTo(50.0);
            assertThat(defaults.slowCallDuration()).isEqualTo(Duration.ofSeconds(60));
            assertThat(defaults.slowCallRateThreshold()).isEqualTo(100.0);
            assertThat(defaults.openDuration()).isEqualTo(Duration.ofSeconds(30));
            assertThat(defaults.halfOpenProbes()).isEqualTo(5);
            assertThat(defaults.recordExceptions()).isEmpty();
            assertThat(defaults.ignoreExceptions()).isEmpty();
            assertThat(defaults.outOfServiceWhenOpen()).isFalse();
            assertThat(defaults).as("the properties' defaults are the core's, key for key")
                    .isEqualTo(BreakerConfig.defaults());
            assertThat(retry).isEqualTo(RetryDefaults.standard());
            assertThat(context.getBean(TimeSource.class)).isInstanceOf(ApplicationTimeSource.class);
            assertThat(context.getBean(BreakerRegistry.class).all()).isEmpty();
        });
    }

    @Test
    void anInstanceOverridesOnlyTheKeysItSets() {
        runner.withPropertyValues(
                "resilience.breaker.defaults.window-size=10",
                "resilience.breaker.defaults.minimum-calls=5",
                "resilience.breaker.defaults.open-duration=500ms",
                "resilience.breaker.defaults.record-exceptions=java.io.IOException",
                "resilience.breaker.instances.payments.failure-rate-threshold=25",
                "resilience.breaker.instances.payments.window-type=time",
                "resilience.breaker.instances.payments.window-duration=10s",
                "resilience.breaker.instances.payments.ignore-exceptions[0]=java.util.concurrent.TimeoutException",
                "resilience.breaker.instances.payments.out-of-service-when-open=true",
                "resilience.breaker.instances.search.half-open-probes=2")
                .run(context -> {
                    BreakerRegistry registry = context.getBean(BreakerRegistry.class);

                    BreakerConfig payments = registry.breaker("payments").config();
                    BreakerConfig search = registry.breaker("search").config();

                    assertThat(payments.failureRateThreshold()).isEqualTo(25.0);
                    assertThat(payments.windowType()).isEqualTo(BreakerConfig.WindowType.TIME);
                    assertThat(payments.windowDuration()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(payments.ignoreExceptions()).containsExactly(TimeoutException.class);
                    assertThat(payments.outOfServiceWhenOpen()).isTrue();
                    assertThat(payments.windowSize()).isEqualTo(10);
                    assertThat(payments.minimumCalls()).isEqualTo(5);
                    assertThat(payments.openDuration()).isEqualTo(Duration.ofMillis(500));
                    assertThat(payments.recordExceptions()).containsExactly(IOException.class);
                    assertThat(search.halfOpenProbes()).isEqualTo(2);
                    assertThat(search.failureRateThreshold()).isEqualTo(50.0);
                    assertThat(search.outOfServiceWhenOpen()).isFalse();
                });
    }

    @Test
    void everyKeyOfTheDefaultsCanBeOverriddenByAnInstance() {
        runner.withPropertyValues(
                "resilience.breaker.instances.payments.window-type=time",
                "resilience.breaker.instances.payments.window-size=10",
                "resilience.breaker.instances.payments.window-duration=10s",
                "resilience.breaker.instances.payments.minimum-calls=4",
                "resilience.breaker.instances.payments.failure-rate-threshold=25",
                "resilience.breaker.instances.payments.slow-call-duration=2s",
                "resilience.breaker.instances.payments.slow-call-rate-threshold=75",
                "resilience.breaker.instances.payments.open-duration=5s",
                "resilience.breaker.instances.payments.half-open-probes=2",
                "resilience.breaker.instances.payments.half-open-max-wait=15s",
                "resilience.breaker.instances.payments.record-exceptions=java.io.IOException",
                "resilience.breaker.instances.payments.ignore-exceptions=java.util.concurrent.TimeoutException",
                "resilience.breaker.instances.payments.out-of-service-when-open=true")
                .run(context -> {
                    // when
                    BreakerConfig payments = context.getBean(BreakerRegistry.class).breaker("payments").config();

                    // then
                    assertThat(payments).usingRecursiveComparison().isEqualTo(BreakerConfig.builder()
                            .windowType(BreakerConfig.WindowType.TIME).windowSize(10)
                            .windowDuration(Duration.ofSeconds(10)).minimumCalls(4).failureRateThreshold(25)
                            .slowCallDuration(Duration.ofSeconds(2)).slowCallRateThreshold(75)
                            .openDuration(Duration.ofSeconds(5)).halfOpenProbes(2)
                            .halfOpenMaxWait(Duration.ofSeconds(15)).recordExceptions(List.of(IOException.class))
                            .ignoreExceptions(List.of(TimeoutException.class)).outOfServiceWhenOpen(true).build());
                });
    }

    @Test
    void anInstanceHasExactlyTheKeysOfTheDefaults() {
        // the failure analyzer lists and suggests an instance's keys from the defaults' class
        assertThat(writableProperties(ResilienceProperties.BreakerInstance.class))
                .isEqualTo(writableProperties(ResilienceProperties.BreakerDefaults.class))
                .hasSize(13);
    }

    private static Set<String> writableProperties(Class<?> type) {
        return Arrays.stream(BeanUtils.getPropertyDescriptors(type))
                .filter(property -> property.getWriteMethod() != null)
                .map(PropertyDescriptor::getName)
                .collect(Collectors.toSet());
    }

    @Test
    void anInstanceWithNoKeysIsDeclaredOnTheDefaults() {
        // given what YAML gives for "search: {}" or "search:"
        runner.withPropertyValues("resilience.breaker.instances.search=",
                        "resilience.breaker.defaults.open-duration=5s")
                .run(context -> {
                    // when
                    Optional<CircuitBreaker> search = context.getBean(BreakerRegistry.class).find("search");

                    // then
                    assertThat(search).get().extracting(breaker -> breaker.config().openDuration())
                            .isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void retryDefaultsAndNeverSentExceptionsBind() {
        runner.withPropertyValues(
                "resilience.retry.defaults.delay=200ms",
                "resilience.retry.defaults.max-delay=2s",
                "resilience.retry.defaults.multiplier=3",
                "resilience.retry.defaults.jitter=0",
                "resilience.retry.never-sent-exceptions=java.net.SocketTimeoutException")
                .run(context -> {
                    RetryDefaults retry = ResilienceSettings.retryDefaults(context.getBean(ResilienceProperties.class));

                    assertThat(retry).isEqualTo(new RetryDefaults(Duration.ofMillis(200), Duration.ofSeconds(2), 3.0,
                            0.0, List.of(SocketTimeoutException.class)));
                });
    }

    @Test
    void theBoundRetryDefaultsAndNeverSentExceptionsDriveTheGuards() {
        ManualTimeSource time = new ManualTimeSource();
        runner.withPropertyValues("resilience.retry.defaults.delay=200ms",
                        "resilience.retry.defaults.multiplier=3",
                        "resilience.retry.defaults.jitter=0",
                        "resilience.retry.never-sent-exceptions=java.net.SocketTimeoutException")
                .withBean(TimeSource.class, () -> time)
                .withBean(MailClient.class)
                .run(context -> {
                    // given a method that is not idempotent
                    MailClient client = context.getBean(MailClient.class);

                    // when it fails with the listed type in the cause chain, then with another type
                    Throwable neverSent = catchThrowable(() -> client.send(new SocketTimeoutException("no answer")));
                    int callsNeverSent = client.calls();
                    Throwable maybeSent = catchThrowable(() -> client.send(new IOException("reset")));

                    // then only the first is retried, with the bound delay and multiplier
                    assertThat(neverSent).isInstanceOf(IllegalStateException.class)
                            .hasCauseInstanceOf(SocketTimeoutException.class);
                    assertThat(callsNeverSent).isEqualTo(3);
                    assertThat(time.sleeps()).containsExactly(200_000_000L, 600_000_000L);
                    assertThat(maybeSent).hasCauseInstanceOf(IOException.class);
                    assertThat(client.calls()).isEqualTo(4);
                });
    }

    @Test
    void theRegistryListsBreakersSortedByNameAndNamesTheKnownOnesForAnUnknownName() {
        runner.withPropertyValues(
                "resilience.breaker.instances.search.window-size=50",
                "resilience.breaker.instances.payments.window-size=50",
                "resilience.breaker.instances.inventory.window-size=50")
                .run(context -> {
                    BreakerRegistry registry = context.getBean(BreakerRegistry.class);

                    Collection<CircuitBreaker> all = registry.all();
                    Optional<CircuitBreaker> missing = registry.find("paymnets");
                    Throwable unknown = catchThrowable(() -> registry.breaker("paymnets"));

                    assertThat(all).extracting(CircuitBreaker::name).containsExactly("inventory", "payments", "search");
                    assertThat(missing).isEmpty();
                    assertThat(unknown).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("'paymnets'")
                            .hasMessageContaining("[inventory, payments, search]");
                    assertThat(registry.all()).hasSize(3);
                    assertThatIllegalArgumentException().isThrownBy(() -> registry.breaker(null));
                });
    }

    @Test
    void anUndeclaredBreakerRunsOnTheDefaultsFromStartupWhenDeclarationIsNotRequired() {
        runner.withPropertyValues(
                "resilience.breaker.require-declared=false",
                "resilience.breaker.defaults.failure-rate-threshold=30")
                .withBean(InventoryClient.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    BreakerRegistry registry = context.getBean(BreakerRegistry.class);

                    CircuitBreaker inventory = registry.breaker("inventory");

                    assertThat(inventory.config().failureRateThreshold()).isEqualTo(30.0);
                    assertThat(inventory.snapshot().bufferedCalls()).isZero();
                });
    }

    @Test
    void everyBreakerNamedByAnAnnotationExistsBeforeAnyCall() {
        runner.withPropertyValues("resilience.breaker.instances.inventory.window-size=10",
                        "resilience.breaker.instances.inventory.minimum-calls=10")
                .withBean(InventoryClient.class)
                .run(context -> {
                    InventoryClient client = context.getBean(InventoryClient.class);

                    assertThat(AopUtils.isAopProxy(client)).isTrue();
                    assertThat(context.getBean(BreakerRegistry.class).all())
                            .extracting(CircuitBreaker::name).containsExactly("inventory");
                    assertThat(client.calls()).isZero();
                });
    }

    @Test
    void aUserRegistryReplacesTheStartersAndGuardsUseItsBreakers() {
        CircuitBreaker inventory = CircuitBreaker.of("inventory", BreakerConfig.defaults());
        BreakerRegistry own = new FixedRegistry(inventory);
        runner.withBean(BreakerRegistry.class, () -> own)
                .withBean(InventoryClient.class)
                .run(context -> {
                    InventoryClient client = context.getBean(InventoryClient.class);
                    inventory.forceOpen();

                    Throwable thrown = catchThrowable(client::stock);

                    assertThat(context.getBean(BreakerRegistry.class)).isSameAs(own);
                    assertThat(thrown).isInstanceOf(dev.resilience.BreakerOpenException.class);
                    assertThat(client.calls()).isZero();
                });
    }

    @Test
    void aUserTimeSourceReplacesTheStartersAndGuardsWaitOnIt() {
        ManualTimeSource time = new ManualTimeSource();
        runner.withPropertyValues("resilience.retry.defaults.jitter=0",
                        "resilience.breaker.instances.inventory.window-size=10",
                        "resilience.breaker.instances.inventory.minimum-calls=10")
                .withBean(TimeSource.class, () -> time)
                .withBean(InventoryClient.class)
                .run(context -> {
                    InventoryClient client = context.getBean(InventoryClient.class);

                    Throwable thrown = catchThrowable(client::stock);

                    assertThat(context.getBean(TimeSource.class)).isSameAs(time);
                    assertThat(thrown).isInstanceOf(IllegalStateException.class);
                    assertThat(client.calls()).isEqualTo(3);
                    assertThat(time.sleeps()).containsExactly(100_000_000L, 200_000_000L);
                });
    }

    @Test
    void aBeanProxiedThroughItsInterfaceIsGuardedToo() {
        runner.withPropertyValues("resilience.breaker.instances.stock.window-size=10",
                        "resilience.breaker.instances.stock.minimum-calls=10")
                .withBean(Stock.class, StockClient::new)
                .run(context -> {
                    Stock stock = context.getBean(Stock.class);

                    Throwable thrown = catchThrowable(stock::level);

                    assertThat(AopUtils.isJdkDynamicProxy(stock)).isTrue();
                    assertThat(thrown).isInstanceOf(IllegalStateException.class);
                    assertThat(context.getBean(BreakerRegistry.class).breaker("stock").snapshot().failedCalls())
                            .isEqualTo(1);
                });
    }

    @Test
    void anInheritedMethodTakesTheAnnotationOfTheClassThatDeclaresItAndEachClassGuardsWhatItDeclares() {
        runner.withPropertyValues("resilience.breaker.instances.east.window-size=10",
                        "resilience.breaker.instances.east.minimum-calls=10",
                        "resilience.breaker.instances.west.window-size=10",
                        "resilience.breaker.instances.west.minimum-calls=10",
                        "resilience.breaker.instances.regions.window-size=10",
                        "resilience.breaker.instances.regions.minimum-calls=10")
                .withBean(EastClient.class)
                .withBean(WestClient.class)
                .run(context -> {
                    BreakerRegistry registry = context.getBean(BreakerRegistry.class);

                    catchThrowable(context.getBean(EastClient.class)::call);
                    catchThrowable(context.getBean(WestClient.class)::call);
                    catchThrowable(context.getBean(WestClient.class)::call);
                    catchThrowable(context.getBean(EastClient.class)::local);

                    assertThat(registry.breaker("regions").snapshot().failedCalls()).isEqualTo(3);
                    assertThat(registry.breaker("east").snapshot().failedCalls()).isEqualTo(1);
                    assertThat(registry.breaker("west").snapshot().bufferedCalls()).isZero();
                });
    }

    @Test
    void theAdvisorSitsOutsideTransactionsByDefault() {
        runner.run(context -> assertThat(context.getBean(ResilienceAdvisor.class).getOrder())
                .isEqualTo(ResilienceAdvisor.DEFAULT_ORDER)
                .isEqualTo(org.springframework.core.Ordered.LOWEST_PRECEDENCE - 1000)
                .isLessThan(org.springframework.core.Ordered.LOWEST_PRECEDENCE));
    }

    static class InventoryClient {

        private int calls;

        int calls() {
            return calls;
        }

        @Breaker("inventory")
        @Retry(maxAttempts = 3, idempotent = true)
        public String stock() {
            calls++;
            throw new IllegalStateException("inventory is down");
        }
    }

    static class MailClient {

        private int calls;

        @Retry(maxAttempts = 3)
        public void send(Exception cause) {
            calls++;
            throw new IllegalStateException("mail not sent", cause);
        }

        int calls() {
            return calls;
        }
    }

    @Breaker("regions")
    abstract static class RegionClient {

        public String call() {
            throw new IllegalStateException("the region is down");
        }
    }

    @Breaker("east")
    static class EastClient extends RegionClient {

        public String local() {
            throw new IllegalStateException("the east is down");
        }
    }

    @Breaker("west")
    static class WestClient extends RegionClient {
    }

    interface Stock {
        int level();
    }

    static class StockClient implements Stock {

        @Override
        @Breaker("stock")
        public int level() {
            throw new IllegalStateException("stock is down");
        }
    }

    record FixedRegistry(CircuitBreaker only) implements BreakerRegistry {

        @Override
        public CircuitBreaker breaker(String name) {
            return find(name).orElseThrow(() -> new IllegalArgumentException(name));
        }

        @Override
        public Optional<CircuitBreaker> find(String name) {
            return only.name().equals(name) ? Optional.of(only) : Optional.empty();
        }

        @Override
        public Collection<CircuitBreaker> all() {
            return List.of(only);
        }
    }
}
