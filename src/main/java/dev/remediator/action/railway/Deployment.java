package dev.remediator.action.railway;

import java.time.Instant;
import java.util.Objects;

/** One Railway deployment as the deployments query lists it. */
record Deployment(String id, String status, Instant createdAt, boolean canRollback) {
  Deployment {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
