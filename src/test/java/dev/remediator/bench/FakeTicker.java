package dev.remediator.bench;

/** A ticker whose time moves only when told: waiting jumps straight to the deadline. */
final class FakeTicker implements Ticker {
  private long now;

  @Override
  public synchronized long nanos() {
    return now;
  }

  @Override
  public synchronized void sleepUntil(long deadline) {
    now = Math.max(now, deadline);
  }

  synchronized void advance(long nanos) {
    now += nanos;
  }
}
