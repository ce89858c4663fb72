package dev.remediator.target;

import java.util.Arrays;
import java.util.Optional;

/** What a rules-file target is, which decides the actions it can serve. */
public enum TargetKind {
  POSTGRES, REDIS, KUBERNETES, RAILWAY, COMMAND, WEBHOOK, HTTP;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Optional<TargetKind> fromWire(String value) {
    return Arrays.stream(values()).filter(kind -> kind.wireName().equals(value)).findFirst();
  }
}
