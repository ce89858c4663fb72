package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How far a Deployment's or StatefulSet's rollout has come, from its metadata and status: done
 * once the controller has seen the latest change (observedGeneration at least generation) and
 * every desired replica is updated and available.
 */
record Rollout(long generation, long observedGeneration, int replicas, int updated, int available) {
  static Rollout of(JsonNode workload) {
    return new Rollout(
        workload.path("metadata").path("generation").asLong(0),
        workload.path("status").path("observedGeneration").asLong(0),
        workload.path("spec").path("replicas").asInt(1),
        workload.path("status").path("updatedReplicas").asInt(0),
        workload.path("status").path("availableReplicas").asInt(0));
  }

  boolean done() {
    return observedGeneration >= generation && updated == replicas && available == replicas;
  }

  /** {@code 2 of 3 replicas updated, 1 available}, and whether the controller has caught up. */
  String describe() {
    return updated + " of " + replicas + " replicas updated, " + available + " available"
        + (observedGeneration < generation ? ", generation " + generation + " not yet observed" : "");
  }
}
