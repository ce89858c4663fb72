package dev.remediator.intake;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.remediator.alert.Alert;
import dev.remediator.alert.Notification;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link PayloadParser#parse(byte[])} with Jazzer: whatever the bytes, the parser returns
 * a notification or rejects the body with a 400 {@link PayloadException} whose message is short
 * and printable ASCII, so it can go back to the client and into a log line as it is. Any other
 * outcome (another exception, a StackOverflowError, running out of memory, an input that takes
 * seconds) is a finding.
 *
 * <p>{@code mvn test} runs the seeds in {@code PayloadParserFuzzTestInputs/anyBodyIsANotificationOrA400/}
 * (Alertmanager's payloads and hostile variants of them); the build's {@code fuzz} execution
 * fuzzes from them. See the README, "Fuzzing".
 */
class PayloadParserFuzzTest {
  /** A message quotes at most a label name and a value, each cut to 64 characters of up to 6 when escaped. */
  private static final int MAX_MESSAGE = 1024;

  private final PayloadParser parser = new PayloadParser();

  @FuzzTest
  @Timeout(10)
  void anyBodyIsANotificationOrA400(byte[] body) {
    Notification notification;
    try {
      notification = parser.parse(body);
    } catch (PayloadException e) {
      check(e.status() == 400, "status " + e.status(), e);
      check(e.getMessage().length() <= MAX_MESSAGE, "message of " + e.getMessage().length() + " characters", e);
      check(isPrintableAscii(e.getMessage()), "unprintable message", e);
      check(e.getMessage().endsWith(e.reason()), "message without its reason", e);
      return;
    }
    check(PayloadParser.VERSION.equals(notification.version())
        || PayloadParser.GRAFANA_VERSION.equals(notification.version()), "version " + notification.version(), null);
    for (Alert alert : notification.alerts()) {
      check(!alert.alertname().isEmpty(), "accepted an alert without alertname", null);
      check(!alert.fingerprint().isBlank(), "accepted an alert without fingerprint", null);
    }
  }

  private static boolean isPrintableAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static void check(boolean condition, String problem, Throwable cause) {
    if (!condition) {
      throw new AssertionError(cause == null ? problem : problem + ": " + cause.getMessage(), cause);
    }
  }
}
