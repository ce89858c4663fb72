package dev.remediator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.alert.Notification;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import dev.remediator.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code remediator simulate} over the history in a PostgreSQL store. */
class SimulateCommandTest {
  @RegisterExtension
  static final TestDatabase postgres = new TestDatabase();

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String NL = System.lineSeparator();
  private static final String CANDIDATE = """
      targets:
        host: {kind: command}
      rules:
        - name: restart-api
          match: ['alertname="HighErrorRate"']
          action: command
          target: host
          with: {argv: ["/bin/true", "{{ labels.service }}"]}
          allow: {service: "[a-z0-9-]{1,63}"}
          cooldown: 15m
      """;

  @TempDir
  Path dir;

  /** Four occurrences of one alert, received ten minutes apart from T0. */
  @BeforeAll
  static void storeHistory() {
    try (Database database = postgres.openStore()) {
      for (int k = 0; k < 4; k++) {
        Instant received = T0.plus(Duration.ofMinutes(10L * k));
        Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", "HighErrorRate", "service", "api"),
            Labels.EMPTY, received, Optional.empty(), "", "fp-api");
        Notification notification = new Notification("4", "g", 0, AlertStatus.FIRING, "remediator", null, null, null,
            "", Optional.empty(), List.of(alert));
        database.inTransaction(c -> new NotificationStore().store(c,
            List.of(new IncomingNotification(notification, "{}", "alertmanager@test", received))));
      }
    }
  }

  private record Run(int status, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new SimulateCommand(env, MutableClock.at(T0.plus(Duration.ofHours(1)))));
    int status = command.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void aCandidateIsRunOverTheConfiguredStoreAndReportedAsSentences() throws IOException {
    Path rules = Files.writeString(dir.resolve("candidate.yml"), CANDIDATE);

    Run simulated = run(Map.of("REMEDIATOR_DATABASE_URL", postgres.storeUrl()), "--rules",
        rules.toString(), "--since", "2h");

    assertThat(simulated.err()).isEmpty();
    assertThat(simulated.status()).isZero();
    assertThat(simulated.out()).isEqualTo("simulated " + rules + " over 4 alerts received from 2026-11-22T09:00:00Z "
        + "until 2026-11-22T11:00:00Z (4 firing)" + NL
        + "not simulated, since they ask the world as it is now: paused, breaker, promql" + NL
        + "had these rules been live, restart-api would have acted 2 times; cooldown stopped 2 (of 4 matched)" + NL
        + "  acted: HighErrorRate fp-api startsAt 2026-11-22T10:00:00Z: all guards passed" + NL
        + "  acted: HighErrorRate fp-api startsAt 2026-11-22T10:20:00Z: all guards passed" + NL
        + "  cooldown: HighErrorRate fp-api startsAt 2026-11-22T10:10:00Z: rule acted for group fp-api at "
        + "2026-11-22T10:00:00Z; cooldown 15m lasts until 2026-11-22T10:15:00Z" + NL
        + "  cooldown: HighErrorRate fp-api startsAt 2026-11-22T10:30:00Z: rule acted for group fp-api at "
        + "2026-11-22T10:20:00Z; cooldown 15m lasts until 2026-11-22T10:35:00Z" + NL);
    try (Database database = postgres.openStore()) {
      assertThat(Rows.of(database, "select count(*) from remediation")).containsExactly("0");
    }
  }

  @Test
  void aCandidateWithProblemsIsExit1WithEachProblemAndItsLine() throws IOException {
    Path rules = Files.writeString(dir.resolve("candidate.yml"), CANDIDATE.replace("cooldown: 15m", "cooldown: 1x"));

    Run refused = run(Map.of(), "--rules", rules.toString(), "--since", "7d", "--database-url",
        postgres.storeUrl());

    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).isEqualTo(rules + ":10: rules[0].cooldown: not a valid duration string: \"1x\" "
        + "(use e.g. 90s, 15m, 1h30m)" + NL);
  }

  @Test
  void aBadWindowIsExit2NamingTheFlag() throws IOException {
    Path rules = Files.writeString(dir.resolve("candidate.yml"), CANDIDATE);

    Run bad = run(Map.of(), "--rules", rules.toString(), "--since", "last week", "--database-url",
        postgres.storeUrl());
    Run reversed = run(Map.of(), "--rules", rules.toString(), "--since", "1h", "--until", "2h",
        "--database-url", postgres.storeUrl());

    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("remediator simulate: --since must be a duration back from now (7d, 12h) or an "
        + "RFC 3339 instant, but was \"last week\"" + NL);
    assertThat(reversed.status()).isEqualTo(2);
    assertThat(reversed.err()).startsWith("remediator simulate: --since (2026-11-22T10:00:00Z) must be before until");
  }

  @Test
  void theCommandIsPartOfTheCommandLine() {
    StringWriter out = new StringWriter();
    int status = Main.commandLine(Map.of()).setOut(new PrintWriter(out)).execute("simulate", "--help");

    assertThat(status).isZero();
    assertThat(out.toString()).contains("--rules", "--since", "--until", "--database-url");
  }
}
