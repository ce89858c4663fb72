package dev.remediator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.config.Redaction;
import dev.remediator.store.Database;
import dev.remediator.store.StoreException;
import dev.remediator.store.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.time.Clock;
import okhttp3.HttpUrl;

/**
 * Two endpoints in this process to measure remediator against, on free loopback ports, both
 * plain Javalin with its default thread pool: {@code bare} reads the body and answers 200;
 * {@code naive} also parses it and inserts its alerts into {@link NaiveAlertTable} on the given
 * database, one transaction per request, through a pool of {@link #NAIVE_POOL} connections.
 * Closing stops both and drops the table.
 */
public final class ReferenceEndpoints implements AutoCloseable {
  static final int NAIVE_POOL = 16;

  private final Database database;
  private final Javalin bare;
  private final Javalin naive;

  private ReferenceEndpoints(Database database, Javalin bare, Javalin naive) {
    this.database = database;
    this.bare = bare;
    this.naive = naive;
  }

  /** Creates the naive table on {@code databaseUrl} and starts both endpoints; fails with a BenchException. */
  public static ReferenceEndpoints start(String databaseUrl, Clock clock) {
    Database database = Database.open(databaseUrl, NAIVE_POOL);
    try {
      database.inTransaction(connection -> {
        NaiveAlertTable.create(connection, database.dialect());
        return null;
      });
    } catch (StoreUnavailableException | StoreException e) {
      database.close();
      throw new BenchException("cannot create " + NaiveAlertTable.NAME + " at " + Redaction.url(databaseUrl) + ": "
          + e.getMessage() + (database.dialect().isEmbedded() ? StoreProbe.EMBEDDED_LOCKED : ""), e);
    }
    Javalin bare = null;
    try {
      bare = server(ctx -> ctx.status(200).contentType("application/json")
          .result("{\"read\":" + ctx.bodyAsBytes().length + "}"));
      Javalin naive = server(new NaiveInsertHandler(database, new ObjectMapper(), clock));
      return new ReferenceEndpoints(database, bare, naive);
    } catch (RuntimeException e) {
      if (bare != null) {
        bare.stop();
      }
      dropQuietly(database, e);
      database.close();
      throw e;
    }
  }

  private static Javalin server(Handler handler) {
    Javalin app = Javalin.create(config -> config.showJavalinBanner = false);
    app.post("/webhook", handler);
    app.exception(StoreUnavailableException.class, (e, ctx) -> ctx.status(503).result("store unavailable"));
    app.exception(Exception.class, (e, ctx) -> ctx.status(500).result(e.getClass().getSimpleName()));
    return app.start("127.0.0.1", 0);
  }

  public HttpUrl bareUrl() {
    return url(bare);
  }

  public HttpUrl naiveUrl() {
    return url(naive);
  }

  private static HttpUrl url(Javalin app) {
    return HttpUrl.get("http://127.0.0.1:" + app.port() + "/webhook");
  }

  /** Stops both endpoints, then drops the naive table. */
  @Override
  public void close() {
    bare.stop();
    naive.stop();
    try {
      database.inTransaction(connection -> {
        NaiveAlertTable.drop(connection);
        return null;
      });
    } finally {
      database.close();
    }
  }

  private static void dropQuietly(Database database, RuntimeException cause) {
    try {
      database.inTransaction(connection -> {
        NaiveAlertTable.drop(connection);
        return null;
      });
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
