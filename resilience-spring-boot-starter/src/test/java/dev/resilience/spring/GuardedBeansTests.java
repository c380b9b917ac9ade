package dev.resilience.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.resilience.BreakerOpenException;
import dev.resilience.BreakerState;
import dev.resilience.CircuitBreaker;
import dev.resilience.GuardListener;
import dev.resilience.Outcome;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Retry;
import dev.resilience.test.ManualTimeSource;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The contract's composition guarantees, shown on Spring beans through real proxies. */
@SpringBootTest(classes = GuardedBeansTests.Application.class, properties = {
        "resilience.breaker.defaults.window-size=5",
        "resilience.breaker.defaults.minimum-calls=5",
        "resilience.breaker.defaults.failure-rate-threshold=100",
        "resilience.breaker.instances.payments.open-duration=30s",
        "resilience.breaker.instances.retry-first.open-duration=30s",
        "resilience.breaker.instances.breaker-first.open-duration=30s",
        "resilience.breaker.instances.quotes.open-duration=30s",
        "resilience.breaker.instances.probes.half-open-probes=2",
        "resilience.breaker.instances.wide.window-size=100",
        "resilience.breaker.instances.wide.minimum-calls=100",
        "resilience.breaker.instances.inventory.window-size=20",
        "resilience.breaker.instances.inventory.minimum-calls=20",
        "resilience.retry.defaults.jitter=0"})
class GuardedBeansTests {

    private static final long MS = 1_000_000L;

    @Autowired
    ManualTimeSource time;
    @Autowired
    BreakerRegistry registry;
    @Autowired
    PaymentClient payments;
    @Autowired
    RefundClient refunds;
    @Autowired
    RetryFirst retryFirst;
    @Autowired
    BreakerFirst breakerFirst;
    @Autowired
    Ledger ledger;
    @Autowired
    QuoteClient quotes;
    @Autowired
    InventoryClient inventory;
    @Autowired
    OrderClient orders;
    @Autowired
    RecordingListeners listeners;
    @Autowired
    ProbeClient probes;

    @BeforeEach
    void startClean() {
        registry.all().forEach(CircuitBreaker::reset);
        time.clear();
        Counter.resetAll();
        ledger.clear();
        quotes.clear();
        listeners.clear();
        probes.clear();
    }

    @Test
    void againstAnAlwaysFailingMethodExactlyWindowSizeCallsRunBeforeTheFirstRejection() {
        // given a breaker with window-size = minimum-calls = 5 and a 100 % threshold, and @Retry(maxAttempts = 3)

        // when
        Throwable first = catchThrowable(payments::charge);
        Throwable second = catchThrowable(payments::charge);
        Throwable third = catchThrowable(payments::charge);

        // then: 3 attempts, then 2 attempts after which the breaker opens and the retry is refused at once
        assertThat(first).isInstanceOf(IllegalStateException.class).hasMessage("payments is down");
        assertThat(second).isInstanceOf(BreakerOpenException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(third).isInstanceOf(BreakerOpenException.class);
        assertThat(PaymentClient.CALLS.get()).isEqualTo(5);
        assertThat(registry.breaker("payments").state()).isEqualTo(BreakerState.OPEN);
        assertThat(registry.breaker("payments").snapshot().failedCalls()).isEqualTo(5);
        assertThat(time.sleeps()).containsExactly(100 * MS, 200 * MS, 100 * MS);
    }

    @Test
    void aRejectionSaysHowLongUntilTheBreakerAdmitsAProbe() {
        // given an open breaker, 10 s into its 30 s
        for (int call = 0; call < 2; call++) {
            catchThrowable(payments::charge);
        }
        time.advance(Duration.ofSeconds(10));

        // when
        Throwable thrown = catchThrowable(payments::charge);

        // then
        assertThat(thrown).isInstanceOf(BreakerOpenException.class).isInstanceOf(RuntimeException.class);
        assertThat(((BreakerOpenException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(thrown.getMessage()).contains("payments");
    }

    @Test
    void halfOpenAdmitsAtMostTheConfiguredProbesWhateverTheCallersAndRetries() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 10; round++) {
                // given a breaker that opened and whose open duration has passed
                registry.breaker("probes").reset();
                probes.clear();
                for (int call = 0; call < 5; call++) {
                    catchThrowable(probes::call);
                }
                int beforeProbes = probes.entered();
                time.advance(Duration.ofSeconds(31));
                probes.holdCallers();

                // when 16 callers, each with 3 attempts, arrive together
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Throwable>> results = new ArrayList<>();
                for (int caller = 0; caller < 16; caller++) {
                    results.add(callers.submit(() -> {
                        start.await();
                        return catchThrowable(probes::call);
                    }));
                }
                start.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        probes.entered() - beforeProbes + results.stream().filter(Future::isDone).count() >= 16);
                int probesInFlight = probes.entered() - beforeProbes;
                probes.releaseCallers();
                for (Future<Throwable> result : results) {
                    assertThat(result.get(10, TimeUnit.SECONDS)).isNotNull();
                }

                // then exactly 2 calls reached the method, and no retry of theirs did
                assertThat(probesInFlight).isEqualTo(2);
                assertThat(probes.entered() - beforeProbes).isEqualTo(2);
                assertThat(registry.breaker("probes").state()).isEqualTo(BreakerState.OPEN);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aClosedBreakerNeverLimitsHowManyCallsRunAtOnceAndRacingFirstCallsBuildOneGuard() throws Exception {
        // given a method whose calls each wait until 16 of them are running together
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            probes.awaitTogether(callers);
            List<Future<String>> results = new ArrayList<>();

            // when
            for (int caller = 0; caller < callers; caller++) {
                results.add(pool.submit(probes::together));
            }

            // then every call ran, all at once
            for (Future<String> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("together");
            }
            assertThat(registry.breaker("wide").snapshot().bufferedCalls()).isEqualTo(callers);
            assertThat(listeners.methods()).as("listener factory asked once, though the first calls raced")
                    .filteredOn(method -> method.methodTag().equals("ProbeClient.together")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectionIsNotRetriedAndFailsWithoutWaiting() {
        // given
        registry.breaker("payments").forceOpen();
        long before = time.nanoTime();

        // when
        Throwable thrown = catchThrowable(payments::charge);

        // then
        assertThat(thrown).isInstanceOf(BreakerOpenException.class);
        assertThat(((BreakerOpenException) thrown).breakerName()).isEqualTo("payments");
        assertThat(PaymentClient.CALLS.get()).isZero();
        assertThat(time.sleeps()).isEmpty();
        assertThat(time.nanoTime()).isEqualTo(before);
    }

    @Test
    void theRetryWrapsTheBreakerWhateverTheOrderOfTheAnnotations() {
        // when
        for (int call = 0; call < 3; call++) {
            catchThrowable(retryFirst::call);
            catchThrowable(breakerFirst::call);
        }

        // then: both count every attempt in their breaker and stop at exactly 5
        assertThat(RetryFirst.CALLS.get()).isEqualTo(5);
        assertThat(BreakerFirst.CALLS.get()).isEqualTo(5);
        assertThat(registry.breaker("retry-first").snapshot().failedCalls()).isEqualTo(5);
        assertThat(registry.breaker("breaker-first").snapshot().failedCalls()).isEqualTo(5);
        assertThat(registry.breaker("retry-first").state()).isEqualTo(BreakerState.OPEN);
        assertThat(registry.breaker("breaker-first").state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void eachAttemptRunsInATransactionOfItsOwn() {
        // given a @Transactional @Retry method that inserts a row, then fails twice and succeeds the third time

        // when
        ledger.record("order-1");

        // then: the two failed attempts were rolled back, the third committed
        assertThat(ledger.completions()).containsExactly(TransactionSynchronization.STATUS_ROLLED_BACK,
                TransactionSynchronization.STATUS_ROLLED_BACK, TransactionSynchronization.STATUS_COMMITTED);
        assertThat(ledger.rows()).isEqualTo(1);
        assertThat(ledger.attempts()).isEqualTo(3);
    }

    @Test
    void twoBeansNamingTheSameBreakerShareIt() {
        // when: five failures through one bean
        for (int call = 0; call < 5; call++) {
            catchThrowable(refunds::refund);
        }
        Throwable charge = catchThrowable(payments::charge);

        // then: the other bean is rejected by the same breaker
        assertThat(RefundClient.CALLS.get()).isEqualTo(5);
        assertThat(charge).isInstanceOf(BreakerOpenException.class);
        assertThat(PaymentClient.CALLS.get()).isZero();
        assertThat(registry.all()).filteredOn(breaker -> breaker.name().equals("payments")).hasSize(1);
    }

    @Test
    void anAsynchronousMethodIsRecordedOnCompletionAndRetriedWithoutBlocking() {
        // given
        CircuitBreaker breaker = registry.breaker("quotes");

        // when the method returns a stage that has not completed
        CompletableFuture<String> result = quotes.quote("ACME").toCompletableFuture();

        // then nothing is recorded yet
        assertThat(result).isNotDone();
        assertThat(breaker.snapshot().bufferedCalls()).isZero();

        // when the first attempt fails
        quotes.pending(0).completeExceptionally(new IOException("quotes are down"));

        // then it is recorded, and the retry is scheduled, not slept for
        assertThat(breaker.snapshot().failedCalls()).isEqualTo(1);
        assertThat(quotes.calls()).isEqualTo(1);
        assertThat(time.pendingTasks()).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();

        // when the wait has passed and the second attempt succeeds
        time.advance(Duration.ofMillis(99));
        assertThat(quotes.calls()).isEqualTo(1);
        time.advance(Duration.ofMillis(1));
        quotes.pending(1).complete("42");

        // then
        assertThat(quotes.calls()).isEqualTo(2);
        assertThat(result).isCompletedWithValue("42");
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(2);
    }

    @Test
    void anAsynchronousMethodCompletedOnAnotherThreadIsRecordedThere() {
        // given
        CircuitBreaker breaker = registry.breaker("quotes");
        CompletableFuture<String> result = quotes.quote("ACME").toCompletableFuture();

        // when the stage completes on another thread
        CompletableFuture.runAsync(() -> quotes.pending(0).complete("7"));

        // then
        await().atMost(Duration.ofSeconds(5)).until(result::isDone);
        assertThat(result).isCompletedWithValue("7");
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(1);
        assertThat(breaker.snapshot().failedCalls()).isZero();
    }

    @Test
    void anAsynchronousMethodRejectedByItsBreakerCompletesExceptionallyAtOnce() {
        // given
        registry.breaker("quotes").forceOpen();

        // when
        CompletableFuture<String> result = quotes.quote("ACME").toCompletableFuture();

        // then
        assertThat(result).isCompletedExceptionally();
        assertThat(catchThrowable(result::join)).hasCauseInstanceOf(BreakerOpenException.class);
        assertThat(quotes.calls()).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void theTypesAnnotationsApplyToItsPublicMethodsAndAMethodsOwnAnnotationWins() {
        // when
        Throwable fromTypeLevel = catchThrowable(inventory::stock);
        Throwable fromOwn = catchThrowable(inventory::reserve);
        Throwable fromPackagePrivate = catchThrowable(inventory::audit);

        // then
        assertThat(fromTypeLevel).isInstanceOf(IllegalStateException.class);
        assertThat(fromOwn).isInstanceOf(IllegalStateException.class);
        assertThat(fromPackagePrivate).isInstanceOf(IllegalStateException.class);
        assertThat(InventoryClient.STOCK.get()).isEqualTo(2);
        assertThat(InventoryClient.RESERVE.get()).isEqualTo(4);
        assertThat(InventoryClient.AUDIT.get()).isEqualTo(1);
        assertThat(registry.breaker("inventory").snapshot().failedCalls()).isEqualTo(6);
    }

    @Test
    void theTypesAnnotationsLeaveToStringAloneSoThatLoggingABeanWorksWhileItsBreakerIsOpen() {
        // given
        registry.breaker("inventory").forceOpen();

        // when
        String described = inventory.toString();

        // then
        assertThat(described).isEqualTo("InventoryClient");
        assertThat(registry.breaker("inventory").snapshot().rejectedCalls()).isZero();
    }

    @Test
    void aNonIdempotentMethodIsRetriedOnlyWhenTheRequestWasNeverSent() throws Exception {
        // given
        ConnectException refused = new ConnectException("connection refused");
        IOException reset = new IOException("connection reset");

        // when
        Throwable neverSent = catchThrowable(() -> orders.post(refused));
        int afterNeverSent = OrderClient.CALLS.getAndSet(0);
        Throwable maybeSent = catchThrowable(() -> orders.post(reset));

        // then: the caller gets the failure itself, unwrapped
        assertThat(neverSent).isSameAs(refused);
        assertThat(afterNeverSent).isEqualTo(3);
        assertThat(maybeSent).isSameAs(reset);
        assertThat(OrderClient.CALLS.get()).isEqualTo(1);
    }

    @Test
    void listenerFactoriesSeeTheUserClassAndOneThrowingListenerDoesNotStopTheOthers() {
        // when
        catchThrowable(refunds::refund);

        // then
        assertThat(AopUtils.isCglibProxy(refunds)).isTrue();
        assertThat(listeners.methods()).extracting(GuardedMethod::methodTag).contains("RefundClient.refund");
        GuardedMethod refund = listeners.methods().stream()
                .filter(method -> method.methodTag().equals("RefundClient.refund")).findFirst().orElseThrow();
        assertThat(refund.breakerTag()).isEqualTo("payments");
        assertThat(refund.targetClass()).isEqualTo(RefundClient.class);
        assertThat(listeners.outcomes()).containsExactly("attempt:failure", "operation:failure");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableTransactionManagement
    static class Application {

        @Bean
        ManualTimeSource fakeTimeSource() {
            return new ManualTimeSource();
        }

        @Bean
        DataSource dataSource() {
            return new DriverManagerDataSource("jdbc:h2:mem:guarded-beans;DB_CLOSE_DELAY=-1", "sa", "");
        }

        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }

        @Bean
        Ledger ledger(DataSource dataSource) {
            return new Ledger(new JdbcTemplate(dataSource));
        }

        @Bean
        PaymentClient paymentClient() {
            return new PaymentClient();
        }

        @Bean
        RefundClient refundClient() {
            return new RefundClient();
        }

        @Bean
        RetryFirst retryFirst() {
            return new RetryFirst();
        }

        @Bean
        BreakerFirst breakerFirst() {
            return new BreakerFirst();
        }

        @Bean
        QuoteClient quoteClient() {
            return new QuoteClient();
        }

        @Bean
        InventoryClient inventoryClient() {
            return new InventoryClient();
        }

        @Bean
        OrderClient orderClient() {
            return new OrderClient();
        }

        @Bean
        ProbeClient probeClient() {
            return new ProbeClient();
        }

        @Bean
        RecordingListeners recordingListeners() {
            return new RecordingListeners();
        }

        @Bean
        @Order(1)
        GuardListenerFactory brokenListeners() {
            return method -> !method.methodTag().equals("RefundClient.refund") ? GuardListener.NONE : new GuardListener() {
                @Override
                public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
                    throw new IllegalStateException("a broken listener");
                }

                @Override
                public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos,
                        Throwable failure) {
                    throw new IllegalStateException("a broken listener");
                }
            };
        }
    }

    static final class Counter {

        private static final List<AtomicInteger> ALL = new CopyOnWriteArrayList<>();

        private Counter() {
        }

        static AtomicInteger create() {
            AtomicInteger counter = new AtomicInteger();
            ALL.add(counter);
            return counter;
        }

        static void resetAll() {
            ALL.forEach(counter -> counter.set(0));
        }
    }

    static class PaymentClient {
        static final AtomicInteger CALLS = Counter.create();

        @Breaker("payments")
        @Retry(maxAttempts = 3, idempotent = true)
        public String charge() {
            CALLS.incrementAndGet();
            throw new IllegalStateException("payments is down");
        }
    }

    static class RefundClient {
        static final AtomicInteger CALLS = Counter.create();

        @Breaker("payments")
        public String refund() {
            CALLS.incrementAndGet();
            throw new IllegalStateException("payments is down");
        }
    }

    static class RetryFirst {
        static final AtomicInteger CALLS = Counter.create();

        @Retry(maxAttempts = 3, idempotent = true)
        @Breaker("retry-first")
        public String call() {
            CALLS.incrementAndGet();
            throw new IllegalStateException("down");
        }
    }

    static class BreakerFirst {
        static final AtomicInteger CALLS = Counter.create();

        @Breaker("breaker-first")
        @Retry(maxAttempts = 3, idempotent = true)
        public String call() {
            CALLS.incrementAndGet();
            throw new IllegalStateException("down");
        }
    }

    static class Ledger {
        private final JdbcTemplate jdbc;
        private final AtomicInteger attempts = new AtomicInteger();
        private final List<Integer> completions = new CopyOnWriteArrayList<>();

        Ledger(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
            jdbc.execute("create table if not exists ledger (id varchar(40))");
        }

        @Retry(maxAttempts = 3, idempotent = true)
        @Transactional
        public void record(String id) {
            assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    completions.add(status);
                }
            });
            jdbc.update("insert into ledger (id) values (?)", id);
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("the ledger is busy");
            }
        }

        int attempts() {
            return attempts.get();
        }

        List<Integer> completions() {
            return List.copyOf(completions);
        }

        int rows() {
            return jdbc.queryForObject("select count(*) from ledger", Integer.class);
        }

        void clear() {
            jdbc.update("delete from ledger");
            attempts.set(0);
            completions.clear();
        }
    }

    static class QuoteClient {
        private final List<CompletableFuture<String>> pending = new CopyOnWriteArrayList<>();

        @Breaker("quotes")
        @Retry(maxAttempts = 3, idempotent = true)
        public CompletionStage<String> quote(String symbol) {
            CompletableFuture<String> future = new CompletableFuture<>();
            pending.add(future);
            return future;
        }

        int calls() {
            return pending.size();
        }

        CompletableFuture<String> pending(int attempt) {
            return pending.get(attempt);
        }

        void clear() {
            pending.clear();
        }
    }

    @Breaker("inventory")
    @Retry(maxAttempts = 2, idempotent = true)
    static class InventoryClient {
        static final AtomicInteger STOCK = Counter.create();
        static final AtomicInteger RESERVE = Counter.create();
        static final AtomicInteger AUDIT = Counter.create();

        public String stock() {
            STOCK.incrementAndGet();
            throw new IllegalStateException("inventory is down");
        }

        @Retry(maxAttempts = 4, idempotent = true)
        public String reserve() {
            RESERVE.incrementAndGet();
            throw new IllegalStateException("inventory is down");
        }

        String audit() {
            AUDIT.incrementAndGet();
            throw new IllegalStateException("inventory is down");
        }

        @Override
        public String toString() {
            return "InventoryClient";
        }
    }

    static class OrderClient {
        static final AtomicInteger CALLS = Counter.create();

        @Retry(maxAttempts = 3)
        public String post(Exception failure) throws Exception {
            CALLS.incrementAndGet();
            throw failure;
        }
    }

    static class ProbeClient {
        private final AtomicInteger entered = new AtomicInteger();
        private volatile CountDownLatch hold = new CountDownLatch(0);

        @Retry(maxAttempts = 3, idempotent = true)
        @Breaker("probes")
        public String call() throws InterruptedException {
            entered.incrementAndGet();
            hold.await();
            throw new IllegalStateException("probes are down");
        }

        private volatile CountDownLatch together = new CountDownLatch(0);

        @Breaker("wide")
        public String together() throws InterruptedException {
            together.countDown();
            if (!together.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the calls did not all run at once");
            }
            return "together";
        }

        void awaitTogether(int calls) {
            together = new CountDownLatch(calls);
        }

        int entered() {
            return entered.get();
        }

        void holdCallers() {
            hold = new CountDownLatch(1);
        }

        void releaseCallers() {
            hold.countDown();
        }

        void clear() {
            hold.countDown();
            hold = new CountDownLatch(0);
            entered.set(0);
        }
    }

    @Order(2)
    static class RecordingListeners implements GuardListenerFactory {
        private final List<GuardedMethod> methods = new CopyOnWriteArrayList<>();
        private final List<String> outcomes = new CopyOnWriteArrayList<>();

        @Override
        public GuardListener create(GuardedMethod method) {
            methods.add(method);
            if (!method.methodTag().equals("RefundClient.refund")) {
                return GuardListener.NONE;
            }
            return new GuardListener() {
                @Override
                public void onAttempt(int attempt, Outcome outcome, long nanos, Throwable failure) {
                    outcomes.add("attempt:" + outcome.tag());
                }

                @Override
                public void onOperation(Outcome outcome, int attempts, boolean retried, long nanos,
                        Throwable failure) {
                    outcomes.add("operation:" + outcome.tag());
                }
            };
        }

        List<GuardedMethod> methods() {
            return List.copyOf(methods);
        }

        List<String> outcomes() {
            return List.copyOf(outcomes);
        }

        void clear() {
            outcomes.clear();
        }
    }

}
