package dev.remediator.api;

import dev.remediator.audit.AuditEvent;
import dev.remediator.audit.AuditField;
import dev.remediator.audit.AuditQuery;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.intake.Rfc3339;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the query of {@code GET /api/v1/audit} (and of {@code audit export}, which takes the same
 * names as flags): the equality filters of {@link AuditField}, {@code since} and {@code until}
 * (RFC 3339), {@code q}, {@code cursor} and {@code limit}. Anything wrong is a 400 that names the
 * parameter; an unknown or repeated parameter too, so that a typo never widens an export.
 */
public final class AuditParameters {
  /** Rows per page when the query gives no limit. */
  public static final int DEFAULT_LIMIT = 100;
  /** The most rows one page may ask for. */
  public static final int MAX_LIMIT = 500;
  /** The longest filter value or search text accepted, in characters. */
  public static final int MAX_VALUE_LENGTH = 500;

  static final String SINCE = "since";
  static final String UNTIL = "until";
  static final String TEXT = "q";
  static final String CURSOR = "cursor";
  static final String LIMIT = "limit";

  private static final Set<String> KINDS = new TreeSet<>();
  private static final Set<String> KNOWN = new TreeSet<>(List.of(SINCE, UNTIL, TEXT, CURSOR, LIMIT));

  static {
    Arrays.stream(AuditEvent.Kind.values()).forEach(kind -> KINDS.add(kind.wireName()));
    Arrays.stream(AuditField.values()).forEach(field -> KNOWN.add(field.parameter()));
  }

  private AuditParameters() {}

  /** The query these parameters ask for; its limit is empty when none was given. */
  public static AuditQuery parse(Map<String, List<String>> parameters) {
    AuditQuery query = AuditQuery.ALL;
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      if (!KNOWN.contains(name)) {
        throw bad(shorten(name), "unknown parameter; known are " + String.join(", ", KNOWN));
      }
      if (parameter.getValue().size() != 1) {
        throw bad(name, "is given " + parameter.getValue().size() + " times; give it once");
      }
    }
    for (AuditField field : AuditField.values()) {
      String value = value(parameters, field.parameter());
      if (value != null) {
        if (field == AuditField.KIND && !KINDS.contains(value)) {
          throw bad(field.parameter(), "'" + shorten(value) + "' is not a kind; kinds are " + String.join(", ", KINDS));
        }
        query = query.where(field, value);
      }
    }
    Instant since = instant(parameters, SINCE);
    Instant until = instant(parameters, UNTIL);
    if (since != null && until != null && !since.isBefore(until)) {
      throw bad(UNTIL, "must be later than since (" + since + ")");
    }
    query = query.between(since, until);
    String text = value(parameters, TEXT);
    if (text != null) {
      query = query.containing(text);
    }
    String cursor = value(parameters, CURSOR);
    if (cursor != null) {
      query = query.before(positive(CURSOR, cursor, Long.MAX_VALUE, "the next cursor of an earlier answer"));
    }
    String limit = value(parameters, LIMIT);
    if (limit != null) {
      query = query.limit((int) positive(LIMIT, limit, MAX_LIMIT, "an integer from 1 to " + MAX_LIMIT));
    }
    return query;
  }

  private static String value(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    if (values == null) {
      return null;
    }
    String value = values.get(0);
    if (value.isEmpty()) {
      throw bad(name, "must not be empty; leave it out to not filter");
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      throw bad(name, "is " + value.length() + " characters long; at most " + MAX_VALUE_LENGTH + " are allowed");
    }
    return value;
  }

  private static Instant instant(Map<String, List<String>> parameters, String name) {
    String value = value(parameters, name);
    if (value == null) {
      return null;
    }
    Instant at = Rfc3339.parse(value);
    if (at == null) {
      throw bad(name, "'" + shorten(value) + "' is not an RFC 3339 time like 2026-11-22T10:00:00Z");
    }
    return at;
  }

  private static long positive(String name, String value, long max, String expected) {
    try {
      long number = Long.parseLong(value);
      if (number >= 1 && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw bad(name, "'" + shorten(value) + "' is not " + expected);
  }

  /** The query's name/value pairs as a map of lists, as a servlet hands them over. */
  public static Map<String, List<String>> of(Map<String, String> pairs) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    pairs.forEach((name, value) -> parameters.put(name, new ArrayList<>(List.of(value))));
    return parameters;
  }

  private static ApiException bad(String parameter, String reason) {
    return new ApiException(new ApiError(400, parameter, reason), Map.of(), null);
  }

  private static String shorten(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
