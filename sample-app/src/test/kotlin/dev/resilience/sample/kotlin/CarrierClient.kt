package dev.resilience.sample.kotlin

import dev.resilience.annotation.Breaker
import dev.resilience.annotation.Retry
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * A Kotlin client of a carrier: suspend functions and a Flow, guarded by the starter. Open, so that Spring can proxy
 * it (an application would use Kotlin's spring plugin instead), its counters too, so that the test reads the target's.
 */
open class CarrierClient {

    open val calls = AtomicInteger()
    open val failures = AtomicInteger()
    open val collections = AtomicInteger()
    @Volatile open var gate: CompletableDeferred<String>? = null

    /** Fails while [failures] lasts, then answers; each attempt runs the body again. */
    @Breaker("carrier")
    @Retry(maxAttempts = 3, idempotent = true)
    open suspend fun quote(parcel: String): String {
        calls.incrementAndGet()
        if (failures.getAndDecrement() > 0) {
            throw IOException("carrier is down")
        }
        return "quote for $parcel"
    }

    /** Suspends until the test opens [gate]. */
    @Breaker("pickups")
    open suspend fun waitForPickup(): String {
        calls.incrementAndGet()
        return gate!!.await()
    }

    /** A stream that fails before its first element while [failures] lasts. */
    @Breaker("tracking")
    @Retry(maxAttempts = 3, idempotent = true)
    open fun trackingEvents(parcel: String): Flow<String> = flow {
        collections.incrementAndGet()
        if (failures.getAndDecrement() > 0) {
            throw IOException("carrier is down")
        }
        emit("$parcel picked up")
        emit("$parcel delivered")
    }

    /** A suspend function that returns a Flow: guarded as a Flux. */
    @Breaker("depots")
    @Retry(maxAttempts = 2, idempotent = true)
    open suspend fun depots(): Flow<String> {
        calls.incrementAndGet()
        return flow {
            collections.incrementAndGet()
            if (failures.getAndDecrement() > 0) {
                throw IOException("carrier is down")
            }
            emit("north")
            emit("south")
        }
    }
}

/** A suspend function with a fallback, which the starter refuses at startup. */
open class CarrierWithFallback {

    @Breaker("carrier")
    @dev.resilience.annotation.Fallback(method = "cachedQuote")
    open suspend fun quote(parcel: String): String = "quote for $parcel"

    open suspend fun cachedQuote(parcel: String): String = "cached quote for $parcel"
}
