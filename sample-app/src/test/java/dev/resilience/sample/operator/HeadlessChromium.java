package dev.resilience.sample.operator;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by its own chromedriver: both paths are given, so Selenium Manager never
 * looks for (or downloads) a browser or a driver. A fresh profile per instance, deleted on close; no network
 * besides the loopback address the test opens.
 */
final class HeadlessChromium implements AutoCloseable {

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    HeadlessChromium() {
        try {
            profile = Files.createTempDirectory("dashboard-chromium-");
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot create a Chromium profile directory", failure);
        }
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(InstalledProgram.Browser.CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(InstalledProgram.Browser.CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-dev-shm-usage", "--no-default-browser-check", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--window-size=1280,860", "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15)).scriptTimeout(Duration.ofSeconds(5));
    }

    void open(String url) {
        driver.get(url);
    }

    /** Runs a script in the page and returns what it returns (a String, Boolean, Long, a List or null). */
    Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    /** @return the value of {@code attribute} of the first element matching {@code selector}, or null */
    String attribute(String selector, String attribute) {
        return (String) script("var e = document.querySelector(" + quoted(selector) + ");"
                + " return e === null ? null : e.getAttribute(" + quoted(attribute) + ");");
    }

    /** @return the text of the first element matching {@code selector}, or null */
    String text(String selector) {
        return (String) script("var e = document.querySelector(" + quoted(selector) + ");"
                + " return e === null ? null : e.textContent;");
    }

    byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    private static String quoted(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a profile left in the temporary directory harms nothing
            }
        }
    }
}
