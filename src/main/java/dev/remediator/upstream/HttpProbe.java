package dev.remediator.upstream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Asks a service's own endpoint (a health check fixed in the rules file, never built from alert
 * labels) which HTTP status it answers a GET with. Redirects are not followed, so the status is
 * what the URL itself says; every call is bounded by the probe's deadline.
 */
public final class HttpProbe {
  private final Supplier<OkHttpClient> http;
  private final Duration deadline;

  public HttpProbe(Supplier<OkHttpClient> http, Duration deadline) {
    this.http = Objects.requireNonNull(http, "http");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  /** What a GET of {@code url} answered: its status, or why there was none. */
  public record Answer(int status, String failure) {
    public boolean answered() {
      return failure == null;
    }

    @Override
    public String toString() {
      return answered() ? "HTTP " + status : failure;
    }
  }

  public Answer get(URI url) throws InterruptedException {
    OkHttpClient client = http.get().newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(deadline)
        .readTimeout(deadline)
        .callTimeout(deadline)
        .build();
    Request request = new Request.Builder().url(url.toString()).get().build();
    try (Response response = client.newCall(request).execute()) {
      return new Answer(response.code(), null);
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted during GET " + url);
      }
      return new Answer(0, "no answer within " + deadline.toMillis() + " ms");
    } catch (IOException e) {
      return new Answer(0, "unreachable: " + e.getMessage());
    }
  }
}
