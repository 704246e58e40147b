package dev.opsflow.dashboard;

import dev.opsflow.workflow.peers.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver, both given by
 * absolute path so that Selenium Manager never looks for a download. Without them the test is
 * skipped (failed under {@code OPSFLOW_REQUIRE_PEERS=1}). One per test class.
 */
final class Browser implements AutoCloseable {
  /** Screenshots go here; with {@code -Dopsflow.screenshots=DIR}, also to DIR (docs/dashboard). */
  private static final Path SHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;

  Browser(Path profile) {
    Path chromium = Peers.require("chromium", "chromium");
    Path chromedriver = Peers.require("chromedriver", "chromium-driver");
    var options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    var logging = new org.openqa.selenium.logging.LoggingPreferences();
    logging.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logging);
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  void open(String url) {
    driver.get(url);
  }

  /** Waits (30 s at most, a bound for a hang) until the element's text is {@code text}. */
  void untilText(By by, String text) {
    until(ExpectedConditions.textToBe(by, text));
  }

  /** Waits until the element's text contains {@code text}. */
  void untilTextContains(By by, String text) {
    until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  private void until(org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
    try {
      wait30().until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          e.getMessage().lines().findFirst().orElse("")
              + "\nthe page's console:\n"
              + console()
              + "\nthe page:\n"
              + driver.findElement(By.tagName("main")).getText(),
          e);
    }
  }

  WebElement find(By by) {
    return wait30().until(ExpectedConditions.presenceOfElementLocated(by));
  }

  private WebDriverWait wait30() {
    var w = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(20));
    w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return w;
  }

  /** Marks the page, so a test can tell that it was not reloaded since. */
  void mark() {
    driver.executeScript("window.__opsflowMark = 'not reloaded';");
  }

  boolean marked() {
    return "not reloaded".equals(driver.executeScript("return window.__opsflowMark;"));
  }

  /** Saves a screenshot of the page as {@code name}.png. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SHOTS);
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      String docs = System.getProperty("opsflow.screenshots");
      if (docs != null) {
        Files.createDirectories(Path.of(docs));
        Files.copy(shot, Path.of(docs, name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the page wrote to its console (errors included), for a failure's message. */
  String console() {
    var out = new StringBuilder();
    driver
        .manage()
        .logs()
        .get(org.openqa.selenium.logging.LogType.BROWSER)
        .forEach(e -> out.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n'));
    return out.toString();
  }

  WebDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
