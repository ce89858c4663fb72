package dev.remediator.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class SharedClientsTest {
  @Test
  void theHttpClientIsBuiltOnFirstUseAndOnlyOnce() {
    AtomicInteger builds = new AtomicInteger();
    SharedClients shared = SharedClients.lazy(() -> {
      builds.incrementAndGet();
      return new OkHttpClient();
    }, new ObjectMapper(), Map.of("A", "1"));

    assertThat(builds).hasValue(0);
    OkHttpClient first = shared.http();

    assertThat(shared.http()).isSameAs(first);
    assertThat(builds).hasValue(1);
    assertThat(shared.env()).containsEntry("A", "1");
    shared.close();
    assertThat(first.dispatcher().executorService().isShutdown()).isTrue();
  }

  @Test
  void closingBeforeAnyUseBuildsNothing() {
    AtomicInteger builds = new AtomicInteger();
    SharedClients shared = SharedClients.lazy(() -> {
      builds.incrementAndGet();
      return new OkHttpClient();
    }, new ObjectMapper(), Map.of());

    shared.close();

    assertThat(builds).hasValue(0);
  }
}
