package dev.resilience.sample.kotlin

import dev.resilience.BreakerOpenException
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration
import dev.resilience.spring.boot.metrics.ResilienceMetricsAutoConfiguration
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import java.io.IOException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.catchThrowable
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.assertj.AssertableApplicationContext
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * Kotlin suspend functions and Flow, guarded through Spring's own coroutine adaptation: a suspend function like a
 * Mono of its result (each attempt runs its body again), a Flow like a Flux.
 */
internal class SuspendFunctionTests {

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration::class.java,
            ResilienceMetricsAutoConfiguration::class.java))
        .withPropertyValues("resilience.breaker.require-declared=false",
            "resilience.breaker.instances.carrier.window-size=5",
            "resilience.breaker.instances.carrier.minimum-calls=5",
            "resilience.breaker.instances.carrier.failure-rate-threshold=100",
            "resilience.retry.defaults.delay=1ms", "resilience.retry.defaults.jitter=0")
        .withBean(SimpleMeterRegistry::class.java)
        .withBean(CarrierClient::class.java)

    @Test
    fun aSuspendFunctionThatFailsTwiceThenSucceedsIsRetried() = run { client, meters ->
        // given
        client.failures.set(2)

        // when
        val quote = runBlocking { client.quote("p1") }

        // then
        assertThat(quote).isEqualTo("quote for p1")
        assertThat(client.calls).hasValue(3)
        assertThat(operations(meters, "CarrierClient.quote", "success", "true")).isEqualTo(1)
    }

    @Test
    fun aSuspendFunctionThatAlwaysFailsOpensTheBreakerAfterExactlyWindowSizeCalls() = run { client, _ ->
        // given a dependency that always fails, a window of 5 and 3 attempts per operation
        client.failures.set(Int.MAX_VALUE)

        // when
        val failures = (1..4).map { catchThrowable { runBlocking { client.quote("p$it") } } }

        // then: 3 attempts, then 2 before the breaker opens and rejects the retry, then rejections only
        assertThat(client.calls).hasValue(5)
        assertThat(failures[0]).isInstanceOf(IOException::class.java)
        assertThat(failures.drop(1)).allSatisfy { assertThat(it).isInstanceOf(BreakerOpenException::class.java) }
    }

    @Test
    fun aSuspendFunctionIsRecordedWhenItCompletesNotWhenItSuspends() = run { client, meters ->
        // given
        val gate = CompletableDeferred<String>()
        client.gate = gate

        runBlocking {
            // when the function suspends
            val pickup = async { client.waitForPickup() }
            while (client.calls.get() == 0) {
                yield()
            }

            // then nothing is recorded yet
            assertThat(operations(meters, "CarrierClient.waitForPickup", "success", "false")).isZero()

            // when it resumes and completes
            gate.complete("picked up")

            // then
            assertThat(pickup.await()).isEqualTo("picked up")
        }
        assertThat(operations(meters, "CarrierClient.waitForPickup", "success", "false")).isEqualTo(1)
    }

    @Test
    fun aFlowIsGuardedLikeAFluxEachRetryCollectingItAgain() = run { client, meters ->
        // given
        client.failures.set(1)

        // when
        val events = runBlocking { client.trackingEvents("p1").toList() }

        // then
        assertThat(events).containsExactly("p1 picked up", "p1 delivered")
        assertThat(client.collections).hasValue(2)
        assertThat(operations(meters, "CarrierClient.trackingEvents", "success", "true")).isEqualTo(1)
    }

    @Test
    fun aSuspendFunctionReturningAFlowIsGuardedLikeAFlux() = run { client, meters ->
        // given
        client.failures.set(1)

        // when
        val depots = runBlocking { client.depots().toList() }

        // then: each attempt ran the suspend function again (Spring's adaptation is a Mono of its call), and
        // collected the Flow it returned
        assertThat(depots).containsExactly("north", "south")
        assertThat(client.calls).hasValue(2)
        assertThat(client.collections).hasValue(2)
        assertThat(operations(meters, "CarrierClient.depots", "success", "true")).isEqualTo(1)
    }

    @Test
    fun aFallbackOnASuspendFunctionFailsStartupNamingIt() {
        ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration::class.java))
            .withPropertyValues("resilience.breaker.require-declared=false")
            .withBean(CarrierWithFallback::class.java)
            .run { context ->
                assertThat(context).hasFailed()
                assertThat(context.startupFailure).rootCause().hasMessage("@Fallback on CarrierWithFallback.quote"
                    + " cannot answer for it: CarrierWithFallback.quote is a Kotlin suspend function, and a fallback"
                    + " runs outside Spring's adaptation of suspend functions.")
            }
    }

    private fun run(test: (CarrierClient, MeterRegistry) -> Unit) {
        runner.run { context: AssertableApplicationContext ->
            assertThat(context).hasNotFailed()
            test(context.getBean(CarrierClient::class.java), context.getBean(MeterRegistry::class.java))
        }
    }

    private fun operations(meters: MeterRegistry, method: String, outcome: String, retried: String): Long =
        meters.find("resilience.operations")
            .tags("method", method, "outcome", outcome, "retried", retried)
            .timers().sumOf { it.count() }
}
