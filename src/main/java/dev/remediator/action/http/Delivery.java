package dev.remediator.action.http;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Runs HTTP calls that must know, when they fail, whether the request could have reached the
 * server. A client derived with {@link #tracking} carries a network interceptor, which OkHttp runs
 * once the connection is open and just before it writes the request: a failure before that point
 * (connection refused, unknown host, connect timeout, TLS handshake) sent nothing, so any call may
 * be tried again; a failure after it may follow a request the server received and acted on, so
 * only an idempotent call may. {@link #oneShot} keeps OkHttp itself from resending a body it has
 * started to write, which it would otherwise do on some connection failures.
 */
public final class Delivery {
  /** Marks a call as possibly sent; a call without the mark is left alone. */
  private static final Interceptor MARK = chain -> {
    Sent sent = chain.request().tag(Sent.class);
    if (sent != null) {
      sent.mark();
    }
    return chain.proceed(chain.request());
  };

  private Delivery() {}

  /** {@code builder} with the interceptor that {@link #execute} relies on; add it once per derived client. */
  public static OkHttpClient.Builder tracking(OkHttpClient.Builder builder) {
    return builder.addNetworkInterceptor(MARK);
  }

  /**
   * Executes {@code request} on {@code client} (derived with {@link #tracking}), within
   * {@code timeout} for the whole call when given. The caller closes the response.
   *
   * @throws Failed when the call failed, saying whether the request may have been sent
   */
  public static Response execute(OkHttpClient client, Request request, Duration timeout) throws Failed {
    if (!client.networkInterceptors().contains(MARK)) {
      throw new IllegalStateException("the client was not derived with Delivery.tracking");
    }
    OkHttpClient effective = timeout == null ? client
        : client.newBuilder().callTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).build();
    Sent sent = new Sent();
    try {
      return effective.newCall(request.newBuilder().tag(Sent.class, sent).build()).execute();
    } catch (IOException e) {
      throw new Failed(sent.happened(), e);
    }
  }

  /** {@code body} marked one-shot, so OkHttp never writes it twice (for calls that are not idempotent). */
  public static RequestBody oneShot(RequestBody body) {
    Objects.requireNonNull(body, "body");
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return body.contentType();
      }

      @Override
      public long contentLength() throws IOException {
        return body.contentLength();
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        body.writeTo(sink);
      }

      @Override
      public boolean isOneShot() {
        return true;
      }
    };
  }

  /** A failed call; {@link #mayHaveBeenSent()} is false only when the request surely never left. */
  public static final class Failed extends Exception {
    private final boolean mayHaveBeenSent;

    Failed(boolean mayHaveBeenSent, IOException cause) {
      super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
      this.mayHaveBeenSent = mayHaveBeenSent;
    }

    public boolean mayHaveBeenSent() {
      return mayHaveBeenSent;
    }
  }

  /** Whether a call got as far as an open connection, on any of OkHttp's attempts. */
  private static final class Sent {
    private volatile boolean happened;

    void mark() {
      happened = true;
    }

    boolean happened() {
      return happened;
    }
  }
}
