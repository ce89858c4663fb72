package dev.remediator.http;

import io.javalin.security.RouteRole;

/**
 * Who may call a route, declared next to the route in the route table and checked once before
 * the handler runs. The operator credential also grants {@link #VIEWER}.
 */
public enum Role implements RouteRole {
  /** No credential needed: probes and metrics. */
  ANYONE,
  /** Alertmanager, with the webhook credential (REMEDIATOR_WEBHOOK_TOKEN). */
  WEBHOOK,
  /** Reads what remediator did; the operator credential grants it. */
  VIEWER,
  /** Changes what remediator does, with REMEDIATOR_OPERATOR_TOKEN. */
  OPERATOR
}
