package dev.remediator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BaseUrlTest {
  @Test
  void keepsAPathPrefixAndDropsATrailingSlash() {
    assertThat(BaseUrl.parse("REMEDIATOR_PROMETHEUS_URL", " https://prom.example/behind/proxy/ ", "http://p:9090", true))
        .isEqualTo(URI.create("https://prom.example/behind/proxy"));
    assertThat(BaseUrl.parse("REMEDIATOR_ALERTMANAGER_URL", "http://alertmanager:9093", "http://a:9093", false))
        .isEqualTo(URI.create("http://alertmanager:9093"));
  }

  @Test
  void refusesWhatIsNotAnHttpBaseUrlNamingTheVariableAndTheExample() {
    assertThatThrownBy(() -> BaseUrl.parse("REMEDIATOR_ALERTMANAGER_URL", "alertmanager:9093",
        "http://alertmanager:9093", false))
        .hasMessage("REMEDIATOR_ALERTMANAGER_URL must be an http or https URL with a host, like http://alertmanager:9093,"
            + " without credentials, query or fragment, but was \"alertmanager:9093\"");
    assertThatThrownBy(() -> BaseUrl.parse("REMEDIATOR_EXTERNAL_URL", "https://r.example/?x=1", "https://r", false))
        .hasMessageContaining("but was \"https://r.example/?x=1\"");
    assertThatThrownBy(() -> BaseUrl.parse("REMEDIATOR_EXTERNAL_URL", "https://r.example/#top", "https://r", false))
        .hasMessageContaining("without credentials, query or fragment");
  }

  @Test
  void credentialsAreAllowedOnlyWhereTheServiceTakesThemAndNeverRepeated() {
    assertThat(BaseUrl.parse("REMEDIATOR_PROMETHEUS_URL", "http://ops:s3cret@prom:9090", "http://p:9090", true))
        .isEqualTo(URI.create("http://ops:s3cret@prom:9090"));
    assertThatThrownBy(() -> BaseUrl.parse("REMEDIATOR_EXTERNAL_URL", "ftp://ops:s3cret@files", "https://r", false))
        .hasMessageContaining("\"ftp://ops:***@files\"")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> BaseUrl.parse("REMEDIATOR_ALERTMANAGER_URL", "http://ops:s3cret@am:9093", "http://a", false))
        .hasMessageNotContaining("s3cret");
  }
}
