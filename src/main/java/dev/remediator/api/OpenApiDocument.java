package dev.remediator.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jetbrains.annotations.NotNull;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3 description of this HTTP API. It is written by
 * hand next to the code as the classpath resource {@value #RESOURCE}, read once at startup and
 * served unchanged; a test compares it with the route table, so a route that is not described
 * fails the build.
 */
public final class OpenApiDocument implements Handler {
  /** Where the document lives on the classpath. */
  public static final String RESOURCE = "/openapi.json";

  private final byte[] document;

  private OpenApiDocument(byte[] document) {
    this.document = document;
  }

  /** Reads {@value #RESOURCE}; a build without it cannot start. */
  public static OpenApiDocument fromClasspath() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
      }
      return new OpenApiDocument(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
    }
  }

  @Override
  public void handle(@NotNull Context ctx) {
    ctx.contentType("application/json").result(document);
  }
}
