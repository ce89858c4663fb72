package dev.remediator.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts notification bodies to one webhook URL over keep-alive connections (up to
 * {@code connections} of them), with the bearer token when one is given. A failed send is not
 * retried: it is counted as what it was.
 */
public final class HttpSender implements Sender, AutoCloseable {
  static final MediaType JSON = MediaType.get("application/json");
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final OkHttpClient client;
  private final HttpUrl url;
  private final Optional<String> authorization;

  public HttpSender(HttpUrl url, Optional<String> token, int connections) {
    this.url = url;
    this.authorization = token.map(value -> "Bearer " + value);
    this.client = new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(connections, 1, TimeUnit.MINUTES))
        .connectTimeout(Duration.ofSeconds(5))
        .callTimeout(CALL_TIMEOUT)
        .readTimeout(CALL_TIMEOUT)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .build();
  }

  @Override
  public Reply send(byte[] body) {
    Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON));
    authorization.ifPresent(value -> request.header("Authorization", value));
    try (Response response = client.newCall(request.build()).execute()) {
      if (response.body() != null) {
        response.body().bytes();
      }
      return Reply.http(response.code());
    } catch (IOException e) {
      return Reply.failed(describe(e));
    }
  }

  /**
   * Whether anything answers HTTP at the URL: any status will do (a GET on the webhook is not
   * allowed, so it is usually 404 or 405). Empty when it does, else why not.
   */
  public Optional<String> unreachable() {
    try (Response response = client.newCall(new Request.Builder().url(url).get().build()).execute()) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(describe(e) + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }

  /** A short, stable name for a transport failure, to count failures by. */
  static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (e instanceof InterruptedIOException) {
      return "timed out";
    }
    if (e instanceof EOFException || e instanceof SocketException
        || String.valueOf(e.getMessage()).contains("unexpected end of stream")) {
      return "connection closed";
    }
    return e.getClass().getSimpleName();
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
