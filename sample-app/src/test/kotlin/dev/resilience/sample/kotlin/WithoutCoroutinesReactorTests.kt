package dev.resilience.sample.kotlin

import dev.resilience.spring.aop.InvalidGuardedMethodException
import dev.resilience.spring.boot.autoconfigure.ResilienceAutoConfiguration
import java.io.File
import java.net.URL
import java.net.URLClassLoader
import java.util.concurrent.Callable
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * Without kotlinx-coroutines-reactor, Spring calls a suspend function directly, so the guard would see it suspend,
 * not end: startup fails naming the function. The application runs in a class loader of its own, made of this test's
 * class path without that jar.
 */
internal class WithoutCoroutinesReactorTests {

    @Test
    fun aSuspendFunctionFailsStartupNamingItWithoutCoroutinesReactor() {
        val path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        val urls: Array<URL> = path.split(File.pathSeparator)
            .filter { it.isNotBlank() && !it.contains("kotlinx-coroutines-reactor") }
            .map { File(it).toURI().toURL() }
            .toTypedArray()
        URLClassLoader(urls, ClassLoader.getPlatformClassLoader()).use { isolated ->
            val previous = Thread.currentThread().contextClassLoader
            Thread.currentThread().contextClassLoader = isolated
            try {
                @Suppress("UNCHECKED_CAST")
                val start = Class.forName(StartWithoutCoroutinesReactor::class.java.name, true, isolated)
                    .getDeclaredConstructor().newInstance() as Callable<String>

                assertThat(start.call()).isEqualTo("@Retry and @Breaker on CarrierClient.quote cannot guard it:"
                    + " CarrierClient.quote is a Kotlin suspend function, which Spring adapts to a Mono or a Flux,"
                    + " and so the guard records when it ends, only with"
                    + " org.jetbrains.kotlinx:kotlinx-coroutines-reactor on the classpath; without it, the guard"
                    + " would record it when it suspends.")
            } finally {
                Thread.currentThread().contextClassLoader = previous
            }
        }
    }
}

/** Runs inside the isolated class loader: starts the starter with the Kotlin client, and says why it failed. */
internal class StartWithoutCoroutinesReactor : Callable<String> {

    override fun call(): String {
        check(runCatching { Class.forName("kotlinx.coroutines.reactor.MonoKt") }.isFailure) {
            "kotlinx-coroutines-reactor is still on the class path"
        }
        var message = "started"
        ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration::class.java))
            .withPropertyValues("resilience.breaker.require-declared=false")
            .withBean(CarrierClient::class.java)
            .run { context ->
                var cause: Throwable? = context.startupFailure
                while (cause != null && cause !is InvalidGuardedMethodException) {
                    cause = cause.cause
                }
                message = cause?.message ?: "failed otherwise: " + context.startupFailure
            }
        return message
    }
}
