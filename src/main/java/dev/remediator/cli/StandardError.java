package dev.remediator.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * For commands whose standard output is their product (a report, an export): log lines, a pool's
 * warning say, go to standard error instead, so the output stays clean.
 */
final class StandardError {
  private StandardError() {}

  static void takeLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appender -> {
        if (appender instanceof ConsoleAppender<?> console) {
          console.stop();
          console.setTarget("System.err");
          console.start();
        }
      });
    }
  }
}
