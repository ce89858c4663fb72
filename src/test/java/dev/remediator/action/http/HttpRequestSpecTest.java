package dev.remediator.action.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.TargetKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRequestSpecTest {
  private final HttpRequestSpec spec = new HttpRequestSpec("http");

  @Test
  void acceptsAFullRequest() {
    assertThat(spec.validate(Map.of("method", "POST", "path", "/services/{{ labels.service }}/restart",
        "body", Map.of("reason", "{{ labels.alertname }}"), "expect", List.of(200, 202), "timeout", "45s"))).isEmpty();
    assertThat(spec.validate(Map.of("method", "HEAD", "path", "/health"))).isEmpty();
  }

  @Test
  void servesHttpTargetsWithStrictTemplatesUnderEachName() {
    assertThat(spec.targetKinds()).containsExactly(TargetKind.HTTP);
    assertThat(spec.strictTemplates()).isTrue();
    assertThat(new HttpRequestSpec("rollback").name()).isEqualTo("rollback");
  }

  @Test
  void methodAndPathAreRequired() {
    assertThat(spec.validate(Map.of())).containsExactly(
        new ParamProblem("method", "is required: one of GET, POST, PUT, PATCH, DELETE, HEAD"),
        new ParamProblem("path", "is required: the request path under the target's base_url"));
  }

  @Test
  void unknownKeysNameTheKnownOnes() {
    assertThat(spec.validate(Map.of("method", "GET", "path", "/x", "url", "https://evil.example")))
        .containsExactly(new ParamProblem("url", "is not a parameter of http (known: method, path, body, expect, timeout)"));
  }

  @Test
  void methodMustBeOneOfTheSixWrittenLiterally() {
    assertThat(spec.validate(Map.of("method", "get", "path", "/x"))).containsExactly(
        new ParamProblem("method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, but was \"get\""));
    assertThat(spec.validate(Map.of("method", "{{ labels.method }}", "path", "/x"))).containsExactly(
        new ParamProblem("method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, but was \"{{ labels.method }}\""));
    assertThat(spec.validate(Map.of("method", 1, "path", "/x"))).containsExactly(
        new ParamProblem("method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, but was 1"));
  }

  @Test
  void pathMustStartWithALiteralSlashAndItsLiteralTextMustStayUnderTheBase() {
    assertThat(spec.validate(Map.of("method", "GET", "path", "{{ labels.path }}"))).containsExactly(
        new ParamProblem("path", "must start with a literal \"/\", not a template"));
    assertThat(spec.validate(Map.of("method", "GET", "path", "/{{ labels.service }}/../admin"))).containsExactly(
        new ParamProblem("path", "must not contain a \".\" or \"..\" segment, but was \"/{{ labels.service }}/../admin\""));
    assertThat(spec.validate(Map.of("method", "GET", "path", "https://{{ labels.host }}/x"))).containsExactly(
        new ParamProblem("path", "must be a path, not an absolute URL: the host comes from the target's base_url,"
            + " but was \"https://{{ labels.host }}/x\""));
    assertThat(spec.validate(Map.of("method", "GET", "path", 42))).containsExactly(
        new ParamProblem("path", "must be a string, but was 42"));
  }

  @Test
  void bodyIsAStringOrJsonAndNeverGoesWithGetOrHead() {
    assertThat(spec.validate(Map.of("method", "GET", "path", "/x", "body", "on"))).containsExactly(
        new ParamProblem("body", "is not allowed with method GET"));
    assertThat(spec.validate(Map.of("method", "POST", "path", "/x", "body", 3))).containsExactly(
        new ParamProblem("body", "must be a string, or a mapping or list to send as JSON, but was 3"));
    assertThat(spec.validate(Map.of("method", "POST", "path", "/x", "body", List.of(1, 2)))).isEmpty();
  }

  @Test
  void expectIsANonEmptyListOfStatusCodes() {
    assertThat(spec.validate(Map.of("method", "GET", "path", "/x", "expect", 200))).containsExactly(
        new ParamProblem("expect", "must be a non-empty list of HTTP status codes such as [200, 202], but was 200"));
    assertThat(spec.validate(Map.of("method", "GET", "path", "/x", "expect", List.of()))).containsExactly(
        new ParamProblem("expect", "must be a non-empty list of HTTP status codes such as [200, 202], but was []"));
    assertThat(spec.validate(Map.of("method", "GET", "path", "/x", "expect", List.of(200, "202", 99, 600))))
        .containsExactly(
            new ParamProblem("expect[1]", "must be an HTTP status code from 100 to 599, but was \"202\""),
            new ParamProblem("expect[2]", "must be an HTTP status code from 100 to 599, but was 99"),
            new ParamProblem("expect[3]", "must be an HTTP status code from 100 to 599, but was 600"));
  }

  @Test
  void timeoutIsADurationFromOneSecondToFiveMinutes() {
    assertThat(spec.validate(Map.of("method", "GET", "path", "/x", "timeout", "10m"))).containsExactly(
        new ParamProblem("timeout", "must be between 1s and 5m, but was 10m"));
    assertThat(spec.validate(Map.of("method", "GET", "path", "/x", "timeout", 30))).containsExactly(
        new ParamProblem("timeout", "must be a duration such as 30s, but was 30"));
    assertThat(HttpRequestSpec.timeout(Map.of())).hasSeconds(30);
  }
}
