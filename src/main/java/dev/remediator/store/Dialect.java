package dev.remediator.store;

/** The SQL differences between the two stores; everything else is shared. */
public enum Dialect {
  POSTGRES("postgresql", " for update skip locked"),
  H2("h2", " for update skip locked");

  private final String flywayVendor;
  private final String lockForClaim;

  Dialect(String flywayVendor, String lockForClaim) {
    this.flywayVendor = flywayVendor;
    this.lockForClaim = lockForClaim;
  }

  /** Appended to a select that claims queue rows: other replicas skip what one has locked. */
  public String lockForClaim() {
    return lockForClaim;
  }

  String flywayVendor() {
    return flywayVendor;
  }

  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    throw new IllegalArgumentException(
        "REMEDIATOR_DATABASE_URL must start with jdbc:postgresql: or jdbc:h2:, but was " + redact(jdbcUrl));
  }

  /** The URL with any password parameter blanked, fit for logs and errors. */
  public static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }
}
