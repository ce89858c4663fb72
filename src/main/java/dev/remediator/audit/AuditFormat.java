package dev.remediator.audit;

import dev.remediator.json.Canonical;
import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The two export forms of the audit log. NDJSON: one JSON object per line, the same object the
 * JSON API answers with. CSV (RFC 4180): a header of the same field names, CRLF line ends, fields
 * quoted when they hold a comma, quote or line break, and the detail as its JSON text. A CSV value
 * that a spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a carriage
 * return) gets a leading apostrophe: alert labels are written by whoever can fire an alert.
 */
public enum AuditFormat {
  NDJSON("application/x-ndjson") {
    @Override
    public void header(Writer out) {}

    @Override
    public void write(Writer out, AuditEntry entry) throws IOException {
      out.write(Canonical.json(entry.fields()));
      out.write('\n');
    }
  },
  CSV("text/csv") {
    @Override
    public void header(Writer out) throws IOException {
      out.write(String.join(",", AuditEntry.NAMES));
      out.write("\r\n");
    }

    @Override
    public void write(Writer out, AuditEntry entry) throws IOException {
      boolean first = true;
      for (Map.Entry<String, Object> field : entry.fields().entrySet()) {
        if (!first) {
          out.write(',');
        }
        first = false;
        Object value = field.getValue();
        if (value == null) {
          continue;
        }
        out.write(csvField(value instanceof Map ? Canonical.json(value) : value.toString()));
      }
      out.write("\r\n");
    }
  };

  private final String mediaType;

  AuditFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The media type a client asks for in {@code Accept} and gets in {@code Content-Type}. */
  public String mediaType() {
    return mediaType;
  }

  /** The name on the command line: {@code ndjson} or {@code csv}. */
  public String flagName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What comes before the first entry (nothing, or the CSV header). */
  public abstract void header(Writer out) throws IOException;

  public abstract void write(Writer out, AuditEntry entry) throws IOException;

  /** The format whose media type {@code accept} names first, if any (parameters such as charset ignored). */
  public static Optional<AuditFormat> accepted(String accept) {
    if (accept == null) {
      return Optional.empty();
    }
    for (String range : accept.split(",")) {
      String type = range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      for (AuditFormat format : values()) {
        if (format.mediaType.equals(type)) {
          return Optional.of(format);
        }
      }
    }
    return Optional.empty();
  }

  /** One CSV field: formula-looking values prefixed with an apostrophe, then quoted if needed. */
  static String csvField(String value) {
    String text = value;
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
        || text.indexOf('\r') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
