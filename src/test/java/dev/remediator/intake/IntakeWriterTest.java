package dev.remediator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.audit.AuditLog;
import dev.remediator.store.Database;
import dev.remediator.store.IncomingNotification;
import dev.remediator.store.NotificationStore;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import dev.remediator.store.StoredNotification;
import dev.remediator.testing.InMemoryStore;
import dev.remediator.testing.Rows;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The group-commit writer on the embedded store: who completes requests, the byte budget, answered entries. */
class IntakeWriterTest {
  private static final Instant RECEIVED = Instant.parse("2026-11-22T10:00:00Z");
  private final PayloadParser parser = new PayloadParser();
  private Database database;
  private IntakeWriter writer;

  @BeforeEach
  void open() {
    database = InMemoryStore.open();
  }

  @AfterEach
  void close() {
    if (writer != null) {
      writer.close();
    }
    database.close();
  }

  private IncomingNotification notification(String fingerprint) {
    String body = new String(Payloads.payload("", "{'labels': {'alertname': 'A'}, 'startsAt': '2026-11-22T10:00:00Z', "
        + "'fingerprint': '" + fingerprint + "'}"), java.nio.charset.StandardCharsets.UTF_8);
    return new IncomingNotification(parser.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)), body,
        "alertmanager@test", RECEIVED);
  }

  private IntakeWriter writer(Runnable afterCommit, long budget) {
    writer = new IntakeWriter(database, new NotificationStore(), new AuditLog(), afterCommit, 16, budget);
    return writer;
  }

  @Test
  void requestsAreCompletedOffTheWriterThread() throws Exception {
    writer(() -> { }, IntakeWriter.DEFAULT_BUDGET_BYTES);
    AtomicReference<String> completedOn = new AtomicReference<>();
    CountDownLatch replying = new CountDownLatch(1);
    CountDownLatch holdCallback = new CountDownLatch(1);
    CompletableFuture<StoredNotification> first = writer.submit(notification("00000000000000a1"));
    CompletableFuture<Void> slowReply = first.thenRun(() -> {
      completedOn.set(Thread.currentThread().getName());
      replying.countDown();
      await(holdCallback);
    });
    writer.start();   // only now, so the callback above is attached before anything can complete

    assertThat(replying.await(10, TimeUnit.SECONDS)).isTrue();
    // While the first requester's reply is still busy, the writer commits the next notification.
    StoredNotification second = writer.submit(notification("00000000000000a2")).get(10, TimeUnit.SECONDS);
    holdCallback.countDown();
    slowReply.get(10, TimeUnit.SECONDS);

    assertThat(second.newAlerts()).isEqualTo(1);
    assertThat(completedOn.get()).startsWith("remediator-intake-reply-");
  }

  @Test
  void aBatchOfManyNotificationsMarksIntakeBusyAndSingleOnesDoNot() throws Exception {
    long anyTime = TimeUnit.HOURS.toNanos(1);
    writer(() -> { }, IntakeWriter.DEFAULT_BUDGET_BYTES).start();
    writer.submit(notification("00000000000000d0")).get(10, TimeUnit.SECONDS);
    assertThat(writer.busyWithin(anyTime)).as("a batch of one").isFalse();

    writer.close();
    writer(() -> { }, IntakeWriter.DEFAULT_BUDGET_BYTES);
    List<CompletableFuture<StoredNotification>> queued = new ArrayList<>();
    for (int i = 0; i < IntakeWriter.BUSY_BATCH; i++) {
      queued.add(writer.submit(notification("00000000000000e" + i)));
    }
    writer.start();   // takes all of them in one batch
    for (CompletableFuture<StoredNotification> each : queued) {
      each.get(10, TimeUnit.SECONDS);
    }

    assertThat(writer.busyWithin(anyTime)).isTrue();
  }

  @Test
  void queueIsBoundedByBytesAndRefusesWhatDoesNotFit() {
    IncomingNotification one = notification("00000000000000b1");
    long size = one.payload().length();
    writer(() -> { }, 2 * size + 1);   // not started: nothing leaves the queue

    CompletableFuture<StoredNotification> first = writer.submit(one);
    CompletableFuture<StoredNotification> second = writer.submit(notification("00000000000000b2"));
    CompletableFuture<StoredNotification> third = writer.submit(notification("00000000000000b3"));

    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(third).isCompletedExceptionally();
    assertThatThrownBy(third::join).hasCauseInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("intake queue is full (" + 2 * size + " bytes of notifications waiting for the store, "
            + "budget " + (2 * size + 1) + ")");
    assertThat(writer.queued()).isEqualTo(2);
  }

  @Test
  void notificationAnsweredBeforeTheWriterTookItIsNotStored() throws Exception {
    CountDownLatch commitSeen = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    writer(() -> {
      commitSeen.countDown();
      await(release);
    }, IntakeWriter.DEFAULT_BUDGET_BYTES).start();
    CompletableFuture<StoredNotification> first = writer.submit(notification("00000000000000c1"));
    assertThat(commitSeen.await(10, TimeUnit.SECONDS)).isTrue();

    // The writer is busy; this requester gives up (as the webhook does after its deadline).
    CompletableFuture<StoredNotification> late = writer.submit(notification("00000000000000c2"));
    late.completeExceptionally(new TimeoutException("requester answered 503"));
    release.countDown();
    CompletableFuture<StoredNotification> after = writer.submit(notification("00000000000000c3"));

    first.get(10, TimeUnit.SECONDS);
    after.get(10, TimeUnit.SECONDS);
    assertThat(Rows.of(database, "select fingerprint from alert order by fingerprint"))
        .containsExactly("00000000000000c1", "00000000000000c3");
  }

  @Test
  void aDataErrorIsTheSendersFaultAndAnythingElseTheStoresAndNeitherEchoesTheDatabase() {
    StoreException badData = new StoreException("ERROR: value too long for type character varying(200), secret=x",
        new SQLException("value too long for type character varying(200), secret=x", "22001"));
    StoreException broken = new StoreException("ERROR: relation \"alert\" does not exist",
        new SQLException("relation \"alert\" does not exist", "42P01"));

    RuntimeException sendersFault = IntakeWriter.classify(badData);
    RuntimeException storesFault = IntakeWriter.classify(broken);

    assertThat(sendersFault).isInstanceOf(PayloadException.class);
    assertThat(((PayloadException) sendersFault).status()).isEqualTo(400);
    assertThat(((PayloadException) sendersFault).reason())
        .isEqualTo("the store cannot take this notification's data; see the server log");
    assertThat(storesFault).isInstanceOf(StoreUnavailableException.class)
        .hasMessage("the store failed to commit the notification");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
