package dev.remediator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.testing.HeadlessChromium;
import dev.remediator.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The audit page in a real headless Chromium against the real server: signing in, reading
 * events, timelines, approving, pausing, and hostile alert text that must stay text. One browser
 * and one server for the whole class; each test signs in afresh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditPageIT {
  private static final String WEBHOOK = "Bearer hook-token";
  private static final String OPERATOR_TOKEN = "operator-token";
  private static final String VIEWER_TOKEN = "viewer-token";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCRIPT_LABEL = "<script>window.__pwned='script'</script>";
  private static final String IMG_LABEL = "\"><img src=x onerror=\"window.__pwned='img'\">";
  private static final String JS_URL = "javascript:window.__pwned='link'";

  @TempDir
  static Path dir;
  private Path markers;
  private RunningApp app;
  private HeadlessChromium chromium;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeAll
  void start() throws Exception {
    markers = Files.createDirectory(dir.resolve("markers"));
    String rules = """
        targets:
          host: {kind: command}
          flaky: {kind: command, breaker: {min_calls: 2, open_for: 1h}}
        rules:
          - name: run-flaky
            match: ['alertname="Flaky"']
            action: command
            target: flaky
            with: {argv: ["/bin/false"]}
          - name: restart-on-load
            match: ['alertname="Load"']
            action: command
            target: host
            approval: required
            with: {argv: ["/usr/bin/touch", "%1$s/{{ labels.id }}"]}
            allow: {id: "[a-z0-9]{1,8}"}
          - name: hold-hostile
            match: ['kind="hostile"']
            action: command
            target: host
            approval: required
            with: {argv: ["/usr/bin/touch", "%1$s/{{ labels.id }}"]}
            allow: {id: "[a-z0-9]{1,8}"}
        """.formatted(markers);
    app = RunningApp.start(dir, rules, Optional.empty(), Optional.of("hook-token"), Optional.of(OPERATOR_TOKEN),
        false, Map.of(), config -> config.withViewerToken(Optional.of(VIEWER_TOKEN)));
    chromium = HeadlessChromium.start();
    browser = chromium.driver();
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    post(alert(Map.of("alertname", "Load", "id", "a1"), Map.of("summary", "load on a1",
        "runbook_url", "https://runbooks.example/load"), "http://prometheus.example/graph?g0.expr=up"));
    post(alert(Map.of("alertname", "Quiet", "id", "q1"), Map.of(), ""));
    post(alert(Map.of("alertname", SCRIPT_LABEL, "kind", "hostile", "id", "h1", "payload", IMG_LABEL),
        Map.of("runbook_url", JS_URL, "summary", IMG_LABEL, "dashboard_url", "https://grafana.example/d/load"),
        "javascript:alert(document.cookie)"));
    post(alert(Map.of("alertname", "Flaky", "id", "f1"), Map.of(), ""));
    post(alert(Map.of("alertname", "Flaky", "id", "f2"), Map.of(), ""));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(app.rows("select state from remediation order by id")).containsExactly("awaiting_approval",
            "awaiting_approval", "failed", "failed"));
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @BeforeEach
  void signedOut() {
    browser.manage().deleteAllCookies();
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
  }

  @Test
  void aViewerSignsInFiltersTheEventsAndSeesNoOperatorButtons() {
    signIn(VIEWER_TOKEN);
    assertThat(browser.findElement(By.id("whoami")).getText()).isEqualTo("signed in as viewer");
    wait.until(d -> !d.findElements(By.cssSelector("#approvals-list article.approval")).isEmpty());
    wait.until(d -> !d.findElements(By.cssSelector("#events-body tr")).isEmpty());
    wait.until(d -> !d.findElements(By.cssSelector("#counts-list li[data-outcome='awaiting_approval']")).isEmpty());
    assertThat(browser.findElements(By.id("pause-controls"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("button.approve, button.reject, button.reset"))).isEmpty();
    assertThat(alertsShown()).contains("Load", "Quiet", SCRIPT_LABEL);

    browser.findElement(By.id("filter-alertname")).sendKeys("Quiet");
    browser.findElement(By.id("filter-button")).click();
    wait.until(d -> alertsShown().stream().allMatch("Quiet"::equals));
    assertThat(alertsShown()).isNotEmpty();
    assertThat(texts("#events-body td.kind")).contains("received", "unmatched");
    assertThat(browser.getCurrentUrl()).endsWith("/?alertname=Quiet");

    browser.findElement(By.id("filter-alertname")).clear();
    browser.findElement(By.id("filter-button")).click();
    wait.until(d -> alertsShown().contains("Load"));
    chromium.screenshot(1280, SCREENSHOTS.resolve("viewer-1280.png"));
    chromium.screenshot(390, SCREENSHOTS.resolve("viewer-390.png"));
    assertThat(SCREENSHOTS.resolve("viewer-390.png")).isNotEmptyFile();
    Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth;");
    Number clientWidth = (Number) browser.executeScript("return document.documentElement.clientWidth;");
    assertThat(scrollWidth.intValue()).as("nothing forces sideways scrolling on a phone").isLessThanOrEqualTo(
        clientWidth.intValue());
  }

  @Test
  void anOperatorSeesTheKillSwitchAndTheApprovalButtons() {
    signIn(OPERATOR_TOKEN);
    assertThat(browser.findElement(By.id("whoami")).getText()).isEqualTo("signed in as operator");
    wait.until(d -> !d.findElements(By.cssSelector("#approvals-list button.approve")).isEmpty());
    assertThat(browser.findElement(By.id("pause-controls")).isDisplayed()).isTrue();
    wait.until(d -> !d.findElements(By.cssSelector("#events-body tr")).isEmpty());
    chromium.screenshot(1280, SCREENSHOTS.resolve("operator-1280.png"));
    chromium.screenshot(390, SCREENSHOTS.resolve("operator-390.png"));
    assertThat(SCREENSHOTS.resolve("operator-1280.png")).isNotEmptyFile();
  }

  @Test
  void aTimelineShowsEveryStepOfARemediationWithTheTimeBetweenThem() {
    signIn(VIEWER_TOKEN);
    WebElement card = approvalCard(SCRIPT_LABEL);
    card.findElement(By.cssSelector("button.open-timeline")).click();
    wait.until(d -> d.findElements(By.cssSelector("#timeline-list li")).size() >= 4);
    List<String> kinds = texts("#timeline-list li .kind");
    assertThat(kinds).startsWith("received", "matched", "guard").contains("decided");
    assertThat(texts("#timeline-list li .gap").get(1)).matches("\\+\\d.*");
    assertThat(browser.findElement(By.cssSelector("#timeline-summary .state")).getText())
        .isEqualTo("awaiting_approval");
  }

  @Test
  void anOperatorApprovesAPendingRemediationAndSeesItRun() {
    signIn(OPERATOR_TOKEN);
    WebElement card = approvalCard("Load");
    card.findElement(By.cssSelector("button.approve")).click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#timeline-summary .state"), "succeeded"));
    assertThat(markers.resolve("a1")).exists();
    List<String> kinds = texts("#timeline-list li .kind");
    assertThat(kinds).contains("approved", "started", "succeeded");
    wait.until(d -> d.findElements(By.xpath("//article[contains(@class,'approval')]//strong[text()='Load']"))
        .isEmpty());
  }

  @Test
  void anOperatorResetsAnOpenBreaker() {
    signIn(OPERATOR_TOKEN);
    By flaky = By.xpath("//tr[contains(@class,'breaker')][td[2][text()='flaky']]");
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(flaky));
    assertThat(row.findElement(By.cssSelector("td.state")).getText()).isEqualTo("open");
    row.findElement(By.cssSelector("button.reset")).click();
    wait.until(d -> "closed".equals(texts("#breakers-list tr.breaker td.state").stream().findFirst().orElse("")));
    assertThat(app.rows("select actor from audit_event where kind = 'breaker_reset'"))
        .containsExactly("operator@127.0.0.1");
  }

  @Test
  void pausingShowsTheBannerAndResumingRemovesIt() {
    signIn(OPERATOR_TOKEN);
    browser.findElement(By.id("pause-reason")).sendKeys("deploy freeze <b>now</b>");
    browser.findElement(By.id("pause-for")).sendKeys("1h");
    browser.findElement(By.id("pause-button")).click();
    WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pause-banner")));
    wait.until(ExpectedConditions.textToBePresentInElement(banner, "deploy freeze <b>now</b>"));
    assertThat(banner.getText()).startsWith("Paused: remediator acts on nothing.").contains("until ");
    assertThat(banner.findElements(By.tagName("b"))).isEmpty();
    chromium.screenshot(390, SCREENSHOTS.resolve("paused-390.png"));
    chromium.screenshot(1280, SCREENSHOTS.resolve("paused-1280.png"));
    browser.findElement(By.id("resume-button")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("pause-banner")));
    assertThat(app.get("/-/ready").body()).contains("\"paused\":false");
  }

  @Test
  void hostileLabelsAnnotationsAndUrlsAreShownAsInertText() {
    signIn(OPERATOR_TOKEN);
    WebElement card = approvalCard(SCRIPT_LABEL);
    assertThat(card.getText()).contains(SCRIPT_LABEL).contains(IMG_LABEL).contains(JS_URL)
        .contains("javascript:alert(document.cookie)");
    wait.until(d -> alertsShown().contains(SCRIPT_LABEL));
    card.findElement(By.cssSelector("button.open-timeline")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline-summary"),
        "javascript:alert(document.cookie)"));
    assertThat(browser.findElements(By.cssSelector("a[href^='javascript:' i]"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("img"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("script:not([src='/static/app.js'])"))).isEmpty();
    assertThat(browser.executeScript("return window.__pwned === undefined;")).isEqualTo(true);
    assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    assertThat(card.findElements(By.cssSelector("a[href='https://grafana.example/d/load']")))
        .as("an https URL is still a link").hasSize(1);
  }

  private List<String> alertsShown() {
    return texts("#events-body td.alert");
  }

  /** The text of every element {@code selector} matches, read at once so a refresh cannot go stale under it. */
  @SuppressWarnings("unchecked")
  private List<String> texts(String selector) {
    return (List<String>) browser.executeScript(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);", selector);
  }

  private void signIn(String token) {
    browser.get(app.url("/"));
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    assertThat(field.getAttribute("type")).isEqualTo("password");
    field.sendKeys(token);
    browser.findElement(By.cssSelector("form[action='/sign-in'] button")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("whoami")));
  }

  private WebElement approvalCard(String alertname) {
    By card = By.xpath("//article[contains(@class,'approval')][.//strong[@class='alertname' and text()="
        + xpathLiteral(alertname) + "]]");
    return wait.until(ExpectedConditions.visibilityOfElementLocated(card));
  }

  private static String xpathLiteral(String text) {
    if (!text.contains("'")) {
      return "'" + text + "'";
    }
    return "concat('" + text.replace("'", "', \"'\", '") + "')";
  }

  private void post(String payload) {
    assertThat(app.post("/webhook", payload, "application/json", WEBHOOK).status()).isEqualTo(200);
  }

  private static String alert(Map<String, String> labels, Map<String, String> annotations, String generatorUrl)
      throws Exception {
    Map<String, Object> alert = Map.of("status", "firing", "labels", labels, "annotations", annotations,
        "startsAt", "2026-11-22T10:00:00Z", "endsAt", "0001-01-01T00:00:00Z", "generatorURL", generatorUrl,
        "fingerprint", labels.get("id"));
    return JSON.writeValueAsString(Map.of("version", "4", "groupKey", "g-" + labels.get("id"), "truncatedAlerts", 0,
        "status", "firing", "receiver", "remediator", "groupLabels", Map.of(), "commonLabels", Map.of(),
        "commonAnnotations", Map.of(), "externalURL", "http://alertmanager:9093", "alerts", List.of(alert)));
  }
}
