package dev.remediator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class WebhookAckTest {
  @Test
  void theAckIsJsonInAFixedFieldOrder() throws Exception {
    String ack = WebhookHandler.ack(7, 10, 8, 2);

    assertThat(ack).isEqualTo("{\"status\":\"stored\",\"notificationId\":7,\"alerts\":{\"total\":10,\"new\":8,\"duplicate\":2}}");
    assertThat(new ObjectMapper().readTree(ack).get("alerts").get("new").asInt()).isEqualTo(8);
  }
}
