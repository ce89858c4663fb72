package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The export forms: NDJSON lines carry an entry's fields; CSV quotes per RFC 4180 and defuses formulas. */
class AuditFormatTest {
  private static final AuditEntry ENTRY = new AuditEntry(42, Instant.parse("2026-11-22T10:00:00.123456Z"), "failed",
      "=cmd|' /C calc'!A0", 7L, null, 9L, "fp", "High,Error \"Rate\"", "-restart", "+action", "@target",
      "line one\nline two", Map.of("error", "boom"));

  @Test
  void csvFieldsAreQuotedOnlyWhenTheyMustBe() {
    assertThat(AuditFormat.csvField("plain")).isEqualTo("plain");
    assertThat(AuditFormat.csvField("a,b")).isEqualTo("\"a,b\"");
    assertThat(AuditFormat.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(AuditFormat.csvField("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(AuditFormat.csvField("cr\rhere")).isEqualTo("\"cr\rhere\"");
    assertThat(AuditFormat.csvField("")).isEqualTo("");
  }

  @Test
  void csvValuesThatASpreadsheetWouldRunGetAnApostrophe() {
    assertThat(AuditFormat.csvField("=1+2")).isEqualTo("'=1+2");
    assertThat(AuditFormat.csvField("+1")).isEqualTo("'+1");
    assertThat(AuditFormat.csvField("-1")).isEqualTo("'-1");
    assertThat(AuditFormat.csvField("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(AuditFormat.csvField("\tx")).isEqualTo("'\tx");
    assertThat(AuditFormat.csvField("=HYPERLINK(\"http://evil\",\"x\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
    assertThat(AuditFormat.csvField("a=b")).isEqualTo("a=b");
  }

  @Test
  void aCsvRowHasEveryFieldInHeaderOrderAndEndsInCrlf() throws IOException {
    StringWriter out = new StringWriter();
    AuditFormat.CSV.header(out);
    AuditFormat.CSV.write(out, ENTRY);
    assertThat(out.toString()).isEqualTo(
        "id,at,kind,actor,notificationId,alertId,remediationId,fingerprint,alertname,rule,action,target,outcome,detail\r\n"
            + "42,2026-11-22T10:00:00.123456Z,failed,'=cmd|' /C calc'!A0,7,,9,fp,\"High,Error \"\"Rate\"\"\","
            + "'-restart,'+action,'@target,\"line one\nline two\",\"{\"\"error\"\":\"\"boom\"\"}\"\r\n");
  }

  @Test
  void anNdjsonLineIsTheEntrysFieldsAsOneJsonObject() throws IOException {
    StringWriter out = new StringWriter();
    AuditFormat.NDJSON.header(out);
    AuditFormat.NDJSON.write(out, ENTRY);
    AuditFormat.NDJSON.write(out, ENTRY);
    String[] lines = out.toString().split("\n", -1);
    assertThat(lines).hasSize(3);
    assertThat(lines[2]).isEmpty();
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(lines[0])).isEqualTo(json.readTree(json.writeValueAsString(ENTRY.fields())));
    assertThat(json.readTree(lines[0]).get("alertId").isNull()).isTrue();
    assertThat(json.readTree(lines[0]).get("outcome").asText()).isEqualTo("line one\nline two");
  }

  @Test
  void theAcceptHeaderChoosesTheFormat() {
    assertThat(AuditFormat.accepted("application/x-ndjson")).contains(AuditFormat.NDJSON);
    assertThat(AuditFormat.accepted("text/csv; charset=utf-8")).contains(AuditFormat.CSV);
    assertThat(AuditFormat.accepted("TEXT/CSV, application/json")).contains(AuditFormat.CSV);
    assertThat(AuditFormat.accepted("application/json")).isEmpty();
    assertThat(AuditFormat.accepted("*/*")).isEmpty();
    assertThat(AuditFormat.accepted(null)).isEqualTo(Optional.empty());
  }
}
