package dev.remediator.alert;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, key-sorted set of label (or annotation) pairs. A missing name reads as the empty
 * string, as it does for Alertmanager matchers.
 */
public final class Labels {
  public static final Labels EMPTY = new Labels(new TreeMap<>());

  private final Map<String, String> pairs;

  private Labels(TreeMap<String, String> sorted) {
    this.pairs = Collections.unmodifiableMap(sorted);
  }

  public static Labels of(Map<String, String> pairs) {
    if (pairs == null || pairs.isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    pairs.forEach((name, value) -> {
      if (name == null || value == null) {
        throw new IllegalArgumentException("label names and values must not be null, but got " + name + "=" + value);
      }
      sorted.put(name, value);
    });
    return new Labels(sorted);
  }

  public static Labels of(String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("expected name/value pairs, but got " + nameValuePairs.length + " strings");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      sorted.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return of(sorted);
  }

  /** The value of {@code name}, or the empty string when the label is absent. */
  public String get(String name) {
    return pairs.getOrDefault(name, "");
  }

  /**
   * {@code value} in double quotes with backslashes and quotes escaped, as Alertmanager writes a
   * label value in a matcher or a group key ({@code service="api-1"}).
   */
  public static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** The pairs sorted by name; unmodifiable. */
  public Map<String, String> asMap() {
    return pairs;
  }

  public boolean isEmpty() {
    return pairs.isEmpty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Labels labels && pairs.equals(labels.pairs);
  }

  @Override
  public int hashCode() {
    return pairs.hashCode();
  }

  @Override
  public String toString() {
    return pairs.toString();
  }
}
