package dev.remediator.action.railway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/** Answers as Railway's GraphQL API gives them, and readers of the requests it received, for MockWebServer. */
final class RailwayAnswers {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** The deployments operation as it must be sent, whitespace collapsed. */
  static final String DEPLOYMENTS_QUERY = "query Deployments($input: DeploymentListInput!, $first: Int) {"
      + " deployments(input: $input, first: $first) { edges { node { id status createdAt canRollback } } } }";
  static final String RESTART_MUTATION = "mutation DeploymentRestart($id: String!) { deploymentRestart(id: $id) }";
  static final String ROLLBACK_MUTATION = "mutation DeploymentRollback($id: String!) { deploymentRollback(id: $id) }";

  private RailwayAnswers() {}

  /** One deployment node: id, status, createdAt, canRollback. */
  static ObjectNode deployment(String id, String status, String createdAt, boolean canRollback) {
    return MAPPER.createObjectNode().put("id", id).put("status", status).put("createdAt", createdAt)
        .put("canRollback", canRollback);
  }

  /** A 200 answer listing {@code nodes} as deployments, in the given order. */
  static MockResponse deployments(ObjectNode... nodes) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode edges = body.putObject("data").putObject("deployments").putArray("edges");
    for (ObjectNode node : nodes) {
      edges.addObject().set("node", node);
    }
    return json(200, body.toString());
  }

  /** A 200 answer of a mutation returning {@code value}. */
  static MockResponse mutation(String field, boolean value) {
    return json(200, "{\"data\": {\"" + field + "\": " + value + "}}");
  }

  /** A 200 answer with GraphQL errors and no data. */
  static MockResponse errors(String... messages) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode errors = body.putArray("errors");
    for (String message : messages) {
      errors.addObject().put("message", message).putArray("locations");
    }
    body.putNull("data");
    return json(200, body.toString());
  }

  static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  /** The JSON body a recorded request carried. */
  static JsonNode body(RecordedRequest request) {
    try {
      return MAPPER.readTree(request.getBody().readUtf8());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operation document a recorded request carried, whitespace collapsed. */
  static String document(JsonNode body) {
    return body.get("query").asText().replaceAll("\\s+", " ").strip();
  }

  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
