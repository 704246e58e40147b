package dev.opsflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.steps.ClusterClientFactory;
import dev.opsflow.redis.enterprise.testing.RedisBackend;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.redis.enterprise.workflows.RedisEnterpriseWorkflows;
import dev.opsflow.workflow.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser (Debian's headless Chromium): start a workflow from its form on
 * the Redis Enterprise simulator, watch a run's sub-task change without a reload, cancel a second
 * run, find both in the history, and watch a batch of 20 servers' totals move. Each page is
 * screenshotted (for docs/dashboard.md).
 */
class DashboardBrowserTest {
  static Browser browser;
  static Path profile;

  @TempDir Path dir;
  Fixture f;

  /** Why there is no browser (Chromium missing), for each test to report itself skipped. */
  static String missing;

  @BeforeAll
  static void startBrowser() throws Exception {
    profile = Files.createTempDirectory("opsflow-chromium-");
    try {
      browser = new Browser(profile);
    } catch (org.opentest4j.TestAbortedException e) {
      // Skipped here, the class would report no test at all; each test reports it instead.
      missing = e.getMessage();
    }
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeEach
  void start() {
    org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, () -> missing);
    f = new Fixture(dir);
    // The token rides in the URL's fragment, as DashboardServer.signInUrl() gives it.
    browser.open(f.dashboard.signInUrl().toString());
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private String page(String path) {
    return f.uri(path).toString();
  }

  private void type(String id, String value) {
    org.openqa.selenium.WebElement input;
    try {
      input = browser.find(By.id(id));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "no #"
              + id
              + "; the page's console:\n"
              + browser.console()
              + browser.driver().getPageSource(),
          e);
    }
    input.clear();
    input.sendKeys(value);
  }

  @Test
  void startsInitClusterFromItsFormOnTheSimulator() {
    try (var sim =
        RedisEnterpriseSimulator.builder()
            .bootstrapDuration(Duration.ofMillis(500))
            .databaseCreationDuration(Duration.ofMillis(500))
            .redisBackend(RedisBackend.RESPONDER)
            .start()) {
      RedisEnterpriseWorkflows.registerAll(
          f.registry, ClusterClientFactory.fromContext(sim.trustCertificate()));
      browser.open(page("/workflows"));
      browser.screenshot("workflows");
      browser.find(By.cssSelector("a[href='/start/init-cluster']")).click();

      browser.untilText(By.cssSelector("h1"), "Start init-cluster");
      assertThat(browser.find(By.id("in-password")).getAttribute("type")).isEqualTo("password");
      type("in-url", sim.url());
      type("in-username", "admin@example.com");
      type("in-password", "s3cret-pass");
      type("in-databaseName", "orders");
      browser.driver.executeScript("window.scrollTo(0, 0);");
      browser.screenshot("start");
      browser.find(By.id("start")).click();

      browser.untilText(By.cssSelector("#run-state .badge"), "COMPLETED");
      assertThat(browser.driver().getCurrentUrl()).contains("/runs/");
      browser.untilText(By.cssSelector("li[data-step='create-database'] .badge"), "COMPLETED");
      assertThat(browser.find(By.id("outputs")).getText()).contains("orders");
      assertThat(browser.driver().getPageSource()).doesNotContain("s3cret-pass");
      assertThat(sim.databaseNames()).contains("orders");
      browser.screenshot("run-completed");
    }
  }

  @Test
  void aFormErrorNamesTheInputAndKeepsThePage() {
    browser.open(page("/start/provision-server"));
    type("in-server", "NOT A SERVER");
    browser.find(By.id("start")).click();

    browser.untilTextContains(
        By.id("outcome"), "input 'server': 'NOT A SERVER' is not a server id");
    assertThat(browser.find(By.id("f-server")).getAttribute("class")).contains("invalid");
    assertThat(f.engine.history(dev.opsflow.workflow.spi.RunQuery.all())).isEmpty();
  }

  @Test
  void followsASubTaskLiveCancelsASecondRunAndFindsBothInHistory() {
    browser.open(page("/start/provision-server"));
    type("in-server", "srv-101");
    browser.find(By.id("start")).click();
    browser.untilText(By.id("run-subtask"), "Exporting BIOS config of srv-101");
    String first = browser.driver().getCurrentUrl();
    browser.mark();

    f.gates.open("srv-101", 1);
    browser.untilText(By.id("run-subtask"), "Applying BMC settings of srv-101");
    assertThat(browser.marked()).as("the page was not reloaded").isTrue();
    browser.untilText(By.cssSelector("li[data-step='configure'] .badge"), "RUNNING");
    browser.untilText(By.cssSelector("li[data-step='check'] .badge"), "COMPLETED");
    browser.screenshot("run-live");

    browser.open(page("/start/provision-server"));
    type("in-server", "srv-102");
    browser.find(By.id("start")).click();
    browser.untilText(By.id("run-subtask"), "Exporting BIOS config of srv-102");
    browser.open(page("/"));
    browser.untilText(By.cssSelector("tr[data-run] .subtask"), "Exporting BIOS config of srv-102");
    assertThat(browser.driver().findElements(By.cssSelector("#active-runs tbody tr"))).hasSize(2);
    browser.screenshot("active");

    browser.driver().navigate().back();
    browser.untilText(By.id("run-subtask"), "Exporting BIOS config of srv-102");
    browser.find(By.id("cancel")).click();
    browser.untilText(By.cssSelector("#run-state .badge"), "CANCELLED");
    browser.screenshot("run-cancelled");

    f.gates.open("srv-101", 2);
    browser.open(first);
    browser.untilText(By.cssSelector("#run-state .badge"), "COMPLETED");

    browser.open(page("/history"));
    browser.find(By.id("history"));
    var rows = browser.driver().findElements(By.cssSelector("#history tbody tr"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getText()).contains("CANCELLED");
    assertThat(rows.get(1).getText()).contains("COMPLETED");
    browser.screenshot("history");

    new Select(browser.find(By.id("filter-state"))).selectByValue("CANCELLED");
    browser.find(By.id("filter-apply")).click();
    browser.untilTextContains(By.cssSelector("#history tbody"), "CANCELLED");
    assertThat(browser.driver().findElements(By.cssSelector("#history tbody tr"))).hasSize(1);
  }

  @Test
  void aBatchOfTwentyServersMovesItsTotalsLive() {
    String servers =
        IntStream.rangeClosed(1, 20)
            .mapToObj(i -> String.format("rack-%02d", i))
            .collect(Collectors.joining("\n"));
    browser.open(page("/start/provision-server"));
    type("batch-servers", servers);
    type("batch-parallel", "5");
    browser.find(By.id("start")).click();

    browser.untilText(By.cssSelector("#total-running .v"), "5");
    browser.untilText(By.cssSelector("#total-pending .v"), "15");
    browser.mark();
    for (int i = 1; i <= 8; i++) {
      String s = String.format("rack-%02d", i);
      f.gates.open(s, 1);
      f.gates.open(s, 2);
    }
    browser.untilText(By.cssSelector("#total-succeeded .v"), "8");
    browser.untilText(By.cssSelector("#total-running .v"), "5");
    browser.untilText(By.cssSelector("tr[data-item='rack-10'] .badge"), "RUNNING");
    browser.screenshot("batch");

    for (int i = 9; i <= 20; i++) {
      String s = String.format("rack-%02d", i);
      f.gates.open(s, 1);
      f.gates.open(s, 2);
    }
    browser.untilText(By.cssSelector("#total-succeeded .v"), "20");
    browser.untilText(By.cssSelector("#batch-state .badge"), "COMPLETED");
    assertThat(browser.marked()).as("the page was not reloaded").isTrue();
    assertThat(
            f.engine.history(dev.opsflow.workflow.spi.RunQuery.all().withState(RunState.COMPLETED)))
        .hasSize(20);
  }
}
