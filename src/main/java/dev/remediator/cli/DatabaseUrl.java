package dev.remediator.cli;

import dev.remediator.config.Secrets;
import dev.remediator.store.Database;
import java.util.Map;
import java.util.Optional;

/**
 * The store a command opens: {@code --database-url} when given and not blank, else
 * REMEDIATOR_DATABASE_URL or the file REMEDIATOR_DATABASE_URL_FILE names.
 */
final class DatabaseUrl {
  static final String VARIABLE = "REMEDIATOR_DATABASE_URL";

  private DatabaseUrl() {}

  /** The configured store, or empty when neither the flag nor the environment names one. */
  static Optional<String> configured(String flag, Map<String, String> env) {
    return flag != null && !flag.isBlank() ? Optional.of(flag) : Secrets.read(env, VARIABLE);
  }

  /** The configured store, or the embedded SQLite file when none is. */
  static String orDefault(String flag, Map<String, String> env) {
    return configured(flag, env).orElse(Database.DEFAULT_URL);
  }
}
