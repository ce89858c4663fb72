package dev.remediator.action.notify;

import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * The rules-file contract of the {@code notify} action: an optional {@code text}, posted to a
 * webhook target whose settings are {@code url} (required), {@code format} ({@code slack} or
 * {@code json}, default json) and an optional bearer {@code token}.
 */
public final class NotifySpec implements ActionSpec {
  public static final String NAME = "notify";
  private static final List<String> KEYS = List.of("text");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<TargetKind> targetKinds() {
    return Set.of(TargetKind.WEBHOOK);
  }

  @Override
  public boolean strictTemplates() {
    return false;
  }

  @Override
  public List<ParamProblem> validate(Map<String, Object> with) {
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(NAME, with, KEYS));
    Object text = with.get("text");
    if (text != null && !(text instanceof String)) {
      problems.add(new ParamProblem("text", "must be a string, but was " + ParamChecks.describe(text)));
    }
    return problems;
  }

  /**
   * Problems with a webhook target's settings, each keyed by the setting. The URL is never quoted
   * back: a Slack webhook URL is itself a secret.
   */
  public List<ParamProblem> targetProblems(Target target) {
    List<ParamProblem> problems = new ArrayList<>();
    String url = target.setting("url");
    if (url.isEmpty()) {
      problems.add(new ParamProblem("url", "is required"));
    } else if (HttpUrl.parse(url) == null) {
      problems.add(new ParamProblem("url", "must be an http or https URL"));
    }
    if (WebhookFormat.fromSetting(target.setting("format")).isEmpty()) {
      problems.add(new ParamProblem("format",
          "must be slack or json, but was " + ParamChecks.describe(target.setting("format"))));
    }
    return problems;
  }
}
