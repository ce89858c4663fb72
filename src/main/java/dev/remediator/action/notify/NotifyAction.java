package dev.remediator.action.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.Action;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.action.ParamChecks;
import dev.remediator.action.http.Delivery;
import dev.remediator.alert.Alert;
import dev.remediator.config.ReadFailure;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts a message about an alert to a webhook target, in Slack or generic JSON format. A failure
 * before the POST left (connection refused, unknown host, connect timeout) reached nothing; a 429,
 * 5xx or a failure after it left may follow a delivered message, so it is reported as such and
 * the retry policy does not repeat it (the escalator, which would rather page twice than never,
 * does). Other statuses are permanent. Redirects are not followed, and the URL comes only from
 * the target, never from labels.
 */
public final class NotifyAction implements Action {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int EXCERPT_CHARS = 200;

  private final NotifySpec spec = new NotifySpec();
  private final OkHttpClient client;
  private final NotifyMessages messages;

  /** @param base the server's shared client; this action derives its own settings from it */
  public NotifyAction(OkHttpClient base, ObjectMapper mapper) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(mapper, "mapper");
    this.client = Delivery.tracking(base.newBuilder().callTimeout(CALL_TIMEOUT).followRedirects(false)).build();
    this.messages = new NotifyMessages(mapper);
  }

  @Override
  public ActionSpec spec() {
    return spec;
  }

  @Override
  public ActionResult execute(ActionRequest request) {
    List<ParamProblem> problems = spec.validate(request.params());
    if (!problems.isEmpty()) {
      return new ActionResult.Permanent("invalid parameters: " + ParamChecks.summary(problems), null);
    }
    String text = request.params().get("text") instanceof String given
        ? given
        : NotifyMessages.defaultText(request.alert(), request.rule());
    return send(request.target(), text, request.alert(), request.rule(), request.remediationId());
  }

  /** Posts {@code text} about {@code alert} to {@code target}; also used for escalations. */
  public ActionResult send(Target target, String text, Alert alert, String rule, long remediationId) {
    List<ParamProblem> problems = spec.targetProblems(target);
    if (!problems.isEmpty()) {
      return new ActionResult.Permanent("target " + target.name() + ": " + ParamChecks.summary(problems), null);
    }
    byte[] body;
    try {
      body = WebhookFormat.fromSetting(target.setting("format")).orElseThrow() == WebhookFormat.SLACK
          ? messages.slack(text)
          : messages.json(text, alert, rule, remediationId);
    } catch (JsonProcessingException e) {
      return new ActionResult.Permanent("could not build the notification body: " + e.getMessage(), e);
    }
    Request.Builder request = new Request.Builder()
        .url(target.setting("url"))
        .post(Delivery.oneShot(RequestBody.create(body, JSON)));
    Optional<String> token;
    try {
      token = token(target);
    } catch (IOException e) {
      return new ActionResult.Permanent("target " + target.name() + ": cannot read token_file "
          + target.setting("token_file") + ": " + ReadFailure.describe(e), e);
    }
    token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
    try (Response response = Delivery.execute(client, request.build(), null)) {
      return outcome(response);
    } catch (Delivery.Failed e) {
      return e.mayHaveBeenSent()
          ? new ActionResult.Retryable("webhook " + target.name() + " failed after the message may have been"
              + " delivered: " + e.getMessage(), e.getCause(), ActionResult.Reached.MAYBE_ACTED)
          : new ActionResult.Retryable("could not reach webhook " + target.name() + ", nothing was sent: "
              + e.getMessage(), e.getCause(), ActionResult.Reached.NOTHING);
    } catch (IOException e) {
      return new ActionResult.Retryable("webhook " + target.name() + " answered but its body could not be read: "
          + e.getMessage(), e, ActionResult.Reached.MAYBE_ACTED);
    }
  }

  /** The bearer token: {@code token}, or read from {@code token_file} on each call so it may rotate. */
  private static Optional<String> token(Target target) throws IOException {
    if (!target.setting("token").isEmpty()) {
      return Optional.of(target.setting("token"));
    }
    if (!target.setting("token_file").isEmpty()) {
      return Optional.of(Files.readString(Path.of(target.setting("token_file"))).strip());
    }
    return Optional.empty();
  }

  private static ActionResult outcome(Response response) throws IOException {
    int code = response.code();
    if (response.isSuccessful()) {
      return new ActionResult.Succeeded("HTTP " + code);
    }
    String reason = "HTTP " + code + excerpt(response);
    if (code == 429 || code >= 500) {
      return new ActionResult.Retryable(reason, null, ActionResult.Reached.MAYBE_ACTED);
    }
    return new ActionResult.Permanent(reason, null);
  }

  private static String excerpt(Response response) throws IOException {
    String text = response.peekBody(4 * EXCERPT_CHARS).string().replaceAll("\\s+", " ").strip();
    if (text.isEmpty()) {
      return "";
    }
    return ": " + (text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) + "..." : text);
  }

}
