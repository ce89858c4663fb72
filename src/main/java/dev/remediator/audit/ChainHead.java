package dev.remediator.audit;

/** One link of the audit chain by position and hash: the newest link, or an anchor. */
public record ChainHead(long seq, String hash) {
  /** Where a chain that has never been cut starts: before seq 1, from the genesis hash. */
  public static final ChainHead START = new ChainHead(0, ChainKey.GENESIS);

  @Override
  public String toString() {
    return seq + ":" + hash;
  }
}
