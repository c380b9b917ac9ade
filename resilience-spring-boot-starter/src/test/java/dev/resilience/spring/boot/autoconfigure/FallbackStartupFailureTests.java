package dev.resilience.spring.boot.autoconfigure;

import static dev.resilience.spring.boot.autoconfigure.StartupFailures.analysisOf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.BreakerOpenException;
import dev.resilience.annotation.Breaker;
import dev.resilience.annotation.Fallback;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A fallback that cannot work fails startup, naming the method and the signature it expected. */
class FallbackStartupFailureTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.breaker.instances.prices.window-size=50");

    @Test
    void noMethodOfThatNameSaysDidYouMeanAndTheSignatureExpected() {
        runner.withBean(Misspelled.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);

            assertThat(analysis.getDescription()).isEqualTo("@Fallback on Misspelled.price names 'lastKnownPrce', but"
                    + " Misspelled has no method of that name; expected String lastKnownPrce(String) or String"
                    + " lastKnownPrce(String, Exception).");
            assertThat(analysis.getAction()).isEqualTo("Did you mean 'lastKnownPrice'? Add String lastKnownPrce(String)"
                    + " or String lastKnownPrce(String, Exception) to Misspelled, or fix the name in @Fallback on"
                    + " Misspelled.price.");
        });
    }

    @Test
    void wrongParametersSayWhichMethodAndWhy() {
        runner.withBean(WrongParameters.class).run(context -> {
            assertThat(analysisOf(context).getDescription()).isEqualTo("@Fallback on WrongParameters.price names"
                    + " 'cached', but no method of that name fits: String cached(int): its parameters are not those"
                    + " of price, optionally followed by the failure. Expected String cached(String) or String"
                    + " cached(String, Exception).");
        });
    }

    @Test
    void aReturnTypeThatDoesNotFitItsTypeArgumentsFails() {
        runner.withBean(WrongReturn.class).run(context -> {
            assertThat(analysisOf(context).getDescription()).isEqualTo("@Fallback on WrongReturn.prices names"
                    + " 'cached', but no method of that name fits: List<Integer> cached(String): it returns"
                    + " List<Integer>, not List<String>. Expected List<String> cached(String) or List<String>"
                    + " cached(String, Exception).");
        });
    }

    @Test
    void aFailureParameterTooNarrowForApplyOnFails() {
        runner.withBean(NarrowFailure.class).run(context -> {
            assertThat(analysisOf(context).getDescription()).isEqualTo("@Fallback on NarrowFailure.price names"
                    + " 'cached', but no method of that name fits: String cached(String, IOException): its failure"
                    + " parameter IOException cannot receive BreakerOpenException, which applyOn admits. Expected"
                    + " String cached(String) or String cached(String, Exception).");
        });
    }

    @Test
    void twoMethodsThatFitAreAmbiguous() {
        runner.withBean(Ambiguous.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);
            assertThat(analysis.getDescription()).isEqualTo("@Fallback on Ambiguous.price names 'cached', but 2"
                    + " methods of Ambiguous fit: String cached(String), String cached(String, Exception); which one"
                    + " runs would be a guess.");
            assertThat(analysis.getAction()).isEqualTo("Keep one method 'cached' that fits Ambiguous.price (String"
                    + " cached(String) or String cached(String, Exception)), or rename the others.");
        });
    }

    @Test
    void aBlankNameFails() {
        runner.withBean(Blank.class).run(context -> {
            FailureAnalysis analysis = analysisOf(context);
            assertThat(analysis.getDescription()).isEqualTo("@Fallback on Blank.price has a blank method name, but it"
                    + " must name a method of Blank.");
            assertThat(analysis.getAction()).isEqualTo("Name the fallback in @Fallback(method = ...) on Blank.price,"
                    + " a method such as String fallback(String) or String fallback(String, Exception).");
        });
    }

    @Test
    void aStaticFallbackFails() {
        runner.withBean(Static.class).run(context -> {
            assertThat(analysisOf(context).getDescription()).isEqualTo("@Fallback on Static.price names 'cached', but"
                    + " no method of that name fits: static String cached(String): it is static, and a fallback runs"
                    + " on the bean. Expected String cached(String) or String cached(String, Exception).");
        });
    }

    static class Misspelled {
        @Breaker("prices")
        @Fallback(method = "lastKnownPrce")
        public String price(String sku) {
            return sku;
        }

        String lastKnownPrice(String sku) {
            return sku;
        }
    }

    static class WrongParameters {
        @Breaker("prices")
        @Fallback(method = "cached")
        public String price(String sku) {
            return sku;
        }

        String cached(int sku) {
            return "";
        }
    }

    static class WrongReturn {
        @Breaker("prices")
        @Fallback(method = "cached")
        public List<String> prices(String sku) {
            return List.of();
        }

        List<Integer> cached(String sku) {
            return List.of();
        }
    }

    static class NarrowFailure {
        @Breaker("prices")
        @Fallback(method = "cached", applyOn = {BreakerOpenException.class, IOException.class})
        public String price(String sku) {
            return sku;
        }

        String cached(String sku, IOException failure) {
            return sku;
        }
    }

    static class Ambiguous {
        @Breaker("prices")
        @Fallback(method = "cached")
        public String price(String sku) {
            return sku;
        }

        String cached(String sku) {
            return sku;
        }

        String cached(String sku, Exception failure) {
            return sku;
        }
    }

    static class Blank {
        @Breaker("prices")
        @Fallback(method = " ")
        public String price(String sku) {
            return sku;
        }
    }

    static class Static {
        @Breaker("prices")
        @Fallback(method = "cached")
        public String price(String sku) {
            return sku;
        }

        static String cached(String sku) {
            return sku;
        }
    }
}
