package dev.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.store.Database;
import dev.remediator.testing.AtOnce;
import dev.remediator.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link Escalator} on PostgreSQL, where replicas share the outbox: two escalators draining
 * it at the same time send every escalation exactly once.
 */
class EscalatorOnPostgresTest extends EscalatorContract {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase();

  @Override
  Database openDatabase() {
    return db.openStore();
  }

  @Test
  void twoEscalatorsDrainingTheSameOutboxDeliverEachEscalationOnce() throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(failed("svc-" + i));
    }
    webhook.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(200);
      }
    });
    List<Escalator> escalators = List.of(escalator("escalator-1"), escalator("escalator-2"));
    assertThat(AtOnce.drain(List.of(escalators.get(0)::escalateDue, escalators.get(1)::escalateDue)))
        .isEqualTo(ids.size());

    assertThat(webhook.getRequestCount()).isEqualTo(ids.size());
    Set<String> services = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      String text = text(webhook.takeRequest(5, TimeUnit.SECONDS));
      services.add(text.replaceAll(".*\\(fingerprint ([0-9a-f]+)\\).*", "$1"));
    }
    assertThat(services).as("each escalation sent once").hasSize(ids.size());
    for (long id : ids) {
      assertThat(rows("select count(*) from audit_event where remediation_id = ? and kind = 'escalated'", id))
          .containsExactly("1");
      assertThat(rows("select attempts from outbox where remediation_id = ? and done_at is not null", id))
          .containsExactly("1");
    }
    clock.advance(Escalator.LEASE.plus(Duration.ofHours(1)));
    assertThat(escalators.get(0).escalateDue() + escalators.get(1).escalateDue()).isZero();
  }

}
