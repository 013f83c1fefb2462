package dev.flowline.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the Debian packages {@code chromium} and {@code chromium-driver}, with the flags it needs
 * on these machines (no sandbox, no GPU, no QUIC, no background networking) and a fresh profile directory; the
 * browser profiles' tests drive it with Selenium. Fails saying what to install when the packages are missing, so a
 * browser test never passes without a browser.
 */
public final class HeadlessChromium {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    public static ChromeDriver start() throws IOException {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the browser profile needs headless Chromium: " + BINARY + " and " + DRIVER
                    + " are missing; install them with: apt-get install chromium chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1200,1400", "--user-data-dir=" + Files.createTempDirectory("flowline-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return browser;
    }

    /** Saves what the browser shows as {@code <directory>/<name>.png}. */
    public static void screenshot(ChromeDriver browser, Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Files.write(directory.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
