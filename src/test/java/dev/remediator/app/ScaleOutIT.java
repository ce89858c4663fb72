package dev.remediator.app;

import static dev.remediator.testing.Replicas.await;
import static dev.remediator.testing.Replicas.notification;
import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.Replicas;
import dev.remediator.testing.ServerProcess;
import dev.remediator.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code serve} processes on one PostgreSQL database: the same notifications reach every
 * replica at once (as HA Alertmanager peers send them), each occurrence is acted on exactly once,
 * the work is shared, and a replica killed with {@code -9} at any point leaves nothing
 * unaccounted for: its work is run once by a survivor, or marked interrupted and audited by one.
 */
class ScaleOutIT {
  private static final int REPLICAS = 3;
  /** The bound for a survivor to report what a dead replica left running. */
  private static final Duration REPORTED_WITHIN = Duration.ofMinutes(2);
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  /**
   * Rules with two live command actions: {@code Mark} makes a marker directory (mkdir fails if it
   * exists, so a second run shows), {@code SlowMark} does the same and then takes a few seconds.
   */
  private String rules(Path markers) {
    return """
        settings:
          dry_run: false
        targets:
          runner: {kind: command, concurrency: 8}
        rules:
          - name: mark
            match: ['alertname="Mark"']
            action: command
            target: runner
            with:
              argv: ["/usr/bin/mkdir", "%1$s/{{ labels.id }}"]
              timeout: 5s
            allow: {id: "[a-z0-9-]{1,40}"}
          - name: slow-mark
            match: ['alertname="SlowMark"']
            action: command
            target: runner
            with:
              argv: ["/bin/sh", "-c", "mkdir \\"$0\\" && sleep 4", "%1$s/{{ labels.id }}"]
              timeout: 10s
            allow: {id: "[a-z0-9-]{1,40}"}
        """.formatted(markers);
  }

  @Test
  void sameNotificationsToEveryReplicaRunEachActionOnceAndShareTheWork() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    int rounds = 4;
    int perRound = 15;
    try (TestDatabase database = new TestDatabase();
         Replicas replicas = Replicas.start(REPLICAS, database, dir, rules(markers))) {
      List<Integer> statuses = new ArrayList<>();
      ExecutorService senders = Executors.newFixedThreadPool(4);
      try {
        for (int round = 0; round < rounds; round++) {
          List<Future<List<Integer>>> sent = new ArrayList<>();
          for (int i = 0; i < perRound; i++) {
            String id = "r" + round + "-a" + i;
            String body = notification("Mark", id, "%016x".formatted(round * 1000L + i + 1));
            sent.add(senders.submit(() -> replicas.postToAll(body)));
          }
          for (Future<List<Integer>> answers : sent) {
            statuses.addAll(answers.get());
          }
        }
      } finally {
        senders.shutdownNow();
      }
      int alerts = rounds * perRound;

      assertThat(statuses).as("final statuses of %d posts", statuses.size()).hasSize(alerts * REPLICAS)
          .containsOnly(200);
      assertThat(await(SETTLED_WITHIN, () -> replicas.count(
          "select count(*) from remediation where state = 'succeeded'") == alerts))
          .as("every alert's remediation succeeded; states: %s",
              replicas.rows("select state, count(*) from remediation group by state"))
          .isTrue();
      assertThat(replicas.count("select count(*) from remediation")).isEqualTo(alerts);
      assertThat(replicas.count("select count(*) from audit_event where kind = 'started'")).isEqualTo(alerts);
      try (Stream<Path> made = Files.list(markers)) {
        assertThat(made.count()).as("marker directories, one per execution").isEqualTo(alerts);
      }
      assertThat(replicas.count("select count(distinct claimed_by) from remediation"))
          .as("replicas that ran actions").isGreaterThan(1);
      assertThat(replicas.count("select count(*) from notification")).isEqualTo((long) alerts * REPLICAS);
      assertThat(replicas.count("select count(*) from alert")).isEqualTo(alerts);
    }
  }

  @Test
  void replicaKilledAfterTheAckBeforeAnyClaimLosesNothing() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    int alerts = 10;
    try (TestDatabase database = new TestDatabase();
         Replicas replicas = Replicas.start(REPLICAS, database, dir, rules(markers))) {
      ServerProcess victim = replicas.get(0);
      try (Connection holder = database.connect()) {
        // Deciding waits on the decider lock, so the alerts are acknowledged but nobody claims them.
        holder.setAutoCommit(false);
        try (Statement lock = holder.createStatement()) {
          lock.executeQuery("select name from decider_lock for update").close();
        }
        for (int i = 0; i < alerts; i++) {
          assertThat(replicas.post(victim, notification("Mark", "ack-" + i, "%016x".formatted(5000L + i))))
              .isEqualTo(200);
        }
        victim.kill();
        assertThat(replicas.count("select count(*) from remediation")).as("claimed before the kill").isZero();
        holder.rollback();
      }

      assertThat(await(SETTLED_WITHIN, () -> replicas.count(
          "select count(*) from remediation where state = 'succeeded'") == alerts))
          .as("survivors ran every acknowledged alert; states: %s",
              replicas.rows("select state, count(*) from remediation group by state"))
          .isTrue();
      assertThat(replicas.count("select count(*) from alert")).isEqualTo(alerts);
      assertThat(replicas.count("select count(*) from audit_event where kind = 'started'")).isEqualTo(alerts);
      try (Stream<Path> made = Files.list(markers)) {
        assertThat(made.count()).isEqualTo(alerts);
      }
    }
  }

  @Test
  void replicaKilledDuringTheActionIsReportedInterruptedBySurvivor() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    try (TestDatabase database = new TestDatabase();
         Replicas replicas = Replicas.start(REPLICAS, database, dir, rules(markers))) {
      assertThat(replicas.postToAll(notification("SlowMark", "during", "0000000000007001"))).containsOnly(200);
      assertThat(await(Duration.ofSeconds(30), () -> Files.isDirectory(markers.resolve("during"))))
          .as("the action started").isTrue();
      String owner = replicas.rows("select claimed_by from remediation").get(0);
      ServerProcess victim = replicas.byWorkerId(owner);

      victim.kill();
      Instant killed = Instant.now();

      assertReportedBySurvivor(replicas, owner, killed);
      assertThat(replicas.count("select count(*) from audit_event where kind = 'started'")).isEqualTo(1);
    }
  }

  @Test
  void replicaKilledAfterTheActionBeforeRecordingIsReportedInterruptedBySurvivor() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    try (TestDatabase database = new TestDatabase();
         Replicas replicas = Replicas.start(REPLICAS, database, dir, rules(markers))) {
      assertThat(replicas.postToAll(notification("SlowMark", "after", "0000000000008001"))).containsOnly(200);
      assertThat(await(Duration.ofSeconds(30), () -> Files.isDirectory(markers.resolve("after"))))
          .as("the action started").isTrue();
      String owner = replicas.rows("select claimed_by from remediation").get(0);
      ServerProcess victim = replicas.byWorkerId(owner);

      try (Connection holder = database.connect()) {
        // Hold the row so the outcome cannot be written, wait until the owner is blocked writing it.
        holder.setAutoCommit(false);
        try (Statement lock = holder.createStatement()) {
          lock.executeQuery("select id from remediation for update").close();
        }
        assertThat(await(Duration.ofSeconds(30), () -> replicas.count("select count(*) from pg_stat_activity "
            + "where wait_event_type = 'Lock' and query like '%finished_at%'") > 0))
            .as("the owner finished the action and waits to record it").isTrue();
        victim.kill();
        holder.rollback();
      }
      Instant killed = Instant.now();

      assertReportedBySurvivor(replicas, owner, killed);
      assertThat(replicas.count("select count(*) from audit_event where kind = 'started'")).isEqualTo(1);
      try (Stream<Path> made = Files.list(markers)) {
        assertThat(made.count()).as("the action ran once and was not run again").isEqualTo(1);
      }
    }
  }

  private static void assertReportedBySurvivor(Replicas replicas, String owner, Instant killed) {
    assertThat(await(REPORTED_WITHIN, () -> replicas.count(
        "select count(*) from remediation where state = 'interrupted'") == 1))
        .as("interrupted within %s of the kill; states: %s", REPORTED_WITHIN,
            replicas.rows("select state, claimed_by from remediation"))
        .isTrue();
    Duration took = Duration.between(killed, Instant.now());
    List<String> reports = replicas.rows("select actor from audit_event where kind = 'interrupted'");
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0)).as("reported by a survivor").isNotEqualTo(owner);
    System.out.printf("ScaleOutIT: %s's remediation reported interrupted by %s %d s after the kill%n", owner,
        reports.get(0), took.toSeconds());
  }
}
