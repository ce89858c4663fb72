package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.audit.AuditLog;
import dev.remediator.store.Database;
import dev.remediator.store.Pause;
import dev.remediator.store.PauseStore;
import dev.remediator.testing.FreshStore;
import dev.remediator.testing.MutableClock;
import dev.remediator.testing.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KillSwitchTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MutableClock clock = MutableClock.at(T0);
  @RegisterExtension
  final FreshStore store = FreshStore.inMemory();
  private Database database;
  private KillSwitch killSwitch;

  @BeforeEach
  void open() {
    database = store.database();
    killSwitch = new KillSwitch(database, new PauseStore(), new AuditLog(), clock);
  }

  private List<String> audit() {
    return Rows.of(database, "select kind, actor, outcome, detail from audit_event order by id");
  }

  @Test
  void aPauseHoldsUntilResumedAndBothAreAuditedWithTheirActor() {
    Pause pause = killSwitch.pause("operator@10.0.0.7", "deploy freeze", Optional.empty());

    assertThat(pause).isEqualTo(new Pause("deploy freeze", "operator@10.0.0.7", T0, Optional.empty()));
    clock.advance(Duration.ofDays(3));
    assertThat(killSwitch.current()).contains(pause);
    assertThat(killSwitch.lastKnownPaused()).isTrue();

    clock.advance(Duration.ofMinutes(1));
    assertThat(killSwitch.resume("operator@10.0.0.8")).contains(pause);

    assertThat(killSwitch.current()).isEmpty();
    assertThat(killSwitch.lastKnownPaused()).isFalse();
    assertThat(killSwitch.resume("operator@10.0.0.8")).as("nothing left to resume").isEmpty();
    String detail = "{\"pausedBy\":\"operator@10.0.0.7\",\"reason\":\"deploy freeze\","
        + "\"since\":\"2026-11-22T10:00:00Z\",\"until\":\"\"}";
    assertThat(audit()).containsExactly(
        "paused | operator@10.0.0.7 | paused | " + detail,
        "resumed | operator@10.0.0.8 | resumed | " + detail);
  }

  @Test
  void aPauseForAWhileEndsByItselfAtItsEndAndTheEndIsAuditedOnce() {
    killSwitch.pause("operator@10.0.0.7", "maintenance", Optional.of(Duration.ofHours(1)));

    clock.set(T0.plus(Duration.ofMinutes(59)));
    assertThat(killSwitch.current()).map(Pause::until).contains("until 2026-11-22T11:00:00Z");

    clock.set(T0.plus(Duration.ofHours(1)));
    assertThat(killSwitch.current()).isEmpty();
    assertThat(killSwitch.current()).isEmpty();
    assertThat(killSwitch.recent()).isEmpty();
    assertThat(killSwitch.resume("operator@10.0.0.7")).isEmpty();

    assertThat(Rows.of(database, "select kind, actor, outcome from audit_event order by id")).containsExactly(
        "paused | operator@10.0.0.7 | paused",
        "resumed | remediator | expired");
    assertThat(Rows.of(database, "select count(*) from pause")).containsExactly("0");
  }

  @Test
  void pausingAgainReplacesTheReasonAndTheEnd() {
    killSwitch.pause("operator@10.0.0.7", "maintenance", Optional.of(Duration.ofHours(1)));
    clock.advance(Duration.ofMinutes(30));

    Pause longer = killSwitch.pause("operator@10.0.0.8", "maintenance overran", Optional.of(Duration.ofHours(2)));

    clock.set(T0.plus(Duration.ofHours(2)));
    assertThat(killSwitch.current()).contains(longer);
    assertThat(longer.until()).isEqualTo("until 2026-11-22T12:30:00Z");
  }

  @Test
  void recentTrustsItsLastReadForASecondAndThenReadsTheStoreAgain() {
    KillSwitch otherReplica = new KillSwitch(database, new PauseStore(), new AuditLog(), clock);
    assertThat(killSwitch.recent()).isEmpty();

    otherReplica.pause("operator@10.0.0.7", "incident", Optional.empty());

    assertThat(killSwitch.recent()).as("read less than a second ago").isEmpty();
    clock.advance(Duration.ofMillis(999));
    assertThat(killSwitch.recent()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(killSwitch.recent()).map(Pause::reason).contains("incident");
  }
}
