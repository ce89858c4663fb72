package dev.remediator.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both binaries are named
 * explicitly so Selenium never runs Selenium Manager, which would look for (and download) a
 * driver of its own; start refuses to go on unless Selenium says it skipped it. The browser is
 * told not to phone home: the tests touch nothing but the loopback server.
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
    SkippedManager skipped = SkippedManager.listen();
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
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } finally {
      skipped.stop();
    }
    if (!skipped.seen()) {
      driver.quit();
      service.stop();
      throw new IllegalStateException("Selenium did not confirm that it skipped Selenium Manager for "
          + CHROMEDRIVER + "; it may have looked for a driver of its own");
    }
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

  /**
   * Listens to Selenium's driver lookup, which says at FINE level when it uses the driver the
   * service names instead of running Selenium Manager (the part that would download one).
   */
  private static final class SkippedManager extends Handler {
    private static final Logger LOOKUP = Logger.getLogger("org.openqa.selenium.remote.service.DriverFinder");
    private final Level before = LOOKUP.getLevel();
    private volatile boolean seen;

    static SkippedManager listen() {
      SkippedManager handler = new SkippedManager();
      handler.setLevel(Level.ALL);
      LOOKUP.setLevel(Level.FINE);
      LOOKUP.addHandler(handler);
      return handler;
    }

    @Override
    public void publish(LogRecord record) {
      if (record.getMessage() != null && record.getMessage().startsWith("Skipping Selenium Manager")) {
        seen = true;
      }
    }

    boolean seen() {
      return seen;
    }

    void stop() {
      LOOKUP.removeHandler(this);
      LOOKUP.setLevel(before);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
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
