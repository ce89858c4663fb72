package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.audit.AuditLog;
import dev.remediator.store.Database;
import dev.remediator.store.Pause;
import dev.remediator.store.PauseStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import dev.remediator.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The kill switch, blast radius and max_fraction on PostgreSQL, each test on a database of its
 * own; and the pause as replicas share it: two stores on one database see one pause, and its end
 * is audited once.
 */
class SafetyLimitsOnPostgresTest extends SafetyLimitsContract {
  private static final List<TestDatabase> DATABASES = new ArrayList<>();

  @Override
  Database openDatabase() {
    TestDatabase fresh = new TestDatabase();
    DATABASES.add(fresh);
    return fresh.openStore();
  }

  @AfterAll
  static void drop() {
    DATABASES.forEach(TestDatabase::close);
  }

  @Test
  void twoReplicasOnOneDatabaseShareThePauseAndAuditItsEndOnce() {
    MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");
    try (TestDatabase shared = new TestDatabase(); Database one = shared.openStore(); Database two = shared.openStore()) {
      KillSwitch first = new KillSwitch(one, new PauseStore(), new AuditLog(), clock);
      KillSwitch second = new KillSwitch(two, new PauseStore(), new AuditLog(), clock);

      first.pause("operator@10.0.0.7", "incident 4711", Optional.of(Duration.ofMinutes(30)));

      assertThat(second.current()).map(Pause::reason).contains("incident 4711");
      clock.advance(Duration.ofMinutes(30));
      assertThat(second.current()).isEmpty();
      assertThat(first.current()).isEmpty();

      second.pause("operator@10.0.0.8", "incident 4712", Optional.empty());
      assertThat(first.current()).map(Pause::actor).contains("operator@10.0.0.8");
      assertThat(first.resume("operator@10.0.0.7")).map(Pause::reason).contains("incident 4712");
      assertThat(second.current()).isEmpty();

      assertThat(Rows.of(one, "select kind, actor, outcome from audit_event order by id")).containsExactly(
          "paused | operator@10.0.0.7 | paused",
          "resumed | remediator | expired",
          "paused | operator@10.0.0.8 | paused",
          "resumed | operator@10.0.0.7 | resumed");
    }
  }
}
