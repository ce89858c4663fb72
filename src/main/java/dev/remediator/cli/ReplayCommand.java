package dev.remediator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.remediator.config.ReadFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code replay FILE|-}: posts an Alertmanager payload, one alert or {@code {"notificationId": N}}
 * to a running server's replay endpoint and prints what happened, one line per alert and rule.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay an Alertmanager payload, one alert or a stored notification on a running server.",
    footerHeading = "%nExit status:%n",
    footer = {"  0 replayed (or dry-run), 1 the server refused (401, 403, bad input) or could not be reached, "
        + "2 bad flags or an unreadable FILE."})
public final class ReplayCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Map<String, String> env;
  private final InputStream stdin;

  @Spec
  CommandSpec spec;

  @Mixin
  OperatorServer server;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "JSON to replay, or - to read standard input")
  String file;

  @Option(names = "--dry-run", description = "store and decide nothing; show each guard's verdict and the params")
  boolean dryRun;

  @Option(names = "--force", description = "decide again what a rule already decided for the occurrence")
  boolean force;

  @Option(names = "--reason", description = "why; required with --force, and audited with it")
  String reason;

  public ReplayCommand(Map<String, String> env, InputStream stdin) {
    this.env = env;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    return ServerCommands.run(spec, "replay", () -> {
      if (force && (reason == null || reason.isBlank())) {
        throw new IllegalArgumentException("--force needs --reason: say why the occurrence is decided again");
      }
      if (!force && reason != null) {
        throw new IllegalArgumentException("--reason goes with --force");
      }
      byte[] body = force ? forced(read(), reason) : read();
      JsonNode answer = server.post("/api/v1/replay" + (dryRun ? "?dryRun=true" : ""), body, env);
      return summary(answer);
    });
  }

  private byte[] read() {
    try {
      return file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + ReadFailure.describe(e), e);
    }
  }

  /** {@code body} with {@code "force": true} and the reason added to its top-level object. */
  private byte[] forced(byte[] body, String why) {
    try {
      JsonNode root = MAPPER.readTree(body);
      if (!(root instanceof ObjectNode object)) {
        throw new IllegalArgumentException(file + " must hold a JSON object to replay with --force");
      }
      object.put("force", true);
      object.put("reason", why);
      return MAPPER.writeValueAsBytes(object);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + file + " back as JSON: " + e.getMessage(), e);
    }
  }

  /** A header line, then one line per alert and rule (the dry-run prefix "would" is implied by the header). */
  static String summary(JsonNode answer) {
    List<String> lines = new ArrayList<>();
    boolean dryRun = answer.path("dryRun").asBoolean();
    if (dryRun) {
      lines.add("dry run by " + answer.path("actor").asText() + ": nothing stored, decided or run");
    } else {
      lines.add("replayed as notification " + answer.path("notificationId").asText() + " by "
          + answer.path("actor").asText() + (answer.path("force").asBoolean() ? " (forced)" : ""));
    }
    for (JsonNode alert : answer.path("alerts")) {
      String subject = alert.path("alertname").asText() + " " + alert.path("fingerprint").asText() + " "
          + alert.path("status").asText() + " since " + alert.path("startsAt").asText();
      if (alert.path("rules").isEmpty()) {
        lines.add(subject + ": nothing decided");
      }
      for (JsonNode rule : alert.path("rules")) {
        lines.add(subject + " " + line(rule, dryRun));
      }
    }
    return String.join(System.lineSeparator(), lines);
  }

  /** One rule's outcome; a dry run adds every guard's verdict and the rendered params. */
  private static String line(JsonNode rule, boolean dryRun) {
    StringBuilder line = new StringBuilder();
    line.append(rule.path("rule").isTextual() ? rule.path("rule").asText() + ": " : "");
    line.append(rule.path("outcome").asText());
    if (rule.path("remediationId").isNumber()) {
      line.append(" remediation ").append(rule.path("remediationId").asLong());
      if (!rule.path("state").isNull() && !rule.path("state").asText().equals(rule.path("outcome").asText())) {
        line.append(" (").append(rule.path("state").asText()).append(')');
      }
    }
    if (rule.path("replayOf").isNumber()) {
      line.append(", deciding again remediation ").append(rule.path("replayOf").asLong());
    }
    if (rule.path("guard").isTextual()) {
      line.append(" by ").append(rule.path("guard").asText());
    }
    if (rule.path("reason").isTextual()) {
      line.append(": ").append(rule.path("reason").asText());
    }
    if (dryRun && rule.has("guards")) {
      List<String> verdicts = new ArrayList<>();
      rule.path("guards").forEach(g -> verdicts.add(g.path("guard").asText() + "=" + g.path("verdict").asText()));
      line.append(" [").append(String.join(" ", verdicts)).append("] params ").append(rule.path("params"));
    }
    return line.toString();
  }
}
