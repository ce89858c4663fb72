package dev.remediator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  private static final String NAME = "REMEDIATOR_WEBHOOK_TOKEN";

  @TempDir
  Path dir;

  @Test
  void valueComesFromTheVariable() {
    assertThat(Secrets.read(Map.of(NAME, "s3cret"), NAME)).contains("s3cret");
  }

  @Test
  void unsetSecretIsEmpty() {
    assertThat(Secrets.read(Map.of("OTHER", "x"), NAME)).isEmpty();
  }

  @Test
  void emptyValuesCountAsUnset() {
    assertThat(Secrets.read(Map.of(NAME, "", NAME + "_FILE", ""), NAME)).isEmpty();
  }

  @Test
  void valueComesFromTheFileWithOneTrailingNewlineRemoved() throws IOException {
    assertThat(Secrets.read(Map.of(NAME + "_FILE", write("s3cret\n")), NAME)).contains("s3cret");
    assertThat(Secrets.read(Map.of(NAME + "_FILE", write("s3cret\r\n")), NAME)).contains("s3cret");
    assertThat(Secrets.read(Map.of(NAME + "_FILE", write("s3cret")), NAME)).contains("s3cret");
    assertThat(Secrets.read(Map.of(NAME + "_FILE", write("s3cret\n\n")), NAME)).contains("s3cret\n");
  }

  @Test
  void emptyVariableDoesNotConflictWithItsFile() throws IOException {
    assertThat(Secrets.read(Map.of(NAME, "", NAME + "_FILE", write("user:pw\n")), NAME)).contains("user:pw");
  }

  @Test
  void settingBothIsRejected() throws IOException {
    assertThatThrownBy(() -> Secrets.read(Map.of(NAME, "a", NAME + "_FILE", write("b")), NAME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("set REMEDIATOR_WEBHOOK_TOKEN or REMEDIATOR_WEBHOOK_TOKEN_FILE, not both");
  }

  @Test
  void missingFileIsRejectedWithTheVariableAndPath() {
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> Secrets.read(Map.of(NAME + "_FILE", missing.toString()), NAME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot read REMEDIATOR_WEBHOOK_TOKEN_FILE file " + missing + ": no such file");
  }

  @Test
  void directoryIsRejectedWithTheVariableAndPath() {
    assertThatThrownBy(() -> Secrets.read(Map.of(NAME + "_FILE", dir.toString()), NAME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read REMEDIATOR_WEBHOOK_TOKEN_FILE file " + dir + ": ");
  }

  @Test
  void fileThatIsNotUtf8IsRejected() throws IOException {
    Path file = dir.resolve("binary");
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe});

    assertThatThrownBy(() -> Secrets.read(Map.of(NAME + "_FILE", file.toString()), NAME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot read REMEDIATOR_WEBHOOK_TOKEN_FILE file " + file + ": not valid UTF-8");
  }

  @Test
  void emptyFileIsRejectedRatherThanLeavingTheWebhookOpen() throws IOException {
    String file = write("\n");

    assertThatThrownBy(() -> Secrets.read(Map.of(NAME + "_FILE", file), NAME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("REMEDIATOR_WEBHOOK_TOKEN_FILE names an empty file: " + file);
  }

  private String write(String contents) throws IOException {
    Path file = Files.createTempFile(dir, "secret", ".txt");
    Files.writeString(file, contents, StandardCharsets.UTF_8);
    return file.toString();
  }
}
