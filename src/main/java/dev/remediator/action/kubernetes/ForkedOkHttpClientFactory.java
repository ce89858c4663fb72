package dev.remediator.action.kubernetes;

import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.time.Duration;
import java.util.Objects;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * fabric8's OkHttp client factory, starting from the server's shared OkHttpClient but with a
 * dispatcher and connection pool of its own: fabric8 shuts both down when it closes a client, and
 * that must never stop the shared one. Connections to an API server carry the cluster's own CA
 * and client certificate, so they could not be shared with other targets anyway. Each call gets
 * its own time limit (the action's timeout), so the shared client's call timeout is lifted.
 */
final class ForkedOkHttpClientFactory extends OkHttpClientFactory {
  private final OkHttpClient base;

  ForkedOkHttpClientFactory(OkHttpClient base) {
    this.base = Objects.requireNonNull(base, "base");
  }

  @Override
  protected OkHttpClient.Builder newOkHttpClientBuilder() {
    return base.newBuilder()
        .dispatcher(initDispatcher())
        .connectionPool(new ConnectionPool())
        .callTimeout(Duration.ZERO);
  }
}
