package dev.remediator.action.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BasePathTest {
  private static final HttpUrl BASE = HttpUrl.get("https://deploy.internal:8443/api/v1");

  @Test
  void pathIsAppendedToTheBasePath() throws Exception {
    assertThat(BasePath.resolve(BASE, "/services/api/restart"))
        .hasToString("https://deploy.internal:8443/api/v1/services/api/restart");
    assertThat(BasePath.resolve(HttpUrl.get("https://deploy.internal/api/v1/"), "/restart"))
        .hasToString("https://deploy.internal/api/v1/restart");
    assertThat(BasePath.resolve(HttpUrl.get("http://127.0.0.1:9000"), "/restart"))
        .hasToString("http://127.0.0.1:9000/restart");
    assertThat(BasePath.resolve(BASE, "/")).hasToString("https://deploy.internal:8443/api/v1/");
  }

  @Test
  void queryIsKeptAndSpacesAreEncoded() throws Exception {
    assertThat(BasePath.resolve(BASE, "/restart?service=api&reason=high error rate"))
        .hasToString("https://deploy.internal:8443/api/v1/restart?service=api&reason=high%20error%20rate");
    assertThat(BasePath.resolve(BASE, "/services/my api")).hasToString("https://deploy.internal:8443/api/v1/services/my%20api");
  }

  @Test
  void anAtSignOrColonInThePathStaysInThePath() throws Exception {
    HttpUrl url = BasePath.resolve(BASE, "/@evil.example:80/x");

    assertThat(url.host()).isEqualTo("deploy.internal");
    assertThat(url.port()).isEqualTo(8443);
    assertThat(url.encodedPath()).isEqualTo("/api/v1/@evil.example:80/x");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "https://evil.example/x       | must be a path, not an absolute URL: the host comes from the target's base_url",
      "http://deploy.internal/api/v1 | must be a path, not an absolute URL: the host comes from the target's base_url",
      "evil.example/x               | must start with \"/\"",
      "restart                      | must start with \"/\"",
      "//evil.example/x             | must not start with \"//\", which would name another host",
      "/../admin                    | must not contain a \".\" or \"..\" segment",
      "/a/../../admin               | must not contain a \".\" or \"..\" segment",
      "/a/..                        | must not contain a \".\" or \"..\" segment",
      "/./restart                   | must not contain a \".\" or \"..\" segment",
      "/%2e%2e/admin                | must not contain a \".\" or \"..\" segment, even percent-encoded",
      "/%2E%2e/admin                | must not contain a \".\" or \"..\" segment, even percent-encoded",
      "/.%2e/admin                  | must not contain a \".\" or \"..\" segment, even percent-encoded",
      "/..%2fadmin                  | must not contain a \".\" or \"..\" segment, even percent-encoded",
      "/%252e%252e/admin            | must not contain a \".\" or \"..\" segment, even percent-encoded",
      "/a\\..\\admin                | must not contain a backslash",
      "/a%5c..%5cadmin              | must not contain a backslash, even percent-encoded",
      "/restart#fragment            | must not contain a fragment (#)",
      "/restart%00                  | must not contain control characters, even percent-encoded",
      "/%25252525252e               | must not be percent-encoded more than 3 times over",
  })
  void refusesPathsThatCouldLeaveTheBase(String path, String reason) {
    assertThatThrownBy(() -> BasePath.resolve(BASE, path))
        .isInstanceOf(BasePath.Refused.class)
        .hasMessage(reason);
  }

  @Test
  void refusesControlCharactersSuchAsNewlines() {
    assertThatThrownBy(() -> BasePath.resolve(BASE, "/restart\r\nHost: evil.example"))
        .isInstanceOf(BasePath.Refused.class)
        .hasMessage("must not contain control characters");
  }

  @Test
  void dotsInsideASegmentAreNotDotSegments() throws Exception {
    assertThat(BasePath.resolve(BASE, "/releases/v1..2/...")).hasToString("https://deploy.internal:8443/api/v1/releases/v1..2/...");
  }

  @Test
  void baseUrlMustBeHttpWithoutQueryOrFragment() throws Exception {
    assertThat(BasePath.base("https://deploy.internal/api")).hasToString("https://deploy.internal/api");
    assertThatThrownBy(() -> BasePath.base("ftp://deploy.internal/api"))
        .hasMessage("base_url must be an http or https URL");
    assertThatThrownBy(() -> BasePath.base("https://deploy.internal/api?key=1"))
        .hasMessage("base_url must not have a query or a fragment");
  }
}
