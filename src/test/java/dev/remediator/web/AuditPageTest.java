package dev.remediator.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.http.SecurityHeaders;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.RunningApp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's frame over plain HTTP against the real server: the sign-in form, sessions, CSRF,
 * sign-out, expiry and the security headers. What the browser does with the page is
 * {@code AuditPageIT}'s job.
 */
class AuditPageTest {
  private static final String OPERATOR_TOKEN = "operator-token";
  private static final String VIEWER_TOKEN = "viewer-token";
  private static final MediaType JSON = MediaType.get("application/json");

  @TempDir
  Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-24T08:00:00Z");
  private final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false)
      .callTimeout(Duration.ofSeconds(20)).build();
  private RunningApp app;

  @BeforeEach
  void start() {
    app = RunningApp.start(dir, "rules: []\n", Optional.empty(), Optional.of("hook-token"),
        Optional.of(OPERATOR_TOKEN), false, Map.of(),
        config -> config.withClock(clock).withViewerToken(Optional.of(VIEWER_TOKEN)));
  }

  @AfterEach
  void stop() {
    app.close();
    http.dispatcher().executorService().shutdown();
  }

  @Test
  void withoutASessionThePageIsTheSignInFormWithOnePasswordField() throws IOException {
    try (Response page = call(get("/"))) {
      String html = page.body().string();
      assertThat(page.code()).isEqualTo(200);
      assertThat(page.header("Content-Type")).startsWith("text/html");
      assertThat(html).contains("<form method=\"post\" action=\"/sign-in\">")
          .contains("type=\"password\"").doesNotContain("csrf-token").doesNotContain("events-table");
    }
  }

  @Test
  void everyAnswerCarriesTheContentSecurityPolicyAndFriends() throws IOException {
    for (String path : new String[] {"/", "/static/app.js", "/api/v1/breakers", "/-/healthy"}) {
      try (Response answer = call(get(path))) {
        assertThat(answer.header("Content-Security-Policy")).as(path)
            .isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY);
        assertThat(answer.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        assertThat(answer.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
      }
    }
    assertThat(SecurityHeaders.CONTENT_SECURITY_POLICY).contains("script-src 'self';", "frame-ancestors 'none'",
        "base-uri 'none'", "object-src 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
  }

  @Test
  void aWrongTokenIsRefusedAndOpensNoSession() throws IOException {
    try (Response answer = call(signIn("not-the-token"))) {
      assertThat(answer.code()).isEqualTo(401);
      assertThat(answer.header("Set-Cookie")).isNull();
      assertThat(answer.body().string()).contains("That token is not a viewer or operator token.");
    }
    try (Response answer = call(signIn("hook-token"))) {
      assertThat(answer.code()).as("the webhook token may not read the audit trail").isEqualTo(403);
      assertThat(answer.header("Set-Cookie")).isNull();
    }
  }

  @Test
  void signingInSetsAStrictHttpOnlyCookieThatAuthorizesTheApi() throws IOException {
    String cookie = signInAs(OPERATOR_TOKEN);
    try (Response page = call(get("/").header("Cookie", cookie))) {
      String html = page.body().string();
      assertThat(html).contains("signed in as operator").contains("id=\"pause-controls\"")
          .contains("<meta name=\"csrf-token\" content=\"");
      assertThat(html).doesNotContain(OPERATOR_TOKEN);
    }
    try (Response breakers = call(get("/api/v1/breakers").header("Cookie", cookie))) {
      assertThat(breakers.code()).isEqualTo(200);
    }
  }

  @Test
  void aViewerSessionReadsButMayNotChangeAnythingEvenWithTheCsrfToken() throws IOException {
    String cookie = signInAs(VIEWER_TOKEN);
    String csrf = csrfOf(cookie);
    try (Response page = call(get("/").header("Cookie", cookie))) {
      String html = page.body().string();
      assertThat(html).contains("signed in as viewer").doesNotContain("pause-controls");
    }
    try (Response audit = call(get("/api/v1/audit").header("Cookie", cookie))) {
      assertThat(audit.code()).isEqualTo(200);
    }
    try (Response answer = call(post("/api/v1/pause", "{\"reason\":\"drill\"}").header("Cookie", cookie)
        .header("X-CSRF-Token", csrf))) {
      assertThat(answer.code()).isEqualTo(403);
      assertThat(answer.body().string()).contains("this session does not grant access to /api/v1/pause");
    }
    assertThat(app.get("/-/ready").body()).contains("\"paused\":false");
  }

  @Test
  void aBlankTokenIsAskedForAgain() throws IOException {
    try (Response answer = call(signIn(" "))) {
      assertThat(answer.code()).isEqualTo(400);
      assertThat(answer.body().string()).contains("Enter the viewer or operator token.");
    }
  }

  @Test
  void aCookiePostWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws IOException {
    String cookie = signInAs(OPERATOR_TOKEN);
    String csrf = csrfOf(cookie);
    try (Response answer = call(post("/api/v1/pause", "{\"reason\":\"drill\"}").header("Cookie", cookie))) {
      assertThat(answer.code()).isEqualTo(403);
      assertThat(answer.body().string()).contains("\"field\":\"X-CSRF-Token\"")
          .contains("missing or wrong CSRF token");
    }
    try (Response answer = call(post("/api/v1/pause", "{\"reason\":\"drill\"}").header("Cookie", cookie)
        .header("X-CSRF-Token", csrf + "x"))) {
      assertThat(answer.code()).isEqualTo(403);
    }
    assertThat(app.get("/-/ready").body()).contains("\"paused\":false");
    try (Response answer = call(post("/api/v1/pause", "{\"reason\":\"drill\"}").header("Cookie", cookie)
        .header("X-CSRF-Token", csrf))) {
      assertThat(answer.code()).isEqualTo(200);
    }
    assertThat(app.get("/-/ready").body()).contains("\"paused\":true");
  }

  @Test
  void bearerTokenClientsNeedNoCsrfToken() throws IOException {
    try (Response answer = call(post("/api/v1/pause", "{\"reason\":\"drill\"}")
        .header("Authorization", "Bearer " + OPERATOR_TOKEN))) {
      assertThat(answer.code()).isEqualTo(200);
    }
  }

  @Test
  void signingOutEndsTheSessionOnTheServerAndClearsTheCookie() throws IOException {
    String cookie = signInAs(OPERATOR_TOKEN);
    String csrf = csrfOf(cookie);
    try (Response refused = call(new Request.Builder().url(app.url("/sign-out"))
        .post(new FormBody.Builder().add("csrf", "wrong").build()).header("Cookie", cookie))) {
      assertThat(refused.code()).isEqualTo(403);
    }
    try (Response out = call(new Request.Builder().url(app.url("/sign-out"))
        .post(new FormBody.Builder().add("csrf", csrf).build()).header("Cookie", cookie))) {
      assertThat(out.code()).isEqualTo(303);
      assertThat(out.header("Location")).isEqualTo("/");
      assertThat(out.header("Set-Cookie")).startsWith("remediator_session=; Path=/; Max-Age=0");
    }
    try (Response after = call(get("/api/v1/breakers").header("Cookie", cookie))) {
      assertThat(after.code()).as("the old cookie is worthless once signed out").isEqualTo(401);
    }
    try (Response page = call(get("/").header("Cookie", cookie))) {
      assertThat(page.body().string()).contains("action=\"/sign-in\"");
    }
  }

  @Test
  void aSessionExpiresEightHoursAfterSignIn() throws IOException {
    String cookie = signInAs(OPERATOR_TOKEN);
    clock.advance(Duration.ofHours(8).minusSeconds(1));
    try (Response before = call(get("/api/v1/breakers").header("Cookie", cookie))) {
      assertThat(before.code()).isEqualTo(200);
    }
    clock.advance(Duration.ofSeconds(1));
    try (Response after = call(get("/api/v1/breakers").header("Cookie", cookie))) {
      assertThat(after.code()).isEqualTo(401);
    }
  }

  @Test
  void aFormFromAnotherSiteCannotSignIn() throws IOException {
    try (Response answer = call(signIn(OPERATOR_TOKEN).header("Origin", "https://evil.example"))) {
      assertThat(answer.code()).isEqualTo(403);
      assertThat(answer.header("Set-Cookie")).isNull();
    }
  }

  @Test
  void filtersFromTheAddressAreEscapedIntoThePage() throws IOException {
    String cookie = signInAs(OPERATOR_TOKEN);
    String hostile = "\"><script>alert(1)</script>";
    Request request = new Request.Builder().url(okhttp3.HttpUrl.get(app.url("/")).newBuilder()
        .addQueryParameter("alertname", hostile).build()).get().header("Cookie", cookie).build();
    try (Response page = call(request.newBuilder())) {
      String html = page.body().string();
      assertThat(html).contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"")
          .doesNotContain("<script>alert(1)");
    }
  }

  @Test
  void servesItsScriptAndStyleSheetAndNothingElse() throws IOException {
    try (Response script = call(get("/static/app.js"))) {
      assertThat(script.code()).isEqualTo(200);
      assertThat(script.header("Content-Type")).startsWith("text/javascript");
      assertThat(script.body().string()).contains("textContent").doesNotContain("innerHTML");
    }
    try (Response css = call(get("/static/app.css"))) {
      assertThat(css.header("Content-Type")).startsWith("text/css");
    }
    try (Response missing = call(get("/static/..%2Fapp.js"))) {
      assertThat(missing.code()).isEqualTo(404);
    }
  }

  private String signInAs(String token) throws IOException {
    try (Response answer = call(signIn(token))) {
      assertThat(answer.code()).isEqualTo(303);
      String setCookie = answer.header("Set-Cookie");
      assertThat(setCookie).matches("remediator_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=28800; HttpOnly; "
          + "SameSite=Strict");
      return setCookie.substring(0, setCookie.indexOf(';'));
    }
  }

  private String csrfOf(String cookie) throws IOException {
    try (Response page = call(get("/").header("Cookie", cookie))) {
      String html = page.body().string();
      String marker = "<meta name=\"csrf-token\" content=\"";
      int start = html.indexOf(marker) + marker.length();
      return html.substring(start, html.indexOf('"', start));
    }
  }

  private Request.Builder get(String path) {
    return new Request.Builder().url(app.url(path)).get();
  }

  private Request.Builder post(String path, String json) {
    return new Request.Builder().url(app.url(path)).post(RequestBody.create(json, JSON));
  }

  private Request.Builder signIn(String token) {
    return new Request.Builder().url(app.url("/sign-in")).post(new FormBody.Builder().add("token", token).build());
  }

  private Response call(Request.Builder request) throws IOException {
    return http.newCall(request.build()).execute();
  }
}
