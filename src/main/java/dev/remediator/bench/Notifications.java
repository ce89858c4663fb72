package dev.remediator.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds Alertmanager webhook bodies (payload version 4) of {@code alertsPerNotification} firing
 * alerts each. Every fingerprint is the run id (8 hex digits) followed by 8 more, so a run's alerts
 * can be found in the store by prefix and no two runs share one. Without {@code distinct} each
 * alert is new (a fresh fingerprint); with it, fingerprints are drawn from a pool of that many,
 * each with a fixed start, so a repeat is the same alert occurrence again, a duplicate. The
 * alerts of one notification never repeat a fingerprint, as Alertmanager's never do.
 * Thread-safe.
 */
public final class Notifications {
  static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
  private static final JsonFactory JSON = new JsonFactory();

  private final String runId;
  private final int alertsPerNotification;
  private final OptionalInt distinct;
  private final Clock clock;
  private final Instant pooledStart;
  private final AtomicLong notifications = new AtomicLong();
  private final AtomicLong freshAlerts = new AtomicLong();

  public Notifications(String runId, int alertsPerNotification, OptionalInt distinct, Clock clock) {
    if (!runId.matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException("run id must be 8 lower-case hex digits, but was \"" + runId + "\"");
    }
    if (alertsPerNotification < 1) {
      throw new IllegalArgumentException("alerts per notification must be at least 1, but was "
          + alertsPerNotification);
    }
    if (distinct.isPresent() && distinct.getAsInt() < alertsPerNotification) {
      throw new IllegalArgumentException("a pool of " + distinct.getAsInt()
          + " fingerprints cannot fill a notification of " + alertsPerNotification + " different alerts");
    }
    this.runId = runId;
    this.alertsPerNotification = alertsPerNotification;
    this.distinct = distinct;
    this.clock = clock;
    this.pooledStart = clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A new run id: 8 random hex digits. */
  public static String newRunId() {
    return String.format("%08x", ThreadLocalRandom.current().nextInt());
  }

  /** The prefix every fingerprint of this run starts with. */
  public String fingerprintPrefix() {
    return runId;
  }

  public int alertsPerNotification() {
    return alertsPerNotification;
  }

  /** The next notification body. */
  public byte[] next() {
    long number = notifications.getAndIncrement();
    List<Long> indexes = new ArrayList<>(alertsPerNotification);
    if (distinct.isPresent()) {
      indexes.addAll(draw(distinct.getAsInt()));
    } else {
      long first = freshAlerts.getAndAdd(alertsPerNotification);
      for (int i = 0; i < alertsPerNotification; i++) {
        indexes.add(first + i);
      }
    }
    AlertKind groupKind = AlertKind.ALL.get((int) (number % AlertKind.ALL.size()));
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<Map<String, String>> labels = new ArrayList<>(indexes.size());
    List<AlertKind> kinds = new ArrayList<>(indexes.size());
    for (long index : indexes) {
      // A pooled fingerprint always carries the same labels; fresh ones are grouped by alertname.
      AlertKind kind = distinct.isPresent() ? AlertKind.ALL.get((int) (index % AlertKind.ALL.size())) : groupKind;
      kinds.add(kind);
      labels.add(kind.labels(index));
    }
    return write(indexes, kinds, labels, distinct.isPresent() ? pooledStart : now);
  }

  private Set<Long> draw(int pool) {
    Set<Long> drawn = new LinkedHashSet<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (drawn.size() < alertsPerNotification) {
      drawn.add((long) random.nextInt(pool));
    }
    return drawn;
  }

  private byte[] write(List<Long> indexes, List<AlertKind> kinds, List<Map<String, String>> labels, Instant startsAt) {
    Map<String, String> common = common(labels);
    String alertname = common.get("alertname");
    ByteArrayOutputStream out = new ByteArrayOutputStream(512 + 640 * indexes.size());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("version", "4");
      json.writeStringField("groupKey", alertname == null ? "{}:{}" : "{}:{alertname=\"" + alertname + "\"}");
      json.writeNumberField("truncatedAlerts", 0);
      json.writeStringField("status", "firing");
      json.writeStringField("receiver", "remediator");
      writeLabels(json, "groupLabels", alertname == null ? Map.of() : Map.of("alertname", alertname));
      writeLabels(json, "commonLabels", common);
      writeLabels(json, "commonAnnotations", Map.of());
      json.writeStringField("externalURL", "http://alertmanager:9093");
      json.writeArrayFieldStart("alerts");
      for (int i = 0; i < indexes.size(); i++) {
        json.writeStartObject();
        json.writeStringField("status", "firing");
        writeLabels(json, "labels", labels.get(i));
        writeLabels(json, "annotations", kinds.get(i).annotations(labels.get(i)));
        json.writeStringField("startsAt", startsAt.toString());
        json.writeStringField("endsAt", ZERO_TIME.toString());
        json.writeStringField("generatorURL", kinds.get(i).generatorUrl());
        json.writeStringField("fingerprint", runId + String.format("%08x", indexes.get(i) & 0xffffffffL));
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a notification body", e);
    }
    return out.toByteArray();
  }

  /** The label pairs every alert shares, as Alertmanager's commonLabels. */
  private static Map<String, String> common(List<Map<String, String>> labels) {
    Map<String, String> common = new HashMap<>(labels.get(0));
    for (Map<String, String> other : labels.subList(1, labels.size())) {
      common.entrySet().removeIf(pair -> !pair.getValue().equals(other.get(pair.getKey())));
    }
    return new TreeMap<>(common);
  }

  private static void writeLabels(JsonGenerator json, String field, Map<String, String> labels) throws IOException {
    json.writeObjectFieldStart(field);
    for (Map.Entry<String, String> pair : labels.entrySet()) {
      json.writeStringField(pair.getKey(), pair.getValue());
    }
    json.writeEndObject();
  }
}
