package dev.resilience.spring.boot.autoconfigure;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One generated configuration under {@code resilience.}, and what the starter must make of it, computed here from
 * the generated input and the contract's defaults without asking the starter: either the effective config of every
 * breaker and budget, or the properties and methods of which the failure analysis must name at least one.
 *
 * <p>A case is a few valid entries plus, for every kind but {@link Kind#VALID}, one entry of its kind (for
 * {@link Kind#ANNOTATION}, one or two generated beans whose {@code @Retry}/{@code @Breaker} attributes are drawn
 * from good and bad values). Valid entries may still conflict (a {@code minimum-calls} above the
 * {@code window-size}, a {@code max-delay} below the {@code delay}): the oracle checks the combined values.
 *
 * <p>The oracle models how Spring Boot reads the values written here (it is not a general model of the binder):
 * numbers as Java writes them (an {@code int} also as {@code 0x} hex), durations as {@code 500ms} or ISO-8601 with
 * the unit in any case, booleans as true/false/yes/no/on/off, the window type in any case, and keys in kebab, camel
 * or underscore case.
 */
final class GeneratedConfiguration {

    /** What the case's one special entry is. */
    enum Kind {
        VALID, OUT_OF_RANGE, MISSPELLED, EMPTY, WRONG_TYPE, HUGE, NEGATIVE_DURATION, UNKNOWN_CLASS, ANNOTATION
    }

    enum Type {
        INT, DOUBLE, DURATION, BOOLEAN, WINDOW_TYPE, CLASSES
    }

    /** Where a key lives. */
    enum Section {
        BREAKER_DEFAULTS, BREAKER_INSTANCE, RETRY_DEFAULTS, NEVER_SENT, BUDGET_DEFAULTS, BUDGET_INSTANCE, REQUIRE_DECLARED
    }

    record Key(String name, Type type) {
    }

    static final List<Key> BREAKER_KEYS = List.of(new Key("window-type", Type.WINDOW_TYPE),
            new Key("window-size", Type.INT), new Key("window-duration", Type.DURATION),
            new Key("minimum-calls", Type.INT), new Key("failure-rate-threshold", Type.DOUBLE),
            new Key("slow-call-duration", Type.DURATION), new Key("slow-call-rate-threshold", Type.DOUBLE),
            new Key("open-duration", Type.DURATION), new Key("half-open-probes", Type.INT),
            new Key("half-open-max-wait", Type.DURATION), new Key("record-exceptions", Type.CLASSES),
            new Key("ignore-exceptions", Type.CLASSES), new Key("out-of-service-when-open", Type.BOOLEAN));
    static final List<Key> RETRY_KEYS = List.of(new Key("delay", Type.DURATION), new Key("max-delay", Type.DURATION),
            new Key("multiplier", Type.DOUBLE), new Key("jitter", Type.DOUBLE));
    static final List<Key> BUDGET_KEYS = List.of(new Key("enabled", Type.BOOLEAN), new Key("ratio", Type.DOUBLE),
            new Key("min-retries-per-second", Type.INT), new Key("window", Type.DURATION));
    static final Key NEVER_SENT_KEY = new Key("never-sent-exceptions", Type.CLASSES);
    static final Key REQUIRE_DECLARED_KEY = new Key("require-declared", Type.BOOLEAN);

    /** Instance names: plain, with digits, underscores, capitals, and a dot kept by the bracket notation. */
    private static final List<String> INSTANCE_NAMES = List.of("payments", "search", "stock-v2", "inventory_eu",
            "Prices", "pay.ments");
    private static final List<String> VALID_CLASSES = List.of("java.io.IOException",
            "java.util.concurrent.TimeoutException", "java.lang.IllegalStateException", "java.lang.Error",
            "java.net.ConnectException", "org.springframework.dao.DataAccessException");
    private static final List<String> UNKNOWN_CLASSES = List.of("com.example.NoSuchException", "java.io.IOExceptio",
            "IOException", "java.lang.Throwable$Nope", "java.io.IOException;", "1java.io.IOException");
    private static final List<String> NOT_THROWABLES = List.of("java.lang.String", "int", "java.lang.Object",
            "java.util.List");

    // --- the case --------------------------------------------------------------------------------------------------

    /** A written property: its key as written and its text; and what it means, or why it cannot be read. */
    record Entry(Section section, String instance, Key key, Map<String, String> lines, Value value) {

        /** The property's name as the starter's messages write it. */
        String canonical() {
            return GeneratedConfiguration.canonical(section, instance, key.name());
        }
    }

    /** The meaning of a written value. */
    sealed interface Value {
    }

    /** Read as this value (a {@code List<String>} of class names for a class list). */
    record Read(Object value) implements Value {
    }

    /** Cannot be read as the key's type (or a class that is not on the classpath). */
    record Unreadable() implements Value {
    }

    /** Known key, no value. */
    record Empty() implements Value {
    }

    /** A key that does not exist, as written. */
    record Unknown(String written) implements Value {
    }

    /** A generated bean's one guarded method {@code call}. */
    record Bean(String simpleName, boolean retry, int maxAttempts, String delay, String maxDelay, String maxDuration,
            String breaker) {

        String methodTag() {
            return simpleName + ".call";
        }
    }

    final long seed;
    final Kind kind;
    final List<Entry> entries = new ArrayList<>();
    final List<Bean> beans = new ArrayList<>();

    private final Random random;
    private final Set<String> used = new LinkedHashSet<>();
    private final Map<String, String> notations = new LinkedHashMap<>();

    private GeneratedConfiguration(long seed, Kind kind) {
        this.seed = seed;
        this.kind = kind;
        this.random = new Random(seed);
    }

    /** The case of this seed: its kind and its entries depend on nothing else. */
    static GeneratedConfiguration generate(long seed, int beanNumber) {
        Random pick = new Random(seed ^ 0x5DEECE66DL);
        Kind kind = Kind.values()[pick.nextInt(Kind.values().length)];
        GeneratedConfiguration config = new GeneratedConfiguration(seed, kind);
        config.fill(beanNumber);
        return config;
    }

    /** The property lines, in the order written. */
    String[] properties() {
        List<String> lines = new ArrayList<>();
        entries.forEach(entry -> entry.lines().forEach((name, text) -> lines.add(name + "=" + text)));
        return lines.toArray(String[]::new);
    }

    private void fill(int beanNumber) {
        int valid = random.nextInt(5);
        for (int i = 0; i < valid; i++) {
            addValid();
        }
        switch (kind) {
            case VALID -> addValid();
            case OUT_OF_RANGE -> addScalar(this::outOfRange, Type.INT, Type.DOUBLE, Type.DURATION);
            case MISSPELLED -> addMisspelled();
            case EMPTY -> addEmpty();
            case WRONG_TYPE -> addScalar(this::wrongType, Type.values());
            case HUGE -> addScalar(this::huge, Type.INT, Type.DOUBLE, Type.DURATION);
            case NEGATIVE_DURATION -> addScalar(this::negativeDuration, Type.DURATION);
            case UNKNOWN_CLASS -> addScalar(this::unknownClass, Type.CLASSES);
            case ANNOTATION -> {
                int count = 1 + random.nextInt(2);
                for (int i = 0; i < count; i++) {
                    beans.add(bean("Generated" + (beanNumber + i)));
                }
            }
        }
    }

    // --- generation --------------------------------------------------------------------------------------------

    private record Place(Section section, String instance, Key key) {
    }

    /** A key of any section, not used yet in this case; null when the draw hit a used one. */
    private Place place(Type... types) {
        Set<Type> wanted = Set.of(types);
        for (int tries = 0; tries < 50; tries++) {
            Place place = anyPlace();
            boolean declaredEmpty = place.section() == Section.BREAKER_INSTANCE
                    && used.contains("declared:" + place.instance());
            if (wanted.contains(place.key().type()) && !declaredEmpty
                    && !used.contains(canonical(place.section(), place.instance(), place.key().name()))) {
                used.add(canonical(place.section(), place.instance(), place.key().name()));
                return place;
            }
        }
        return null;
    }

    private Place anyPlace() {
        int which = random.nextInt(100);
        if (which < 30) {
            return new Place(Section.BREAKER_DEFAULTS, null, oneOf(BREAKER_KEYS));
        }
        if (which < 60) {
            return new Place(Section.BREAKER_INSTANCE, instanceName(), oneOf(BREAKER_KEYS));
        }
        if (which < 72) {
            return new Place(Section.RETRY_DEFAULTS, null, oneOf(RETRY_KEYS));
        }
        if (which < 77) {
            return new Place(Section.NEVER_SENT, null, NEVER_SENT_KEY);
        }
        if (which < 85) {
            return new Place(Section.BUDGET_DEFAULTS, null, oneOf(BUDGET_KEYS));
        }
        if (which < 97) {
            // mostly a declared breaker's budget; sometimes a budget of a breaker declared nowhere
            String name = random.nextInt(4) == 0 ? instanceName() : declaredOrNew();
            return new Place(Section.BUDGET_INSTANCE, name, oneOf(BUDGET_KEYS));
        }
        return new Place(Section.REQUIRE_DECLARED, null, REQUIRE_DECLARED_KEY);
    }

    private String instanceName() {
        return random.nextInt(3) == 0 ? oneOf(INSTANCE_NAMES) : oneOf(INSTANCE_NAMES.subList(0, 3));
    }

    private String declaredOrNew() {
        List<String> declared = entries.stream().filter(e -> e.section() == Section.BREAKER_INSTANCE)
                .map(Entry::instance).distinct().toList();
        return declared.isEmpty() ? instanceName() : oneOf(declared);
    }

    private void addValid() {
        if (random.nextInt(12) == 0) {
            // a breaker declared with no keys of its own: "payments: {}"
            String name = instanceName();
            String written = "resilience.breaker.instances." + nameAsWritten(name);
            boolean hasKeys = entries.stream().anyMatch(e -> e.section() == Section.BREAKER_INSTANCE
                    && name.equals(e.instance()));
            if (!hasKeys && used.add("declared:" + name)) {
                entries.add(new Entry(Section.BREAKER_INSTANCE, name, null, Map.of(written, ""), new Read(null)));
            }
            return;
        }
        Place place = place(Type.values());
        if (place != null) {
            entries.add(entry(place, writtenKey(place, true), valid(place)));
        }
    }

    private interface Maker {
        Written make(Place place);
    }

    /** A value's text lines (one, or several indexed entries for a list) and its meaning. */
    private record Written(List<String> texts, boolean indexed, Value value) {

        static Written of(String text, Value value) {
            return new Written(List.of(text), false, value);
        }
    }

    private void addScalar(Maker maker, Type... types) {
        Place place = place(types);
        if (place != null) {
            entries.add(entry(place, writtenKey(place, true), maker.make(place)));
        }
    }

    private Entry entry(Place place, String writtenKey, Written written) {
        Map<String, String> lines = new LinkedHashMap<>();
        if (written.indexed()) {
            for (int i = 0; i < written.texts().size(); i++) {
                lines.put(writtenKey + "[" + i + "]", written.texts().get(i));
            }
        } else {
            lines.put(writtenKey, written.texts().get(0));
        }
        return new Entry(place.section(), place.instance(), place.key(), lines, written.value());
    }

    /** The full key as written: the key in kebab case mostly, else camel or underscore case (relaxed binding). */
    private String writtenKey(Place place, boolean relaxed) {
        String key = place.key().name();
        if (relaxed) {
            int form = random.nextInt(10);
            if (form == 0) {
                key = camel(key);
            } else if (form == 1) {
                key = key.replace('-', '_');
            }
        }
        String instance = place.instance() == null ? null : nameAsWritten(place.instance());
        return switch (place.section()) {
            case BREAKER_DEFAULTS -> "resilience.breaker.defaults." + key;
            case BREAKER_INSTANCE -> "resilience.breaker.instances." + instance + "." + key;
            case RETRY_DEFAULTS -> "resilience.retry.defaults." + key;
            case NEVER_SENT -> "resilience.retry." + key;
            case BUDGET_DEFAULTS -> "resilience.retry.budget.defaults." + key;
            case BUDGET_INSTANCE -> "resilience.retry.budget.instances." + instance + "." + key;
            case REQUIRE_DECLARED -> "resilience.breaker." + key;
        };
    }

    /**
     * A map key with a dot is written in brackets, as Spring Boot's docs say, to be kept whole; one with capitals or
     * an underscore either way.
     */
    private String nameAsWritten(String name) {
        // one notation per name within a case: Spring Boot binds only one of two (see
        // ConfigurationFuzzRegressionTests.aBreakerNameWrittenInTwoNotationsIsReportedAsSuchNotAsAnUnknownKey)
        return notations.computeIfAbsent(name, n -> n.contains(".") || (!n.matches("[a-z0-9-]+") && random.nextBoolean())
                ? "[" + n + "]" : n);
    }

    private Written valid(Place place) {
        String key = place.key().name();
        return switch (place.key().type()) {
            case INT -> {
                int value = switch (key) {
                    case "window-size" -> oneOf(1, 5, 20, 100, 1_000_000, 1 + random.nextInt(300));
                    case "minimum-calls" -> oneOf(1, 5, 20, 100, 1 + random.nextInt(300));
                    case "half-open-probes" -> oneOf(1, 3, 10_000, 1 + random.nextInt(50));
                    default -> oneOf(0, 1, 10, random.nextInt(1000)); // min-retries-per-second
                };
                String text = random.nextInt(15) == 0 ? "0x" + Integer.toHexString(value) : Integer.toString(value);
                yield Written.of(text, new Read(value));
            }
            case DOUBLE -> {
                double value = switch (key) {
                    case "failure-rate-threshold", "slow-call-rate-threshold" ->
                            oneOf(1.0, 100.0, 50.0, 1 + random.nextInt(9900) / 100.0);
                    case "multiplier" -> oneOf(1.0, 100.0, 2.0, 1 + random.nextInt(990) / 10.0);
                    case "jitter" -> oneOf(0.0, 1.0, 0.5, random.nextInt(101) / 100.0);
                    default -> oneOf(0.0, 10.0, 0.2, random.nextInt(1001) / 100.0); // ratio
                };
                String text = random.nextInt(10) == 0 ? String.format(Locale.ROOT, "%.3e", value) : plain(value);
                yield Written.of(text, new Read(Double.valueOf(text)));
            }
            case DURATION -> {
                Duration value = switch (key) {
                    case "delay" -> oneOf(Duration.ZERO, Duration.ofMillis(1 + random.nextInt(2000)), Duration.ofSeconds(1));
                    case "max-delay" -> oneOf(Duration.ofSeconds(5), Duration.ofMillis(random.nextInt(60_000)),
                            Duration.ofMinutes(10));
                    case "window" -> oneOf(Duration.ofSeconds(1), Duration.ofSeconds(60),
                            Duration.ofMillis(1000 + random.nextInt(59_001)));
                    default -> oneOf(Duration.ofMillis(1), Duration.ofDays(365), Duration.ofSeconds(1 + random.nextInt(600)),
                            Duration.ofMillis(1 + random.nextInt(100_000)));
                };
                yield Written.of(durationText(value), new Read(value));
            }
            case BOOLEAN -> {
                String text = oneOf("true", "false", "TRUE", "False", "yes", "no", "on", "off");
                yield Written.of(text, new Read(Set.of("true", "yes", "on").contains(text.toLowerCase(Locale.ROOT))));
            }
            case WINDOW_TYPE -> {
                String text = oneOf("count", "time", "COUNT", "Time");
                yield Written.of(text, new Read(text.toLowerCase(Locale.ROOT)));
            }
            case CLASSES -> {
                int size = random.nextInt(3);
                List<String> classes = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    classes.add(oneOf(VALID_CLASSES));
                }
                if (classes.isEmpty() || random.nextBoolean()) {
                    yield Written.of(String.join(",", classes), new Read(List.copyOf(classes)));
                }
                yield new Written(classes, true, new Read(List.copyOf(classes)));
            }
        };
    }

    private Written outOfRange(Place place) {
        String key = place.key().name();
        return switch (place.key().type()) {
            case INT -> {
                int value = switch (key) {
                    case "window-size", "minimum-calls" -> oneOf(0, -1, 1_000_001, Integer.MIN_VALUE);
                    case "half-open-probes" -> oneOf(0, -3, 10_001);
                    default -> oneOf(-1, -100, Integer.MIN_VALUE);
                };
                yield Written.of(Integer.toString(value), new Read(value));
            }
            case DOUBLE -> {
                String text = switch (key) {
                    case "failure-rate-threshold", "slow-call-rate-threshold" ->
                            oneOf("0", "0.99", "100.01", "150", "-5", "NaN");
                    case "multiplier" -> oneOf("0.5", "0", "100.5", "-2", "NaN");
                    case "jitter" -> oneOf("-0.01", "1.01", "2", "NaN");
                    default -> oneOf("-0.1", "10.5", "11", "NaN"); // ratio
                };
                yield Written.of(text, new Read(Double.valueOf(text)));
            }
            default -> {
                Duration value = switch (key) {
                    case "delay" -> Duration.ofMillis(-1);
                    case "max-delay" -> oneOf(Duration.ofMillis(-5), Duration.ZERO); // below the delay (100ms)
                    case "window" -> oneOf(Duration.ofMillis(999), Duration.ofSeconds(61), Duration.ZERO);
                    default -> oneOf(Duration.ZERO, Duration.ofDays(365).plusMillis(1), Duration.ofDays(366));
                };
                yield Written.of(durationText(value), new Read(value));
            }
        };
    }

    private Written wrongType(Place place) {
        if (place.key().type() != Type.CLASSES && random.nextInt(5) == 0) {
            // a list where one value is expected (YAML's "window-size: [20]" or "- 20")
            Written one = valid(place);
            return new Written(one.texts(), true, new Unreadable());
        }
        return switch (place.key().type()) {
            case INT -> Written.of(oneOf("ten", "1.5", "5s", "true", "20%", "1_000"), new Unreadable());
            case DOUBLE -> Written.of(oneOf("half", "50%", "5s", "1,5", "0.5.1"), new Unreadable());
            case DURATION -> Written.of(oneOf("soon", "1.5s", "10 s", "5sec", "ms", "true", "PT", "1h30m"),
                    new Unreadable());
            case BOOLEAN -> Written.of(oneOf("maybe", "2", "enabled", "y"), new Unreadable());
            case WINDOW_TYPE -> Written.of(oneOf("sliding", "counts", "1", "tim"), new Unreadable());
            case CLASSES -> {
                // a class that is not an exception: the starter checks the bound itself and names the entry
                String type = oneOf(NOT_THROWABLES);
                yield Written.of(random.nextBoolean() ? type : "java.io.IOException," + type,
                        new Read(random.nextBoolean() ? List.of(type) : List.of("java.io.IOException", type)));
            }
        };
    }

    private Written huge(Place place) {
        return switch (place.key().type()) {
            case INT -> Written.of(oneOf("2147483648", "99999999999", "-2147483649", "1e3"), new Unreadable());
            case DOUBLE -> {
                String text = oneOf("1e308", "1e309", "-1e309", "Infinity", "179769313486231570000000000000000000000");
                yield Written.of(text, new Read(Double.valueOf(text)));
            }
            default -> {
                if (random.nextBoolean()) {
                    yield Written.of(oneOf("99999999999999999999s", "106751991167301d", "9223372036854775807m",
                            "PT9999999999999999999S"), new Unreadable());
                }
                Duration value = oneOf(Duration.ofDays(1_000_000), Duration.ofSeconds(Long.MAX_VALUE / 2),
                        Duration.ofDays(9_999_999_999L));
                yield Written.of(durationText(value), new Read(value));
            }
        };
    }

    private Written negativeDuration(Place place) {
        String text = oneOf("-1s", "-500ms", "PT-1S", "-1d", "-1", "-PT0.5S", "-9223372036854775808ns");
        return Written.of(text, new Read(duration(text)));
    }

    private Written unknownClass(Place place) {
        String unknown = oneOf(UNKNOWN_CLASSES);
        int form = random.nextInt(3);
        if (form == 0) {
            return Written.of(unknown, new Unreadable());
        }
        if (form == 1) {
            return Written.of("java.io.IOException," + unknown, new Unreadable());
        }
        return new Written(List.of("java.io.IOException", unknown), true, new Unreadable());
    }

    private void addMisspelled() {
        int which = random.nextInt(4);
        if (which == 0) {
            // a budget for a breaker that exists nowhere: a misspelled breaker name
            String name = oneOf("paymnets", "serch", "stok-v2");
            if (used.add(canonical(Section.BUDGET_INSTANCE, name, "ratio"))) {
                Place place = new Place(Section.BUDGET_INSTANCE, name, new Key("ratio", Type.DOUBLE));
                entries.add(entry(place, writtenKey(place, false), Written.of("0.1", new Read(0.1))));
            }
            return;
        }
        if (which == 1) {
            // a misspelled section
            String written = oneOf("resilience.breaker.default.window-size", "resilience.retry.defualts.delay",
                    "resilience.breakers.instances.payments.window-size", "resilience.retry.budget.default.ratio",
                    "resilience.retry.never-send-exceptions", "resilience.breaker.require-declare",
                    "resilience.retries.defaults.delay", "resilience.breaker.instance.payments.open-duration");
            entries.add(new Entry(Section.BREAKER_DEFAULTS, null, null, Map.of(written, "1"), new Unknown(written)));
            return;
        }
        Place place = place(Type.values());
        if (place == null) {
            return;
        }
        String key = place.key().name();
        String misspelled;
        do {
            misspelled = misspell(key);
        } while (knownCanonically(misspelled));
        Place wrong = new Place(place.section(), place.instance(), new Key(misspelled, place.key().type()));
        String written = writtenKey(wrong, false);
        entries.add(new Entry(place.section(), place.instance(), place.key(), Map.of(written, "1"), new Unknown(written)));
    }

    /** Drops, doubles, swaps or replaces one letter. */
    private String misspell(String key) {
        StringBuilder out = new StringBuilder(key);
        int at = random.nextInt(key.length());
        switch (random.nextInt(4)) {
            case 0 -> out.deleteCharAt(at);
            case 1 -> out.insert(at, key.charAt(at) == '-' ? 'e' : key.charAt(at));
            case 2 -> {
                if (at + 1 < key.length()) {
                    char c = out.charAt(at);
                    out.setCharAt(at, out.charAt(at + 1));
                    out.setCharAt(at + 1, c);
                } else {
                    out.append('s');
                }
            }
            default -> out.setCharAt(at, (char) ('a' + random.nextInt(26)));
        }
        String result = out.toString().replaceAll("^-+|-+$", "").replaceAll("--+", "-");
        return result.isEmpty() ? "x" : result;
    }

    /** Whether a key is, once dashes are dropped and letters lowered (as Spring Boot compares them), a real one. */
    private static boolean knownCanonically(String key) {
        String uniform = uniform(key);
        return List.of(BREAKER_KEYS, RETRY_KEYS, BUDGET_KEYS, List.of(NEVER_SENT_KEY, REQUIRE_DECLARED_KEY)).stream()
                .flatMap(List::stream).anyMatch(known -> uniform(known.name()).equals(uniform));
    }

    private void addEmpty() {
        Place place = place(Type.INT, Type.DOUBLE, Type.DURATION, Type.BOOLEAN, Type.WINDOW_TYPE, Type.CLASSES);
        if (place == null) {
            return;
        }
        if (place.key().type() == Type.CLASSES) {
            // an empty entry of a list: "[0]=" or "a,,b"
            if (random.nextBoolean()) {
                entries.add(entry(place, writtenKey(place, false), new Written(List.of(""), true, new Empty())));
            } else {
                entries.add(entry(place, writtenKey(place, false),
                        Written.of("java.io.IOException,,java.lang.Error", new Read(List.of("java.io.IOException", "",
                                "java.lang.Error")))));
            }
            return;
        }
        entries.add(entry(place, writtenKey(place, false), Written.of("", new Empty())));
    }

    private Bean bean(String simpleName) {
        int maxAttempts = random.nextInt(5) > 0 ? oneOf(1, 2, 3, 10, Integer.MAX_VALUE)
                : oneOf(0, -1, Integer.MIN_VALUE);
        // no "-9223372036854775808ns" here: the core cannot format it (see ResilienceSettings.notNegative), and
        // annotations are read by the aop package, not by the auto-configuration
        List<String> good = List.of("", "", "", "0", "10ms", "200ms", "1s", "PT0.5S", "2S", " 20ms ", "5m",
                "9999999999999d", "1000000d");
        List<String> bad = List.of(" ", "-1ms", "PT-1S", "soon", "1.5s", "10 ms", "99999999999999999999d",
                "999999999999999d");
        String breaker = random.nextInt(4) > 0 ? oneOf(null, "payments", declaredOrNew())
                : oneOf("search", "paymnets", "", " ", "undeclared-x");
        return new Bean(simpleName, breaker == null || random.nextInt(5) > 0, maxAttempts,
                oneOf(random.nextInt(4) > 0 ? good : bad), oneOf(random.nextInt(4) > 0 ? good : bad),
                oneOf(random.nextInt(4) > 0 ? good : bad), breaker);
    }

    // --- the oracle --------------------------------------------------------------------------------------------

    /** What the starter must do: start with exactly these breakers and budgets, or fail naming one of these. */
    record Expected(Map<String, ExpectedBreaker> breakers, Map<String, ExpectedBudget> budgets, Set<String> culprits) {

        boolean starts() {
            return culprits.isEmpty();
        }
    }

    /** A breaker's effective settings, written independently of the core's {@code BreakerConfig}. */
    record ExpectedBreaker(String windowType, int windowSize, Duration windowDuration, int minimumCalls,
            double failureRateThreshold, Duration slowCallDuration, double slowCallRateThreshold,
            Duration openDuration, int halfOpenProbes, Duration halfOpenMaxWait, List<String> recordExceptions,
            List<String> ignoreExceptions, boolean outOfServiceWhenOpen) {
    }

    /** A budget's effective settings. */
    record ExpectedBudget(boolean enabled, double ratio, int minRetriesPerSecond, Duration window) {
    }

    /** The contract's defaults (resilience.breaker.defaults and resilience.retry.* as CONTRACT.md writes them). */
    private static Map<String, Object> contractBreakerDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("window-type", "count");
        d.put("window-size", 100);
        d.put("window-duration", Duration.ofSeconds(60));
        d.put("minimum-calls", 20);
        d.put("failure-rate-threshold", 50.0);
        d.put("slow-call-duration", Duration.ofSeconds(60));
        d.put("slow-call-rate-threshold", 100.0);
        d.put("open-duration", Duration.ofSeconds(30));
        d.put("half-open-probes", 5);
        d.put("half-open-max-wait", Duration.ofSeconds(60));
        d.put("record-exceptions", List.of());
        d.put("ignore-exceptions", List.of());
        d.put("out-of-service-when-open", false);
        return d;
    }

    private static Map<String, Object> contractRetryDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("delay", Duration.ofMillis(100));
        d.put("max-delay", Duration.ofSeconds(5));
        d.put("multiplier", 2.0);
        d.put("jitter", 0.5);
        return d;
    }

    private static Map<String, Object> contractBudgetDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("enabled", true);
        d.put("ratio", 0.2);
        d.put("min-retries-per-second", 10);
        d.put("window", Duration.ofSeconds(10));
        return d;
    }

    Expected expected() {
        // 1. binding: a key that does not exist, a value that cannot be read, a known key with no value
        Set<String> binding = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (entry.value() instanceof Unknown unknown) {
                binding.add(unknown.written());
            } else if (entry.value() instanceof Unreadable || entry.value() instanceof Empty) {
                // named as the starter writes it, or as written (the binder's name drops an underscore)
                binding.add(entry.canonical());
                entry.lines().keySet().forEach(written -> binding.add(written.replaceAll("\\[\\d+]$", "")));
            }
        }
        if (!binding.isEmpty()) {
            return new Expected(Map.of(), Map.of(), binding);
        }
        // 2. the values, each key of an instance or else of the defaults
        Map<String, Object> breakerDefaults = contractBreakerDefaults();
        Map<String, Object> retryDefaults = contractRetryDefaults();
        Map<String, Object> budgetDefaults = contractBudgetDefaults();
        List<String> neverSent = List.of();
        boolean requireDeclared = true;
        Map<String, Map<String, Object>> instances = new TreeMap<>();
        Map<String, Map<String, Object>> budgetInstances = new TreeMap<>();
        for (Entry entry : entries) {
            Object value = ((Read) entry.value()).value();
            switch (entry.section()) {
                case BREAKER_DEFAULTS -> breakerDefaults.put(entry.key().name(), value);
                case BREAKER_INSTANCE -> {
                    Map<String, Object> instance = instances.computeIfAbsent(entry.instance(), n -> new LinkedHashMap<>());
                    if (entry.key() != null) {
                        instance.put(entry.key().name(), value);
                    }
                }
                case RETRY_DEFAULTS -> retryDefaults.put(entry.key().name(), value);
                case NEVER_SENT -> neverSent = strings(value);
                case BUDGET_DEFAULTS -> budgetDefaults.put(entry.key().name(), value);
                case BUDGET_INSTANCE -> budgetInstances.computeIfAbsent(entry.instance(), n -> new LinkedHashMap<>())
                        .put(entry.key().name(), value);
                case REQUIRE_DECLARED -> requireDeclared = (Boolean) value;
            }
        }
        // 3. the rules of the contract, checked over the combined values
        Set<String> culprits = new LinkedHashSet<>();
        Map<String, ExpectedBreaker> breakers = new TreeMap<>();
        checkBreaker(canonicalPrefix(Section.BREAKER_DEFAULTS, null), breakerDefaults, culprits);
        ExpectedBreaker onDefaults = breaker(breakerDefaults);
        instances.forEach((name, keys) -> {
            Map<String, Object> effective = new LinkedHashMap<>(breakerDefaults);
            effective.putAll(keys);
            checkBreaker(canonicalPrefix(Section.BREAKER_INSTANCE, name), effective, culprits);
            breakers.put(name, breaker(effective));
        });
        checkRetry(retryDefaults, neverSent, culprits);
        checkBudget(canonicalPrefix(Section.BUDGET_DEFAULTS, null), budgetDefaults, culprits);
        budgetInstances.forEach((name, keys) -> {
            Map<String, Object> effective = new LinkedHashMap<>(budgetDefaults);
            effective.putAll(keys);
            checkBudget(canonicalPrefix(Section.BUDGET_INSTANCE, name), effective, culprits);
        });
        for (Bean bean : beans) {
            checkBean(bean, (Duration) retryDefaults.get("delay"), (Duration) retryDefaults.get("max-delay"),
                    requireDeclared, instances.keySet(), culprits);
            if (bean.breaker() != null && !bean.breaker().isBlank() && !breakers.containsKey(bean.breaker())) {
                breakers.put(bean.breaker(), onDefaults); // undeclared, allowed: on the defaults
            }
        }
        for (String name : budgetInstances.keySet()) {
            if (!breakers.containsKey(name)) {
                culprits.add(canonicalPrefix(Section.BUDGET_INSTANCE, name));
            }
        }
        if (!culprits.isEmpty()) {
            return new Expected(Map.of(), Map.of(), culprits);
        }
        Map<String, ExpectedBudget> budgets = new TreeMap<>();
        for (String name : breakers.keySet()) {
            Map<String, Object> effective = new LinkedHashMap<>(budgetDefaults);
            effective.putAll(budgetInstances.getOrDefault(name, Map.of()));
            budgets.put(name, new ExpectedBudget((Boolean) effective.get("enabled"), (Double) effective.get("ratio"),
                    (Integer) effective.get("min-retries-per-second"), (Duration) effective.get("window")));
        }
        return new Expected(breakers, budgets, Set.of());
    }

    private static final Duration YEAR = Duration.ofDays(365);

    private static void checkBreaker(String prefix, Map<String, Object> c, Set<String> culprits) {
        int windowSize = (Integer) c.get("window-size");
        int minimumCalls = (Integer) c.get("minimum-calls");
        if (windowSize < 1 || windowSize > 1_000_000) {
            culprits.add(prefix + ".window-size");
        }
        if (minimumCalls < 1 || minimumCalls > 1_000_000) {
            culprits.add(prefix + ".minimum-calls");
        }
        if ("count".equals(c.get("window-type")) && minimumCalls > windowSize) {
            culprits.add(prefix + ".minimum-calls");
            culprits.add(prefix + ".window-size");
        }
        for (String key : List.of("window-duration", "slow-call-duration", "open-duration", "half-open-max-wait")) {
            Duration value = (Duration) c.get(key);
            if (value.isNegative() || value.isZero() || value.compareTo(YEAR) > 0) {
                culprits.add(prefix + "." + key);
            }
        }
        for (String key : List.of("failure-rate-threshold", "slow-call-rate-threshold")) {
            double value = (Double) c.get(key);
            if (!(value >= 1 && value <= 100)) {
                culprits.add(prefix + "." + key);
            }
        }
        int probes = (Integer) c.get("half-open-probes");
        if (probes < 1 || probes > 10_000) {
            culprits.add(prefix + ".half-open-probes");
        }
        for (String key : List.of("record-exceptions", "ignore-exceptions")) {
            if (!strings(c.get(key)).stream().allMatch(GeneratedConfiguration::isThrowable)) {
                culprits.add(prefix + "." + key);
            }
        }
    }

    private static void checkRetry(Map<String, Object> r, List<String> neverSent, Set<String> culprits) {
        String prefix = canonicalPrefix(Section.RETRY_DEFAULTS, null);
        Duration delay = (Duration) r.get("delay");
        Duration maxDelay = (Duration) r.get("max-delay");
        if (delay.isNegative()) {
            culprits.add(prefix + ".delay");
        } else if (maxDelay.compareTo(delay) < 0) {
            culprits.add(prefix + ".max-delay");
            culprits.add(prefix + ".delay");
        }
        double multiplier = (Double) r.get("multiplier");
        if (!(multiplier >= 1 && multiplier <= 100)) {
            culprits.add(prefix + ".multiplier");
        }
        double jitter = (Double) r.get("jitter");
        if (!(jitter >= 0 && jitter <= 1)) {
            culprits.add(prefix + ".jitter");
        }
        if (!neverSent.stream().allMatch(GeneratedConfiguration::isThrowable)) {
            culprits.add(canonical(Section.NEVER_SENT, null, NEVER_SENT_KEY.name()));
        }
    }

    private static void checkBudget(String prefix, Map<String, Object> b, Set<String> culprits) {
        double ratio = (Double) b.get("ratio");
        if (!(ratio >= 0 && ratio <= 10)) {
            culprits.add(prefix + ".ratio");
        }
        if ((Integer) b.get("min-retries-per-second") < 0) {
            culprits.add(prefix + ".min-retries-per-second");
        }
        Duration window = (Duration) b.get("window");
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofSeconds(60)) > 0) {
            culprits.add(prefix + ".window");
        }
    }

    /** The contract's rules for an annotated method: each broken one makes the method the culprit. */
    private static void checkBean(Bean bean, Duration defaultDelay, Duration defaultMaxDelay, boolean requireDeclared,
            Set<String> declared, Set<String> culprits) {
        boolean bad = false;
        if (bean.retry()) {
            Duration delay = annotationDuration(bean.delay(), defaultDelay);
            Duration maxDelay = annotationDuration(bean.maxDelay(), defaultMaxDelay);
            Duration maxDuration = annotationDuration(bean.maxDuration(), Duration.ofDays(1));
            bad = bean.maxAttempts() < 1 || delay == null || maxDelay == null || maxDuration == null
                    || delay.isNegative() || maxDelay.compareTo(delay) < 0 || maxDuration.isNegative()
                    || maxDuration.isZero();
        }
        if (bean.breaker() != null) {
            bad |= bean.breaker().isBlank() || (requireDeclared && !declared.contains(bean.breaker()));
        }
        if (bad) {
            culprits.add(bean.methodTag());
        }
    }

    /** An annotation's duration: blank for the default; else a whole number and a unit, or ISO-8601; null if neither. */
    private static Duration annotationDuration(String text, Duration otherwise) {
        if (text.isBlank()) {
            return otherwise;
        }
        try {
            return duration(text.trim());
        } catch (IllegalArgumentException | ArithmeticException unreadable) {
            return null;
        }
    }

    private static ExpectedBreaker breaker(Map<String, Object> c) {
        return new ExpectedBreaker((String) c.get("window-type"), (Integer) c.get("window-size"),
                (Duration) c.get("window-duration"), (Integer) c.get("minimum-calls"),
                (Double) c.get("failure-rate-threshold"), (Duration) c.get("slow-call-duration"),
                (Double) c.get("slow-call-rate-threshold"), (Duration) c.get("open-duration"),
                (Integer) c.get("half-open-probes"), (Duration) c.get("half-open-max-wait"),
                strings(c.get("record-exceptions")), strings(c.get("ignore-exceptions")),
                (Boolean) c.get("out-of-service-when-open"));
    }

    // --- text ------------------------------------------------------------------------------------------------

    private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");

    /** A duration as written here: a whole number and a unit (ms without one), or ISO-8601. */
    static Duration duration(String text) {
        Matcher simple = SIMPLE.matcher(text);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            ChronoUnit unit = switch (simple.group(2).toLowerCase(Locale.ROOT)) {
                case "ns" -> ChronoUnit.NANOS;
                case "us" -> ChronoUnit.MICROS;
                case "", "ms" -> ChronoUnit.MILLIS;
                case "s" -> ChronoUnit.SECONDS;
                case "m" -> ChronoUnit.MINUTES;
                case "h" -> ChronoUnit.HOURS;
                case "d" -> ChronoUnit.DAYS;
                default -> throw new IllegalArgumentException("no unit " + simple.group(2));
            };
            return Duration.of(amount, unit);
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException unreadable) {
            throw new IllegalArgumentException(unreadable);
        }
    }

    private String durationText(Duration value) {
        if (random.nextInt(8) == 0) {
            return value.toString();
        }
        long millis;
        try {
            if (value.toNanos() % 1_000_000 != 0) {
                return value.toString();
            }
            millis = value.toMillis();
        } catch (ArithmeticException tooLong) {
            return value.toString();
        }
        if (millis % 86_400_000 == 0 && millis != 0 && random.nextBoolean()) {
            return (millis / 86_400_000) + oneOf("d", "D");
        }
        if (millis % 1000 == 0 && millis != 0 && random.nextBoolean()) {
            return (millis / 1000) + oneOf("s", "s", "S");
        }
        return millis + oneOf("ms", "ms", "", "MS");
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String uniform(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    static String canonicalPrefix(Section section, String instance) {
        return switch (section) {
            case BREAKER_DEFAULTS -> "resilience.breaker.defaults";
            case BREAKER_INSTANCE -> "resilience.breaker.instances." + instance;
            case RETRY_DEFAULTS -> "resilience.retry.defaults";
            case NEVER_SENT -> "resilience.retry";
            case BUDGET_DEFAULTS -> "resilience.retry.budget.defaults";
            case BUDGET_INSTANCE -> "resilience.retry.budget.instances." + instance;
            case REQUIRE_DECLARED -> "resilience.breaker";
        };
    }

    static String canonical(Section section, String instance, String key) {
        return key == null ? canonicalPrefix(section, instance) : canonicalPrefix(section, instance) + "." + key;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return (List<String>) value;
    }

    private static boolean isThrowable(String name) {
        try {
            return Throwable.class.isAssignableFrom(
                    org.springframework.util.ClassUtils.forName(name, GeneratedConfiguration.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError | IllegalArgumentException notAClass) {
            return false;
        }
    }

    @SafeVarargs
    private <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T oneOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("case " + seed + " (" + kind + "): " + String.join(", ", properties()));
        beans.forEach(bean -> out.append("; ").append(bean));
        return out.toString();
    }
}
