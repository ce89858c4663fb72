package dev.remediator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadExceptionTest {
  @Test
  void messageIsFieldThenReason() {
    PayloadException e = new PayloadException("alerts[0].labels.alertname", "is required");

    assertThat(e.getMessage()).isEqualTo("alerts[0].labels.alertname: is required");
    assertThat(e.status()).isEqualTo(400);
  }

  @Test
  void messageIsJustTheReasonForTheWholeBody() {
    PayloadException e = new PayloadException(413, "", "body larger than 1 MiB", null);

    assertThat(e.getMessage()).isEqualTo("body larger than 1 MiB");
    assertThat(e.status()).isEqualTo(413);
    assertThat(e.field()).isEmpty();
  }
}
