package dev.remediator.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test payloads: the shared samples, and JSON written with single quotes for readability. */
final class Payloads {
  static final String ALERT = "{'labels': {'alertname': 'HighErrorRate'}, 'startsAt': '2026-11-22T10:00:00Z'}";

  private Payloads() {}

  /** The sample payload {@code name} ({@code one}, {@code ten}, {@code hundred}). */
  static byte[] sample(String name) {
    try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no sample payload named " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code text} with every single quote turned into a double quote, as UTF-8. */
  static byte[] json(String text) {
    return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  /** A version 4 payload with the given top-level fields (may be empty) and alerts. */
  static byte[] payload(String fields, String... alerts) {
    String prefix = fields.isEmpty() ? "" : fields + ", ";
    return json("{'version': '4', " + prefix + "'alerts': [" + String.join(", ", alerts) + "]}");
  }

  /** A payload with one alert made of {@code alertFields}. */
  static byte[] withAlert(String alertFields) {
    return payload("", "{" + alertFields + "}");
  }
}
