package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.RuleSet;
import dev.remediator.store.FollowUp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each escalation reason reads as what happened, and every message links to its remediation. */
class EscalationMessageTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static FollowUp followUp(Escalations.Reason reason, String summary, Map<String, Object> detail) {
    return new FollowUp(1, 42, FollowUp.Kind.ESCALATE, T0, Escalations.followUp(
        new RuleSet("test.yml", false, Optional.empty(), Map.of(), List.of(),
            Optional.of("oncall")),
        new Escalations.Subject(42, "restart-api", "restart", "cluster", "fp1", "HighErrorRate", 3, reason, summary,
            detail), T0).orElseThrow().payload(), 1);
  }

  private static String text(Escalations.Reason reason, String summary) {
    return new EscalationMessage(Optional.of("https://remediator.example.com/"))
        .text(followUp(reason, summary, Map.of()));
  }

  @Test
  void eachReasonSaysWhatHappenedAndLinksToTheRemediation() {
    String about = "rule restart-api %s restart on target cluster for alert HighErrorRate (fingerprint fp1)";
    String link = " Details: https://remediator.example.com/#/remediations/42";
    assertThat(text(Escalations.Reason.FAILED, "HTTP 500")).isEqualTo("[remediator] remediation failed and needs a "
        + "human: " + about.formatted("ran") + "; it failed after 3 attempt(s): HTTP 500." + link);
    assertThat(text(Escalations.Reason.BREAKER_OPEN, "breaker restart/cluster is open")).isEqualTo(
        "[remediator] circuit breaker open, remediation not run: " + about.formatted("would have run")
            + ": breaker restart/cluster is open." + link);
    assertThat(text(Escalations.Reason.BLAST_RADIUS, "5 actions in 10m")).isEqualTo(
        "[remediator] blast-radius limit reached, remediation not run: " + about.formatted("would have run")
            + ": 5 actions in 10m." + link);
    assertThat(text(Escalations.Reason.APPROVAL_EXPIRED, "nobody approved it before 2026-11-22T10:30:00Z"))
        .isEqualTo("[remediator] approval expired, remediation not run: " + about.formatted("would have run")
            + "; nobody approved it before 2026-11-22T10:30:00Z." + link);
    assertThat(text(Escalations.Reason.NOT_VERIFIED, "alert still firing after 5m")).isEqualTo(
        "[remediator] remediation ran but did not fix it: " + about.formatted("ran")
            + "; verification failed: alert still firing after 5m." + link);
    assertThat(text(Escalations.Reason.INTERRUPTED, "the process stopped")).isEqualTo(
        "[remediator] remediation interrupted, check what it left: " + about.formatted("was running")
            + ": the process stopped." + link);
  }

  @Test
  void anApprovalRequestGivesTheLinkAndTheCallThatApproves() {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("params", Map.of("deployment", "api", "token", "s3cret"));
    String text = new EscalationMessage(Optional.of("https://remediator.example.com")).text(followUp(
        Escalations.Reason.APPROVAL_REQUESTED, "awaits approval until 2026-11-22T10:30:00Z", detail));

    assertThat(text).isEqualTo("[remediator] approval needed: rule restart-api wants to run restart on target cluster"
        + " for alert HighErrorRate (fingerprint fp1) with parameters {\"deployment\":\"api\",\"token\":\"***\"};"
        + " it awaits approval until 2026-11-22T10:30:00Z. Approve or reject it at"
        + " https://remediator.example.com/#/remediations/42, or curl -X POST -H \"Authorization: Bearer"
        + " $REMEDIATOR_OPERATOR_TOKEN\" https://remediator.example.com/api/v1/remediations/42/approve.");
  }

  @Test
  void withoutAnExternalUrlTheMessageGivesPathsOnly() {
    EscalationMessage message = new EscalationMessage(Optional.empty());
    assertThat(message.text(followUp(Escalations.Reason.APPROVAL_REQUESTED, "awaits approval", Map.of())))
        .endsWith("Approve or reject it at /#/remediations/42, or POST /api/v1/remediations/42/approve with the"
            + " operator token.");
    assertThat(message.text(followUp(Escalations.Reason.FAILED, "HTTP 500", Map.of())))
        .endsWith(" Details: /#/remediations/42");
  }
}
