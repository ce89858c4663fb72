package dev.remediator.api;

import dev.remediator.audit.ChainHead;
import dev.remediator.audit.ChainReport;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/audit/verify}: walks the audit hash chain and answers what
 * {@code remediator audit verify} prints, as JSON: 200 when it verifies, 409 when it is broken
 * (so {@code curl --fail} notices), 503 when it cannot be checked. The head this process sealed
 * or saw last is the expected head, so links cut off the end show as {@code truncated}.
 */
public final class AuditVerifyHandler implements Handler {
  private final Supplier<ChainReport> verify;

  public AuditVerifyHandler(Supplier<ChainReport> verify) {
    this.verify = verify;
  }

  @Override
  public void handle(Context ctx) {
    ChainReport report = verify.get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", report.status().wireName());
    body.put("links", report.links());
    body.put("head", head(report.head()));
    body.put("start", head(report.start()));
    body.put("unsealed", report.unsealed());
    if (report.status() != ChainReport.Status.OK) {
      body.put("brokenAt", report.brokenAt());
      body.put("problem", report.problem().wireName());
    }
    body.put("reason", report.reason());
    ctx.status(switch (report.status()) {
      case OK -> 200;
      case BROKEN -> 409;
      case CANNOT_CHECK -> 503;
    }).json(body);
  }

  private static Map<String, Object> head(ChainHead head) {
    if (head == null) {
      return null;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("seq", head.seq());
    fields.put("hash", head.hash());
    return fields;
  }
}
