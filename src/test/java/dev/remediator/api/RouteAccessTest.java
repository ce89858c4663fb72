package dev.remediator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.http.Role;
import dev.remediator.testing.RunningApp;
import dev.remediator.testing.RunningApp.Answer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the route table, whatever it is and whenever it was added, called with every
 * kind of credential: none and a wrong one get 401, a valid one without the route's role 403,
 * one with it gets past the check (the handler may then refuse an empty body or unknown id).
 */
class RouteAccessTest {
  private static final String NONE = "none";
  private static final String WRONG = "wrong";
  private static final String WEBHOOK = "webhook";
  private static final String VIEWER = "viewer";
  private static final String OPERATOR = "operator";
  private static final Map<String, String> HEADERS = new LinkedHashMap<>();

  static {
    HEADERS.put(NONE, null);
    HEADERS.put(WRONG, "Bearer not-a-token");
    HEADERS.put(WEBHOOK, "Bearer hook-token");
    HEADERS.put(VIEWER, "Bearer view-token");
    HEADERS.put(OPERATOR, "Bearer op-token");
  }

  @TempDir
  Path dir;
  private RunningApp app;

  @BeforeEach
  void start() {
    app = RunningApp.start(dir, "rules: []\n", Optional.empty(), Optional.of("hook-token"), Optional.of("op-token"),
        false, Map.of(), config -> config.withViewerToken(Optional.of("view-token")));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /** Whether {@code credential} may call a route that declares {@code role}. */
  private static boolean grants(String credential, Role role) {
    switch (role) {
      case ANYONE: return true;
      case WEBHOOK: return credential.equals(WEBHOOK);
      case VIEWER: return credential.equals(VIEWER) || credential.equals(OPERATOR);
      case OPERATOR: return credential.equals(OPERATOR);
      default: throw new IllegalArgumentException(role.name());
    }
  }

  @Test
  void everyRouteAnswersEveryCredentialAsItsRoleSays() {
    List<dev.remediator.api.ApiServer.Route> routes = app.app().routes();
    assertThat(routes).contains(
        new ApiServer.Route("POST", "/webhook", Role.WEBHOOK),
        new ApiServer.Route("GET", "/api/v1/audit", Role.VIEWER),
        new ApiServer.Route("GET", "/api/v1/alerts/{fingerprint}", Role.VIEWER),
        new ApiServer.Route("POST", "/-/reload", Role.OPERATOR),
        new ApiServer.Route("GET", "/-/healthy", Role.ANYONE));
    int checked = 0;
    for (ApiServer.Route route : routes) {
      String path = route.path().replaceAll("\\{[^}/]+}", "1");
      for (Map.Entry<String, String> credential : HEADERS.entrySet()) {
        Map<String, String> headers = credential.getValue() == null
            ? Map.of() : Map.of("Authorization", credential.getValue());
        Answer answer = app.send(route.method(), path, headers);
        String what = credential.getKey() + " on " + route + ": " + answer.body();
        if (grants(credential.getKey(), route.role())) {
          assertThat(answer.status()).as(what).isNotIn(401, 403).isLessThan(500);
        } else if (credential.getKey().equals(NONE) || credential.getKey().equals(WRONG)) {
          assertThat(answer.status()).as(what).isEqualTo(401);
        } else {
          assertThat(answer.status()).as(what).isEqualTo(403);
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(routes.size() * HEADERS.size());
  }

  @Test
  void aRefusedCredentialLearnsWhyAndNoneIsChallenged() {
    Answer none = app.get("/api/v1/audit");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body()).contains("missing or wrong viewer credentials");
    Answer webhook = app.send("GET", "/api/v1/audit", Map.of("Authorization", "Bearer hook-token"));
    assertThat(webhook.status()).isEqualTo(403);
    assertThat(webhook.body()).contains("does not grant access to /api/v1/audit");
    Answer viewer = app.send("POST", "/-/reload", Map.of("Authorization", "Bearer view-token"));
    assertThat(viewer.status()).isEqualTo(403);
    Answer operatorOnWebhook = app.send("POST", "/webhook", Map.of("Authorization", "Bearer op-token"));
    assertThat(operatorOnWebhook.status()).isEqualTo(403);
  }
}
