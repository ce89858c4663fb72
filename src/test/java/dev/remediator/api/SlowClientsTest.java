package dev.remediator.api;

import static dev.remediator.api.WebhookApiTest.BEARER;
import static dev.remediator.api.WebhookApiTest.TOKEN;
import static dev.remediator.api.WebhookApiTest.alert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.testing.RunningApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of clients that send their webhook bodies a byte at a time must not take the server
 * offline: they are dropped for sending too slowly, and Alertmanager and probes still get through.
 */
class SlowClientsTest {
  private static final int CLIENTS = 300;
  private static final Duration TRICKLE_FOR = Duration.ofSeconds(12);

  @TempDir
  Path dir;

  @Test
  void tricklingClientsAreDroppedAndAWebhookAndTheHealthProbeStillAnswerPromptly() throws Exception {
    Path markers = Files.createDirectories(dir.resolve("markers"));
    try (RunningApp app = RunningApp.start(dir, WebhookApiTest.rules(markers), Optional.empty(), Optional.of(TOKEN),
        Optional.empty(), false, Map.of())) {
      int port = Integer.parseInt(app.url("").replaceAll(".*:(\\d+).*", "$1"));
      List<Socket> clients = new ArrayList<>();
      Thread trickler = new Thread(() -> trickle(clients), "test-trickler");
      try {
        for (int i = 0; i < CLIENTS; i++) {
          Socket socket = new Socket();
          socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
          socket.getOutputStream().write(("POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nContent-Length: 100000\r\nAuthorization: " + BEARER + "\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
          clients.add(socket);
        }
        trickler.start();
        Thread.sleep(1_000);

        long started = System.nanoTime();
        RunningApp.Answer healthy = app.get("/-/healthy");
        RunningApp.Answer webhook = app.post("/webhook", alert("00000000000002a1", "slow-clients",
            "2026-11-22T18:00:00Z"), "application/json", BEARER);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(healthy.status()).isEqualTo(200);
        assertThat(webhook.status()).isEqualTo(200);
        assertThat(took).as("both answered while %d clients trickle", CLIENTS).isLessThan(Duration.ofSeconds(6));
      } finally {
        trickler.interrupt();
        trickler.join(5_000);
        for (Socket socket : clients) {
          socket.close();
        }
      }
    }
  }

  /** One more byte to every client every 250 ms, until interrupted or the time is up. */
  private static void trickle(List<Socket> clients) {
    long end = System.nanoTime() + TRICKLE_FOR.toNanos();
    while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
      for (Socket socket : clients) {
        try {
          OutputStream out = socket.getOutputStream();
          out.write(' ');
          out.flush();
        } catch (IOException dropped) {
          // the server closed this one, as it should
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
