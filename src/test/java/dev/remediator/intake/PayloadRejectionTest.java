package dev.remediator.intake;

import static dev.remediator.intake.Payloads.ALERT;
import static dev.remediator.intake.Payloads.json;
import static dev.remediator.intake.Payloads.payload;
import static dev.remediator.intake.Payloads.withAlert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadRejectionTest {
  private static final String START = "'startsAt': '2026-11-22T10:00:00Z'";
  private static final String LABELS = "'labels': {'alertname': 'A'}";

  private final PayloadParser parser = new PayloadParser();

  @ParameterizedTest
  @ValueSource(strings = {"[]", "'4'", "4", "null", "true"})
  void bodyThatIsNotAnObjectIsRejected(String body) {
    assertRejected(json(body), "", "body must be a JSON object");
  }

  @Test
  void missingVersionIsRejected() {
    assertRejected(json("{'alerts': []}"), "version", "is required");
  }

  @Test
  void nonStringVersionIsRejected() {
    assertRejected(json("{'version': 4, 'alerts': []}"), "version", "must be a string");
  }

  @Test
  void unsupportedVersionIsRejectedWithTheValue() {
    assertRejected(json("{'version': '3', 'alerts': []}"), "version", "unsupported version \"3\", expected \"4\" (Alertmanager) or \"1\" with an orgId (Grafana)");
  }

  @Test
  void missingAlertsIsRejected() {
    assertRejected(json("{'version': '4'}"), "alerts", "is required");
  }

  @Test
  void alertsThatIsNotAnArrayIsRejected() {
    assertRejected(json("{'version': '4', 'alerts': {}}"), "alerts", "must be an array");
  }

  @Test
  void alertThatIsNotAnObjectIsRejectedWithItsIndex() {
    assertRejected(payload("", ALERT, "'HighErrorRate'"), "alerts[1]", "must be an object");
  }

  @Test
  void missingLabelsIsRejectedWithItsPath() {
    assertRejected(withAlert(START), "alerts[0].labels", "is required");
  }

  @Test
  void labelsThatAreNotAnObjectAreRejectedWithTheirPath() {
    assertRejected(withAlert("'labels': ['alertname'], " + START), "alerts[0].labels", "must be an object");
  }

  @Test
  void nonStringLabelValueIsRejectedWithItsPath() {
    assertRejected(withAlert("'labels': {'alertname': 'A', 'service': 42}, " + START),
        "alerts[0].labels.service", "must be a string");
  }

  @Test
  void nulCharacterInALabelValueIsRejectedWithItsPath() {
    assertRejected(withAlert("'labels': {'alertname': 'A', 'service': 'api\\u0000'}, " + START),
        "alerts[0].labels.service", "must not contain the NUL character (\\u0000)");
  }

  @Test
  void nulCharacterInAStringFieldIsRejectedWithItsPath() {
    assertRejected(withAlert(LABELS + ", " + START + ", 'fingerprint': '\\u0000'"), "alerts[0].fingerprint",
        "must not contain the NUL character (\\u0000)");
  }

  @Test
  void labelNameThatIsNotAnIdentifierIsQuotedInThePath() {
    assertRejected(withAlert("'labels': {'alertname': 'A', 'team.name': null}, " + START),
        "alerts[0].labels[\"team.name\"]", "must be a string");
  }

  @Test
  void missingAlertnameIsRejectedWithItsPath() {
    PayloadException e = rejection(withAlert("'labels': {'service': 'api-1'}, " + START));

    assertThat(e.getMessage()).isEqualTo("alerts[0].labels.alertname: is required");
  }

  @Test
  void emptyAlertnameIsRejectedWithItsPath() {
    assertRejected(payload("", ALERT, "{'labels': {'alertname': ''}, " + START + "}"),
        "alerts[1].labels.alertname", "is required");
  }

  @Test
  void missingStartsAtIsRejectedWithItsPath() {
    assertRejected(withAlert(LABELS), "alerts[0].startsAt", "is required");
  }

  @Test
  void startsAtThatIsNotATimestampIsRejectedWithTheValue() {
    PayloadException e = rejection(withAlert(LABELS + ", 'startsAt': 'yesterday'"));

    assertThat(e.getMessage()).isEqualTo("alerts[0].startsAt: not an RFC 3339 timestamp: \"yesterday\"");
  }

  @Test
  void nonStringStartsAtIsRejected() {
    assertRejected(withAlert(LABELS + ", 'startsAt': 1763805600"), "alerts[0].startsAt", "must be a string");
  }

  @Test
  void endsAtThatIsNotATimestampIsRejectedWithTheValue() {
    assertRejected(withAlert(LABELS + ", " + START + ", 'endsAt': '2026-11-22 10:05'"),
        "alerts[0].endsAt", "not an RFC 3339 timestamp: \"2026-11-22 10:05\"");
  }

  @Test
  void longOrControlCharacterValuesAreBoundedAndEscapedInReasons() {
    String longValue = "x".repeat(100);

    assertRejected(withAlert(LABELS + ", 'startsAt': '" + longValue + "'"),
        "alerts[0].startsAt", "not an RFC 3339 timestamp: \"" + "x".repeat(64) + "...\"");
    assertRejected(withAlert(LABELS + ", 'startsAt': 'a\\u0007\\\"b\\u00e9'"),
        "alerts[0].startsAt", "not an RFC 3339 timestamp: \"a\\u0007\\\"b\\u00e9\"");
  }

  @Test
  void unknownNotificationStatusIsRejectedWithTheValue() {
    assertRejected(payload("'status': 'pending'", ALERT), "status", "must be \"firing\" or \"resolved\": \"pending\"");
  }

  @Test
  void unknownAlertStatusIsRejectedWithTheValue() {
    assertRejected(withAlert("'status': 'FIRING', " + LABELS + ", " + START),
        "alerts[0].status", "must be \"firing\" or \"resolved\": \"FIRING\"");
  }

  @Test
  void nonStringStatusIsRejected() {
    assertRejected(payload("'status': 1", ALERT), "status", "must be a string");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "-1          | -1",
      "1.5         | 1.5",
      "'3'         | \"3\"",
      "3000000000  | 3000000000",
      "[]          | an array",
  })
  void truncatedAlertsThatIsNotANonNegativeIntegerIsRejected(String value, String rendered) {
    assertRejected(payload("'truncatedAlerts': " + value, ALERT),
        "truncatedAlerts", "must be a non-negative integer: " + rendered);
  }

  @ParameterizedTest
  @ValueSource(strings = {"groupLabels", "commonLabels", "commonAnnotations"})
  void topLevelLabelSetsMustBeObjectsOfStrings(String field) {
    assertRejected(payload("'" + field + "': 'x'", ALERT), field, "must be an object");
    assertRejected(payload("'" + field + "': {'summary': false}", ALERT), field + ".summary", "must be a string");
  }

  @Test
  void annotationsMustBeAnObjectOfStrings() {
    assertRejected(withAlert(LABELS + ", " + START + ", 'annotations': []"), "alerts[0].annotations", "must be an object");
    assertRejected(withAlert(LABELS + ", " + START + ", 'annotations': {'summary': {}}"),
        "alerts[0].annotations.summary", "must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"groupKey", "receiver", "externalURL", "notification_reason"})
  void topLevelStringFieldsMustBeStrings(String field) {
    assertRejected(payload("'" + field + "': 1", ALERT), field, "must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"generatorURL", "fingerprint"})
  void alertStringFieldsMustBeStrings(String field) {
    assertRejected(withAlert(LABELS + ", " + START + ", '" + field + "': ['x']"), "alerts[0]." + field, "must be a string");
  }

  @Test
  void singleAlertErrorsNameFieldsRelativeToTheBody() {
    assertThatThrownBy(() -> parser.parseAlert(parser.readTree(json("{'labels': {}}")), ""))
        .isInstanceOf(PayloadException.class)
        .hasMessage("labels.alertname: is required");
    assertThatThrownBy(() -> parser.parseAlert(parser.readTree(json("[]")), ""))
        .isInstanceOf(PayloadException.class)
        .hasMessage("body must be a JSON object");
  }

  private void assertRejected(byte[] body, String field, String reason) {
    PayloadException e = rejection(body);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.reason()).isEqualTo(reason);
  }

  private PayloadException rejection(byte[] body) {
    Throwable thrown = catchThrowable(() -> parser.parse(body));
    assertThat(thrown).isInstanceOf(PayloadException.class);
    return (PayloadException) thrown;
  }
}
