package dev.remediator.action.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifySpecTest {
  private final NotifySpec spec = new NotifySpec();

  @Test
  void describesItselfAsALenientWebhookAction() {
    assertThat(spec.name()).isEqualTo("notify");
    assertThat(spec.targetKinds()).containsExactly(TargetKind.WEBHOOK);
    assertThat(spec.strictTemplates()).isFalse();
  }

  @Test
  void acceptsATemplatedTextOrNone() {
    assertThat(spec.validate(Map.of("text", "Error budget burning fast on {{ labels.service }}"))).isEmpty();
    assertThat(spec.validate(Map.of())).isEmpty();
  }

  @Test
  void rejectsTextThatIsNotAString() {
    assertThat(spec.validate(Map.of("text", 42)))
        .containsExactly(new ParamProblem("text", "must be a string, but was 42"));
  }

  @Test
  void reportsUnknownKeys() {
    assertThat(spec.validate(Map.of("channel", "#oncall")))
        .containsExactly(new ParamProblem("channel", "is not a parameter of notify (known: text)"));
  }

  @Test
  void targetNeedsAUrlAndAKnownFormat() {
    assertThat(spec.targetProblems(new Target("oncall", TargetKind.WEBHOOK, Map.of("format", "xml"))))
        .containsExactly(
            new ParamProblem("url", "is required"),
            new ParamProblem("format", "must be slack or json, but was \"xml\""));
  }

  @Test
  void targetUrlProblemDoesNotRepeatTheSecretUrl() {
    assertThat(spec.targetProblems(new Target("oncall", TargetKind.WEBHOOK, Map.of("url", "hooks.example/T0/B0/s3cret"))))
        .containsExactly(new ParamProblem("url", "must be an http or https URL"));
  }

  @Test
  void slackAndJsonTargetsAreValid() {
    assertThat(spec.targetProblems(new Target("oncall", TargetKind.WEBHOOK,
        Map.of("url", "https://hooks.slack.example/services/T0/B0/x", "format", "slack")))).isEmpty();
    assertThat(spec.targetProblems(new Target("oncall", TargetKind.WEBHOOK,
        Map.of("url", "http://127.0.0.1:9000/hook")))).isEmpty();
  }
}
