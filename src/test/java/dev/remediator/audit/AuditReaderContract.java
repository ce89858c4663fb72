package dev.remediator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Reading the audit log, run against both stores: every filter alone and together, the text
 * search, the time window, newest-first pages whose cursor is stable while events are appended,
 * and exports that stream exactly what the pages hold.
 */
abstract class AuditReaderContract {
  final AuditReader reader = new AuditReader();

  abstract Database database();

  /** The ids of the fixture's events that {@code match}, newest first (a fresh store numbers them 1, 2, ...). */
  static List<Long> expected(List<AuditEvent> events, Predicate<AuditEvent> match) {
    List<Long> ids = new ArrayList<>();
    for (int i = events.size() - 1; i >= 0; i--) {
      if (match.test(events.get(i))) {
        ids.add(i + 1L);
      }
    }
    return ids;
  }

  List<Long> ids(AuditQuery query) {
    AuditPage page = database().inTransaction(c -> reader.page(c, query.limit(500)));
    return page.entries().stream().map(AuditEntry::id).toList();
  }

  @Test
  void eachFilterAloneReturnsExactlyTheEventsWithThatValueNewestFirst() {
    List<AuditEvent> events = AuditFixture.append(database());
    for (AuditField field : AuditField.values()) {
      List<String> values = events.stream().map(AuditFixture.reader(field)).filter(Objects::nonNull).distinct()
          .toList();
      assertThat(values).as(field + " has values to filter on").isNotEmpty();
      for (String value : values) {
        assertThat(ids(AuditQuery.ALL.where(field, value))).as(field + " = " + value)
            .isEqualTo(expected(events, event -> value.equals(AuditFixture.reader(field).apply(event))))
            .isNotEmpty();
      }
      assertThat(ids(AuditQuery.ALL.where(field, "no such value"))).as(field.parameter()).isEmpty();
    }
  }

  @Test
  void filtersCombineAsAnd() {
    List<AuditEvent> events = AuditFixture.append(database());
    AuditQuery query = AuditQuery.ALL.where(AuditField.ALERTNAME, "HighErrorRate")
        .where(AuditField.RULE, "restart-api").where(AuditField.KIND, "guard");
    assertThat(ids(query)).containsExactly(8L, 2L);
    assertThat(ids(query.where(AuditField.OUTCOME, "skip"))).containsExactly(8L);
    assertThat(ids(query.where(AuditField.FINGERPRINT, "fp-api").where(AuditField.ACTOR, "remediator")
        .where(AuditField.ACTION, "restart").where(AuditField.TARGET, "cluster"))).containsExactly(2L);
    assertThat(ids(query.between(AuditFixture.T0.plusSeconds(60), AuditFixture.T0.plusSeconds(420))))
        .containsExactly(2L);
    assertThat(ids(AuditQuery.ALL.where(AuditField.RULE, "restart-api").containing("cooldown")))
        .isEqualTo(expected(events, e -> "restart-api".equals(e.rule()) && e.detail().containsValue("cooldown")))
        .containsExactly(8L, 2L);
  }

  @Test
  void theWindowIncludesSinceAndExcludesUntil() {
    AuditFixture.append(database());
    assertThat(ids(AuditQuery.ALL.between(AuditFixture.T0.plusSeconds(120), null))).containsExactly(8L, 7L, 6L, 5L,
        4L, 3L);
    assertThat(ids(AuditQuery.ALL.between(null, AuditFixture.T0.plusSeconds(120)))).containsExactly(2L, 1L);
    assertThat(ids(AuditQuery.ALL.between(AuditFixture.T0.plusSeconds(120), AuditFixture.T0.plusSeconds(180))))
        .containsExactly(3L);
  }

  @Test
  void theTextSearchIgnoresCaseAndReadsSummaryFieldsAndDetail() {
    AuditFixture.append(database());
    assertThat(ids(AuditQuery.ALL.containing("not found"))).as("detail, other case").containsExactly(7L);
    assertThat(ids(AuditQuery.ALL.containing("CLEAN-DISK"))).as("rule").containsExactly(5L);
    assertThat(ids(AuditQuery.ALL.containing("operator@"))).as("actor").containsExactly(6L);
    assertThat(ids(AuditQuery.ALL.containing("diskfull"))).as("alertname").containsExactly(5L, 4L);
    assertThat(ids(AuditQuery.ALL.containing("host"))).as("target").containsExactly(5L);
    assertThat(ids(AuditQuery.ALL.containing("succeeded"))).as("outcome").containsExactly(5L);
    assertThat(ids(AuditQuery.ALL.containing("100%"))).as("% is literal").containsExactly(5L);
    assertThat(ids(AuditQuery.ALL.containing("%"))).as("% is literal").containsExactly(5L);
    assertThat(ids(AuditQuery.ALL.containing("done_now"))).as("_ is literal").containsExactly(5L);
    assertThat(ids(AuditQuery.ALL.containing("done_"))).containsExactly(5L);
    assertThat(ids(AuditQuery.ALL.containing("e_r"))).as("_ matches no other character").isEmpty();
    assertThat(ids(AuditQuery.ALL.containing("\\"))).as("a backslash (JSON's escape of a quote) is literal")
        .containsExactly(8L, 7L);
    assertThat(ids(AuditQuery.ALL.containing("'; drop table audit_event; --"))).isEmpty();
    assertThat(ids(AuditQuery.ALL)).hasSize(8);
  }

  @Test
  void pagesFollowTheCursorWithoutRepeatsOrGapsWhileEventsAreAppended() {
    List<AuditEvent> events = new ArrayList<>(AuditFixture.events());
    events.addAll(AuditFixture.more(0, 17));
    database().inTransaction(c -> {
      new AuditLog().append(c, events);
      return null;
    });
    List<Long> seen = new ArrayList<>();
    AuditQuery query = AuditQuery.ALL.limit(4);
    int round = 0;
    while (true) {
      AuditQuery current = query;
      AuditPage page = database().inTransaction(c -> reader.page(c, current));
      assertThat(page.entries()).hasSizeLessThanOrEqualTo(4);
      page.entries().forEach(entry -> seen.add(entry.id()));
      // Someone appends between every two pages: the next page neither repeats nor skips.
      int more = round++;
      database().inTransaction(c -> {
        new AuditLog().append(c, AuditFixture.more(100 + more * 10, 3));
        return null;
      });
      if (page.next().isEmpty()) {
        break;
      }
      assertThat(page.next()).isEqualTo(OptionalLong.of(page.entries().get(3).id()));
      query = query.before(page.next().getAsLong());
    }
    assertThat(seen).isEqualTo(IntStream.rangeClosed(1, 25).mapToObj(i -> (long) (26 - i)).toList());
    assertThat(round).isEqualTo(7);
  }

  @Test
  void aFullLastPageHasNoNextCursorWhenNothingFollows() {
    AuditFixture.append(database());
    AuditPage page = database().inTransaction(c -> reader.page(c, AuditQuery.ALL.limit(8)));
    assertThat(page.entries()).hasSize(8);
    assertThat(page.next()).isEmpty();
    AuditPage first = database().inTransaction(c -> reader.page(c, AuditQuery.ALL.limit(7)));
    assertThat(first.next()).isEqualTo(OptionalLong.of(2L));
  }

  @Test
  void entriesReadBackEveryStoredField() {
    List<AuditEvent> events = AuditFixture.append(database());
    AuditEntry failed = database().inTransaction(c -> reader.page(c, AuditQuery.ALL.limit(500))).entries().get(1);
    AuditEvent written = events.get(6);
    assertThat(new AuditEvent(failed.at(), AuditEvent.Kind.valueOf(failed.kind().toUpperCase(java.util.Locale.ROOT)),
        failed.actor(), failed.notificationId(), failed.alertId(), failed.remediationId(), failed.fingerprint(),
        failed.alertname(), failed.rule(), failed.action(), failed.target(), failed.outcome(), failed.detail()))
        .isEqualTo(written);
    assertThat(failed.id()).isEqualTo(7L);
  }

  @Test
  void anExportStreamsEveryMatchingEventInPageOrder() throws IOException {
    List<AuditEvent> events = new ArrayList<>(AuditFixture.events());
    // More than one fetch (PostgreSQL) and more than one chunk (SQLite).
    events.addAll(AuditFixture.more(0, 1_203));
    database().inTransaction(c -> {
      new AuditLog().append(c, events);
      return null;
    });
    List<AuditEntry> exported = new ArrayList<>();
    long count = reader.export(database(), AuditQuery.ALL, exported::add);
    assertThat(count).isEqualTo(events.size());
    assertThat(exported.stream().map(AuditEntry::id).toList())
        .isEqualTo(expected(events, event -> true));

    List<AuditEntry> paged = new ArrayList<>();
    AuditQuery query = AuditQuery.ALL.limit(500);
    while (true) {
      AuditQuery current = query;
      AuditPage page = database().inTransaction(c -> reader.page(c, current));
      paged.addAll(page.entries());
      if (page.next().isEmpty()) {
        break;
      }
      query = query.before(page.next().getAsLong());
    }
    assertThat(exported).isEqualTo(paged);

    List<AuditEntry> limited = new ArrayList<>();
    assertThat(reader.export(database(), AuditQuery.ALL.where(AuditField.OUTCOME, "pass").limit(501), limited::add))
        .isEqualTo(501);
    assertThat(limited).allSatisfy(entry -> assertThat(entry.outcome()).isEqualTo("pass"));
    assertThat(limited.get(0).id()).as("the newest event passed").isEqualTo((long) events.size());
  }
}
