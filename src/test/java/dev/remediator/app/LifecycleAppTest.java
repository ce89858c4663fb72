package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.remediator.testing.RunningApp;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The running app stops in order under load, and its dry-run gauge follows the rules in force. */
class LifecycleAppTest {
  @TempDir
  Path dir;

  static String alert(String fingerprint) {
    return """
        {"version":"4","groupKey":"g","truncatedAlerts":0,"status":"firing","receiver":"remediator",
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://alertmanager:9093",
         "alerts":[{"status":"firing","labels":{"alertname":"Load","service":"api"},"annotations":{},
         "startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"%s"}]}"""
        .formatted(fingerprint);
  }

  @Test
  void requestsInFlightDuringAStopGetAnAnswerAndTheStoreClosesLast() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    RunningApp app = RunningApp.start(dir, "rules: []\n", Optional.empty(), Optional.empty(), Optional.empty(),
        false, Map.of());
    OkHttpClient client = new OkHttpClient.Builder().retryOnConnectionFailure(false)
        .callTimeout(Duration.ofSeconds(30)).build();
    String url = app.url("/webhook");
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> broken = new CopyOnWriteArrayList<>();
    AtomicInteger sent = new AtomicInteger();
    CountDownLatch loaded = new CountDownLatch(200);
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      for (int t = 0; t < 8; t++) {
        senders.submit(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            String fingerprint = String.format("%016x", sent.incrementAndGet());
            Request request = new Request.Builder().url(url).header("Connection", "close")
                .post(RequestBody.create(alert(fingerprint).getBytes(StandardCharsets.UTF_8),
                    MediaType.get("application/json"))).build();
            try (Response response = client.newCall(request).execute()) {
              statuses.computeIfAbsent(response.code(), code -> new AtomicInteger()).incrementAndGet();
              loaded.countDown();
            } catch (ConnectException refused) {
              return;   // the server no longer accepts: fine, Alertmanager retries
            } catch (IOException e) {
              broken.add(fingerprint);
              return;
            }
          }
          return;
        });
      }
      assertThat(loaded.await(60, TimeUnit.SECONDS)).isTrue();
      app.close();
      senders.shutdown();
      assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      senders.shutdownNow();
      client.dispatcher().executorService().shutdown();
      root.detachAppender(logs);
    }

    // A connection the kernel accepted but Jetty never read when its listener closed is reset, not
    // refused; Alertmanager retries it like a refusal. What must never happen is a reset after the
    // server took the request: so no request that ended in a reset may have been stored.
    try (RunningApp again = RunningApp.start(dir, "rules: []\n", Optional.empty(), Optional.empty(),
        Optional.empty(), false, Map.of())) {
      for (String fingerprint : broken) {
        assertThat(again.rows("select count(*) from alert where fingerprint = ?", fingerprint))
            .as("request %s was reset after the server stored it", fingerprint).containsExactly("0");
      }
    }
    assertThat(statuses.keySet()).isSubsetOf(200, 503);
    assertThat(statuses.get(200).get()).isGreaterThanOrEqualTo(200);
    assertThat(logs.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
        .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
  }

  @Test
  void theDryRunGaugeFollowsTheRulesInForce() throws Exception {
    try (RunningApp app = RunningApp.start(dir, "settings: {dry_run: true}\nrules: []\n", Optional.empty(),
        Optional.empty(), Optional.of("op"), false, Map.of())) {
      assertThat(app.get("/metrics").body()).contains("remediator_dry_run 1.0");

      Files.writeString(app.rulesFile(), "settings: {dry_run: false}\nrules: []\n");
      assertThat(app.post("/-/reload", "", null, "Bearer op").status()).isEqualTo(200);

      assertThat(app.get("/metrics").body()).contains("remediator_dry_run 0.0");
    }
  }

  @Test
  void theDryRunGaugeFollowsTheEnvironmentToo() {
    try (RunningApp app = RunningApp.start(dir, "rules: []\n", Optional.empty(), Optional.empty(), Optional.empty(),
        true, Map.of())) {
      assertThat(app.get("/metrics").body()).contains("remediator_dry_run 1.0");
    }
  }
}
