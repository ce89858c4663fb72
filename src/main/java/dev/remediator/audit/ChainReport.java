package dev.remediator.audit;

/**
 * What {@code audit verify} found. {@code ok}: {@code links} links verified from {@code start}
 * (the genesis, or the anchor retention left) to {@code head}. {@code broken}: the first bad
 * link, {@code brokenAt}, and why; {@code links} counts the good ones before it.
 * {@code cannot_check}: the chain could not be read or the key is not the chain's (see {@code reason}).
 * {@code unsealed} counts committed events the sealer has not reached yet.
 */
public record ChainReport(Status status, Problem problem, String reason, long links, ChainHead start,
                          ChainHead head, Long brokenAt, long unsealed) {
  public enum Status {
    OK(0), BROKEN(1), CANNOT_CHECK(2);

    private final int exitCode;

    Status(int exitCode) {
      this.exitCode = exitCode;
    }

    /** The exit status of {@code remediator audit verify}. */
    public int exitCode() {
      return exitCode;
    }

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why a chain is broken or cannot be checked. */
  public enum Problem {
    /** An event no longer matches its link. */
    EDITED,
    /** A link's event is gone. */
    DELETED,
    /** An event sealed at one seq now sits at another. */
    REORDERED,
    /** A link that is not part of the chain stands between two that are. */
    INSERTED,
    /** Links are missing from the middle or the start, or one no longer follows its predecessor. */
    LINKS_MISSING,
    /** The chain ends before, or differs at, the head exported earlier. */
    TRUNCATED,
    /** The chain was sealed under another key, or without one. */
    KEY_MISMATCH,
    /** The store could not be read. */
    UNREADABLE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static ChainReport ok(long links, ChainHead start, ChainHead head, long unsealed) {
    return new ChainReport(Status.OK, null, "the chain verifies from seq " + start.seq() + " to seq " + head.seq(),
        links, start, head, null, unsealed);
  }

  static ChainReport broken(Problem problem, long brokenAt, String reason, long links, ChainHead start,
                            ChainHead head, long unsealed) {
    return new ChainReport(Status.BROKEN, problem, reason, links, start, head, brokenAt, unsealed);
  }

  public static ChainReport cannotCheck(Problem problem, String reason) {
    return new ChainReport(Status.CANNOT_CHECK, problem, reason, 0, null, null, null, 0);
  }

  /** One line for a terminal or a log. */
  public String summary() {
    return switch (status) {
      case OK -> "ok: " + links + " links verified, head seq " + head.seq() + " hash " + head.hash()
          + (start.seq() > 0 ? ", from anchor seq " + start.seq() : "")
          + (unsealed > 0 ? "; " + unsealed + " events not sealed yet" : "");
      case BROKEN -> "broken at seq " + brokenAt + " (" + problem.wireName() + "): " + reason;
      case CANNOT_CHECK -> "cannot check: " + reason;
    };
  }
}
