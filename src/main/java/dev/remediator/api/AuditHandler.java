package dev.remediator.api;

import dev.remediator.audit.AuditEntry;
import dev.remediator.audit.AuditFormat;
import dev.remediator.audit.AuditPage;
import dev.remediator.audit.AuditQuery;
import dev.remediator.audit.AuditReader;
import dev.remediator.audit.UnknownCursorException;
import dev.remediator.http.ApiError;
import dev.remediator.http.ApiException;
import dev.remediator.store.Database;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/audit}: a page of audit events as JSON ({@code events}, newest first, and the
 * {@code next} cursor, null on the last page), or, when {@code Accept} asks for
 * {@code application/x-ndjson} or {@code text/csv}, every matching event (or {@code limit} of
 * them) streamed from the store as it is read.
 */
public final class AuditHandler {
  private static final Logger log = LoggerFactory.getLogger(AuditHandler.class);

  private final Database database;
  private final AuditReader reader;

  public AuditHandler(Database database, AuditReader reader) {
    this.database = database;
    this.reader = reader;
  }

  public void list(Context ctx) throws IOException {
    AuditQuery query = AuditParameters.parse(ctx.queryParamMap());
    Optional<AuditFormat> export = AuditFormat.accepted(ctx.header("Accept"));
    try {
      if (export.isPresent()) {
        export(ctx, query, export.get());
      } else {
        page(ctx, query);
      }
    } catch (UnknownCursorException e) {
      ctx.res().setHeader("Content-Disposition", null);
      throw new ApiException(new ApiError(400, AuditParameters.CURSOR, "no event has id " + e.id()
          + "; start again without a cursor"), Map.of(), e);
    }
  }

  private void page(Context ctx, AuditQuery query) {
    AuditQuery page = query.limit().isPresent() ? query : query.limit(AuditParameters.DEFAULT_LIMIT);
    AuditPage events = database.inTransaction(connection -> reader.page(connection, page));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", events.entries().stream().map(AuditEntry::fields).toList());
    body.put("next", events.next().isPresent() ? String.valueOf(events.next().getAsLong()) : null);
    ctx.json(body);
  }

  private void export(Context ctx, AuditQuery query, AuditFormat format) throws IOException {
    ctx.status(200);
    ctx.contentType(format.mediaType() + "; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"audit." + format.flagName() + "\"");
    // Written straight to the response, a buffer at a time: nothing holds the whole export.
    Writer out = new BufferedWriter(new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8));
    format.header(out);
    try {
      long rows = reader.export(database, query, entry -> format.write(out, entry));
      out.flush();
      log.atInfo().addKeyValue("rows", rows).addKeyValue("format", format.flagName())
          .log("exported {} audit events as {} to {}", rows, format.flagName(), ctx.ip());
    } catch (IOException e) {
      // The client went away; the store has already been let go.
      log.info("audit export to {} ended early: {}", ctx.ip(), e.getMessage());
    }
  }
}
