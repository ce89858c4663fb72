package dev.remediator.bench;

/** Sends one notification body and waits for the answer; called from many threads at once. */
@FunctionalInterface
public interface Sender {
  Reply send(byte[] body);
}
