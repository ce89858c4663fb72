package dev.remediator.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a command that changes a running server ends: its one-line result on standard output and
 * exit 0; a refusal or an unreachable server on standard error and exit 1; a bad flag on
 * standard error and exit 2.
 */
final class ServerCommands {
  static final int REFUSED = 1;
  static final int USAGE = 2;

  private ServerCommands() {}

  /** One call to the server, answering the line to print. */
  interface Call {
    String run() throws OperatorServer.Refused;
  }

  static int run(CommandSpec spec, String command, Call call) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      out.println(call.run());
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("remediator " + command + ": " + e.getMessage());
      err.flush();
      return USAGE;
    } catch (OperatorServer.Refused e) {
      err.println("remediator " + command + ": " + e.getMessage());
      err.flush();
      return REFUSED;
    }
  }
}
