package dev.remediator.action.railway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The deployment operations of Railway's GraphQL API that restart and rollback use: list a
 * service's deployments newest first ({@code deployments}), restart one
 * ({@code deploymentRestart}), roll back to one ({@code deploymentRollback}).
 */
final class RailwayDeployments {
  static final String DEPLOYMENTS = """
      query Deployments($input: DeploymentListInput!, $first: Int) {
        deployments(input: $input, first: $first) {
          edges { node { id status createdAt canRollback } }
        }
      }""";
  static final String RESTART = """
      mutation DeploymentRestart($id: String!) {
        deploymentRestart(id: $id)
      }""";
  static final String ROLLBACK = """
      mutation DeploymentRollback($id: String!) {
        deploymentRollback(id: $id)
      }""";

  private final RailwayApi api;

  RailwayDeployments(RailwayApi api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  String targetName() {
    return api.targetName();
  }

  /**
   * Up to {@code count} of the service's deployments, newest first. Railway lists newest first;
   * they are sorted by creation time here as well, so a change of that order cannot turn an older
   * deployment into the "latest".
   */
  List<Deployment> newest(ServiceRef ref, int count) throws RailwayException, InterruptedException {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("projectId", ref.project());
    input.put("environmentId", ref.environment());
    input.put("serviceId", ref.service());
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("input", input);
    variables.put("first", count);
    JsonNode data = api.call(RailwayApi.Kind.QUERY, "Deployments", DEPLOYMENTS, variables);
    JsonNode edges = data.path("deployments").path("edges");
    if (!edges.isArray()) {
      throw new RailwayException("Railway's answer to Deployments on target " + api.targetName()
          + " has no deployments.edges list", null);
    }
    List<Deployment> deployments = new ArrayList<>();
    for (JsonNode edge : edges) {
      deployments.add(deployment(edge.path("node")));
    }
    deployments.sort(Comparator.comparing(Deployment::createdAt).reversed());
    return deployments;
  }

  /** Restarts deployment {@code id}; false when Railway answered that it did not. */
  boolean restart(String id) throws RailwayException, InterruptedException {
    JsonNode data = api.call(RailwayApi.Kind.MUTATION, "DeploymentRestart", RESTART, Map.of("id", id));
    return flag(data, "deploymentRestart", "DeploymentRestart");
  }

  /** Rolls the service back to deployment {@code id}; false when Railway answered that it did not. */
  boolean rollback(String id) throws RailwayException, InterruptedException {
    JsonNode data = api.call(RailwayApi.Kind.MUTATION, "DeploymentRollback", ROLLBACK, Map.of("id", id));
    return flag(data, "deploymentRollback", "DeploymentRollback");
  }

  private boolean flag(JsonNode data, String field, String operation) throws RailwayException {
    JsonNode value = data.get(field);
    if (value == null || !value.isBoolean()) {
      throw new RailwayException("Railway's answer to " + operation + " on target " + api.targetName()
          + " has no " + field + " result", null);
    }
    return value.booleanValue();
  }

  private Deployment deployment(JsonNode node) throws RailwayException {
    String id = node.path("id").asText("");
    String status = node.path("status").asText("");
    if (id.isEmpty() || status.isEmpty()) {
      throw new RailwayException("Railway's answer to Deployments on target " + api.targetName()
          + " lists a deployment without id or status", null);
    }
    Instant createdAt;
    try {
      createdAt = Instant.parse(node.path("createdAt").asText(""));
    } catch (DateTimeParseException e) {
      throw new RailwayException("Railway's answer to Deployments on target " + api.targetName()
          + " gives deployment " + id + " no valid createdAt", e);
    }
    return new Deployment(id, status, createdAt, node.path("canRollback").asBoolean(false));
  }
}
