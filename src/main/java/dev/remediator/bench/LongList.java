package dev.remediator.bench;

import java.util.Arrays;

/** A growable array of longs, for latencies without boxing. Not thread-safe. */
final class LongList {
  private long[] values = new long[256];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int size() {
    return size;
  }

  long[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
