package dev.remediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code resume}: releases a running server's kill switch and prints one line saying what it ended. */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Resume a paused server: decide and act again.",
    footerHeading = "%nExit status:%n",
    footer = {"  0 resumed (or was not paused), 1 the server refused (401, 403) or could not be reached, 2 bad flags."})
public final class ResumeCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Spec
  CommandSpec spec;

  @Mixin
  OperatorServer server;

  public ResumeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return ServerCommands.run(spec, "resume", () -> {
      JsonNode state = server.call("DELETE", "/api/v1/pause", null, env);
      if (!state.path("resumed").asBoolean()) {
        return "not paused; nothing to resume";
      }
      JsonNode was = state.path("was");
      return "resumed; it was paused by " + was.path("by").asText() + ": " + was.path("reason").asText();
    });
  }
}
