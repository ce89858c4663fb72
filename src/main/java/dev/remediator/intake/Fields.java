package dev.remediator.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.remediator.alert.Labels;
import java.util.HashMap;
import java.util.Map;

/**
 * Typed reads of optional JSON fields that fail with the field's path, and the path and value
 * rendering used in those failures. A JSON {@code null} counts as an absent field.
 */
final class Fields {
  private static final int MAX_RENDERED = 64;

  private Fields() {}

  /** The field {@code name} of {@code object}, or null when it is absent or JSON null. */
  static JsonNode get(JsonNode object, String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  /** The string at {@code name}, or null when absent. */
  static String optionalString(JsonNode object, String name, String parent) {
    JsonNode value = get(object, name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw new PayloadException(path(parent, name), "must be a string");
    }
    return storable(value.textValue(), path(parent, name));
  }

  /**
   * {@code text}, unless it holds the NUL character, which no PostgreSQL text column can store:
   * refused here with its path rather than failing the whole commit later.
   */
  static String storable(String text, String path) {
    if (text.indexOf('\0') >= 0) {
      throw new PayloadException(path, "must not contain the NUL character (\\u0000)");
    }
    return text;
  }

  /** The object of strings at {@code name}, or {@link Labels#EMPTY} when absent. */
  static Labels optionalLabels(JsonNode object, String name, String parent) {
    JsonNode value = get(object, name);
    return value == null ? Labels.EMPTY : labels(value, path(parent, name));
  }

  /** {@code value} as labels; it must be an object whose values are all strings. */
  static Labels labels(JsonNode value, String path) {
    if (!value.isObject()) {
      throw new PayloadException(path, "must be an object");
    }
    if (value.isEmpty()) {
      return Labels.EMPTY;
    }
    Map<String, String> pairs = new HashMap<>(value.size() * 2);
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      String labelPath = path(path, entry.getKey());
      if (!entry.getValue().isTextual()) {
        throw new PayloadException(labelPath, "must be a string");
      }
      pairs.put(storable(entry.getKey(), labelPath), storable(entry.getValue().textValue(), labelPath));
    }
    return Labels.of(pairs);
  }

  /** {@code parent.name}, or {@code parent["odd name"]} when the name is not an identifier. */
  static String path(String parent, String name) {
    if (!isIdentifier(name)) {
      return parent + "[" + quote(name) + "]";
    }
    return parent.isEmpty() ? name : parent + "." + name;
  }

  /** {@code value} as a bounded, escaped, printable-ASCII JSON string literal. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_RENDERED) + 8).append('"');
    int end = Math.min(value.length(), MAX_RENDERED);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > MAX_RENDERED) {
      out.append("...");
    }
    return out.append('"').toString();
  }

  /** A short rendering of any JSON value for an error message. */
  static String render(JsonNode value) {
    if (value.isTextual()) {
      return quote(value.textValue());
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "an array";
    }
    String text = value.toString();
    return text.length() > MAX_RENDERED ? text.substring(0, MAX_RENDERED) + "..." : text;
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || (name.charAt(0) >= '0' && name.charAt(0) <= '9')) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
