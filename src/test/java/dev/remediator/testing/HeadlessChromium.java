package dev.remediator.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both binaries are named
 * explicitly so Selenium never looks for (or downloads) a driver or browser of its own, and the
 * browser is told not to phone home: the tests touch nothing but the loopback server.
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  /** Starts one browser; install the Debian packages {@code chromium} and {@code chromium-driver} first. */
  public static HeadlessChromium start() {
    for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(binary)) {
        throw new IllegalStateException(binary + " is missing: apt-get install -y chromium chromium-driver");
      }
    }
    // Belt and braces: even if a lookup were attempted, Selenium Manager may not go online.
    System.setProperty("SE_OFFLINE", "true");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogOutput(System.err)
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage", "--no-pings",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--window-size=1280,900",
        // Whatever the browser still wants to look up (account and update servers) resolves to
        // nothing, so not even a DNS query leaves the machine; the loopback server stays reachable.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    return new HeadlessChromium(service, driver);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Resizes the window to {@code width} (CSS pixels) and saves a full-height screenshot to {@code file}. */
  public void screenshot(int width, Path file) {
    Object height = driver.executeScript("return Math.max(document.body.scrollHeight, 600);");
    driver.manage().window().setSize(new Dimension(width, ((Number) height).intValue() + 140));
    File shot = driver.getScreenshotAs(OutputType.FILE);
    try {
      Files.createDirectories(file.getParent());
      Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the screenshot " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
