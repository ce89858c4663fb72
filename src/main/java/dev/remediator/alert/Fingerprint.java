package dev.remediator.alert;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Alertmanager's alert fingerprint: FNV-1a 64 over the sorted label pairs, each name and value
 * followed by the byte 0xff, printed as 16 hex digits. Used when a payload (a replayed single
 * alert, say) carries no fingerprint of its own.
 */
public final class Fingerprint {
  private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;
  private static final int SEPARATOR = 0xff;

  private Fingerprint() {}

  public static String of(Labels labels) {
    long hash = OFFSET_BASIS;
    for (Map.Entry<String, String> pair : labels.asMap().entrySet()) {
      hash = add(hash, pair.getKey());
      hash = addByte(hash, SEPARATOR);
      hash = add(hash, pair.getValue());
      hash = addByte(hash, SEPARATOR);
    }
    return String.format("%016x", hash);
  }

  private static long add(long hash, String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash = addByte(hash, b & 0xff);
    }
    return hash;
  }

  private static long addByte(long hash, int b) {
    return (hash ^ b) * PRIME;
  }
}
