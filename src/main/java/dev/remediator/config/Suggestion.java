package dev.remediator.config;

import java.util.Collection;
import java.util.Optional;

/** Suggests the known word closest to a misspelt one ({@code cooldwon} to {@code cooldown}). */
public final class Suggestion {
  private static final int MAX_EDITS = 2;

  private Suggestion() {}

  public static Optional<String> closest(String word, Collection<String> known) {
    String best = null;
    int bestDistance = MAX_EDITS + 1;
    for (String candidate : known) {
      int distance = distance(word.toLowerCase(java.util.Locale.ROOT), candidate);
      if (distance < bestDistance && distance < Math.max(candidate.length(), 2)) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
