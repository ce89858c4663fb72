package dev.remediator.http;

import java.util.Map;
import java.util.Objects;

/**
 * A request that ends in an {@link ApiError}, thrown from anywhere on the request's path and
 * answered once, at the edge, with its status, reason and any headers (such as
 * {@code WWW-Authenticate} or {@code Allow}).
 */
public final class ApiException extends RuntimeException {
  private final ApiError error;
  private final Map<String, String> headers;

  public ApiException(ApiError error, Map<String, String> headers, Throwable cause) {
    super(error.status() + " " + (error.field().isEmpty() ? "" : error.field() + ": ") + error.reason(), cause);
    this.error = Objects.requireNonNull(error, "error");
    this.headers = Map.copyOf(headers);
  }

  public ApiException(int status, String reason) {
    this(new ApiError(status, "", reason), Map.of(), null);
  }

  public ApiError error() {
    return error;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
