package dev.remediator.bench;

/** One send whose unexpected failure is counted like a transport error instead of ending the sending thread. */
final class Sends {
  private Sends() {}

  static Reply send(Sender sender, byte[] body) {
    try {
      return sender.send(body);
    } catch (RuntimeException e) {
      return Reply.failed("client failure: " + e.getClass().getSimpleName());
    }
  }
}
