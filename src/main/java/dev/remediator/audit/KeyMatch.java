package dev.remediator.audit;

/**
 * Whether a key is the one the chain was sealed with, and if not, why: a chain checked with the
 * wrong key would otherwise look broken at its first link.
 */
record KeyMatch(boolean matches, String reason) {
  static KeyMatch of(SealStore.Chain chain, ChainKey key) {
    boolean keyed = key.mode() == ChainKey.Mode.HMAC_SHA256;
    if (chain.mode().equals(ChainKey.Mode.HMAC_SHA256.wireName())) {
      if (!keyed) {
        return mismatch("the audit chain is sealed with HMAC-SHA256, but no REMEDIATOR_AUDIT_KEY is set");
      }
      return chain.keyCheck().equals(key.check()) ? new KeyMatch(true, "")
          : mismatch("the audit chain is sealed with HMAC-SHA256 under another REMEDIATOR_AUDIT_KEY");
    }
    if (chain.mode().equals(ChainKey.Mode.SHA256.wireName())) {
      return keyed ? mismatch("the audit chain is sealed with plain SHA-256 (no key), but REMEDIATOR_AUDIT_KEY is set")
          : new KeyMatch(true, "");
    }
    return mismatch("the audit chain is sealed in an unknown mode \"" + chain.mode() + "\"");
  }

  private static KeyMatch mismatch(String why) {
    return new KeyMatch(false, "key mismatch: " + why);
  }
}
