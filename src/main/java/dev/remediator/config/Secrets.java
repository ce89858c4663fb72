package dev.remediator.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a secret from the environment: variable {@code X} holds it directly, or {@code X_FILE}
 * names a file holding it (a mounted Kubernetes or Docker secret). One trailing newline is
 * dropped from file contents, since editors and {@code echo} add one.
 */
public final class Secrets {
  private Secrets() {}

  /**
   * The secret {@code name} from {@code env}, or empty when neither variable is set (an empty
   * value counts as unset). Fails when both are set, or when the file cannot be read or is empty.
   */
  public static Optional<String> read(Map<String, String> env, String name) {
    String fileVariable = name + "_FILE";
    String value = nonEmpty(env.get(name));
    String file = nonEmpty(env.get(fileVariable));
    if (value != null && file != null) {
      throw new IllegalArgumentException("set " + name + " or " + fileVariable + ", not both");
    }
    if (value != null) {
      return Optional.of(value);
    }
    if (file == null) {
      return Optional.empty();
    }
    String contents = withoutTrailingNewline(readFile(fileVariable, file));
    if (contents.isEmpty()) {
      throw new IllegalArgumentException(fileVariable + " names an empty file: " + file);
    }
    return Optional.of(contents);
  }

  /**
   * The secret {@code name} from {@code flagFile} when a command-line flag names one (the flag
   * wins over the environment), else from {@code env} as {@link #read(Map, String)}.
   */
  public static Optional<String> read(Map<String, String> env, String name, Path flagFile) {
    if (flagFile != null) {
      return read(Map.of(name + "_FILE", flagFile.toString()), name);
    }
    return read(env, name);
  }

  private static String readFile(String variable, String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException | InvalidPathException e) {
      throw new IllegalArgumentException("cannot read " + variable + " file " + file + ": " + ReadFailure.describe(e), e);
    }
  }

  private static String withoutTrailingNewline(String text) {
    if (text.endsWith("\r\n")) {
      return text.substring(0, text.length() - 2);
    }
    if (text.endsWith("\n")) {
      return text.substring(0, text.length() - 1);
    }
    return text;
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
