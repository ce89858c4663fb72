package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Deployment's rollout history as kubectl reads it: the ReplicaSets the Deployment controls,
 * each with the revision in its {@code deployment.kubernetes.io/revision} annotation, and the pod
 * template each one runs.
 */
final class RolloutHistory {
  static final String REVISION = "deployment.kubernetes.io/revision";
  /** The label the controller adds to each ReplicaSet's template; a Deployment's template has none. */
  static final String POD_TEMPLATE_HASH = "pod-template-hash";
  /** Annotations a rollback keeps from the Deployment rather than taking from the ReplicaSet (kubectl's list). */
  static final Set<String> KEPT_ANNOTATIONS = Set.of(
      "kubectl.kubernetes.io/last-applied-configuration",
      REVISION,
      "deployment.kubernetes.io/revision-history",
      "deployment.kubernetes.io/desired-replicas",
      "deployment.kubernetes.io/max-replicas",
      "deprecated.deployment.rollback.to");

  /** One revision: its number, the ReplicaSet that holds it and that ReplicaSet's pod template. */
  record Revision(long number, String replicaSet, JsonNode template, JsonNode annotations) {
    List<String> images() {
      return PodTemplates.images(template);
    }
  }

  private final List<Revision> revisions;

  private RolloutHistory(List<Revision> revisions) {
    this.revisions = revisions;
  }

  /** The revisions of {@code deployment} among {@code replicaSets} (a list answer), oldest first. */
  static RolloutHistory of(JsonNode deployment, JsonNode replicaSets) {
    String uid = deployment.path("metadata").path("uid").asText("");
    List<Revision> revisions = new ArrayList<>();
    for (JsonNode replicaSet : replicaSets.path("items")) {
      long number = revision(replicaSet);
      if (number > 0 && controlledBy(replicaSet, uid)) {
        revisions.add(new Revision(number, replicaSet.path("metadata").path("name").asText(),
            replicaSet.path("spec").path("template"), replicaSet.path("metadata").path("annotations")));
      }
    }
    revisions.sort(Comparator.comparingLong(Revision::number));
    return new RolloutHistory(List.copyOf(revisions));
  }

  /** The revision in an object's annotation; 0 when it has none or it is not a number. */
  static long revision(JsonNode object) {
    String text = object.path("metadata").path("annotations").path(REVISION).asText("");
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean controlledBy(JsonNode replicaSet, String uid) {
    for (JsonNode owner : replicaSet.path("metadata").path("ownerReferences")) {
      if (owner.path("controller").asBoolean(false) && !uid.isEmpty() && uid.equals(owner.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return revisions.size();
  }

  /** The newest revision older than {@code revision}: the one a rollback from it goes back to. */
  Optional<Revision> before(long revision) {
    return revisions.stream().filter(candidate -> candidate.number() < revision)
        .max(Comparator.comparingLong(Revision::number));
  }

  Optional<Revision> byReplicaSet(String name) {
    return revisions.stream().filter(candidate -> candidate.replicaSet().equals(name)).findFirst();
  }

  /** The template to put back: the ReplicaSet's, without the controller's pod-template-hash label. */
  static JsonNode templateToRestore(Revision revision) {
    ObjectNode template = revision.template().deepCopy();
    JsonNode labels = template.path("metadata").path("labels");
    if (labels instanceof ObjectNode labelNode) {
      labelNode.remove(POD_TEMPLATE_HASH);
    }
    return template;
  }

  /**
   * The Deployment's annotations after the rollback, as kubectl sets them: its own values of
   * {@link #KEPT_ANNOTATIONS}, and every other annotation from the ReplicaSet (a change-cause, say).
   */
  static ObjectNode annotationsToRestore(JsonNode deployment, Revision revision) {
    ObjectNode annotations = JsonNodeFactory.instance.objectNode();
    JsonNode current = deployment.path("metadata").path("annotations");
    for (String key : KEPT_ANNOTATIONS.stream().sorted().toList()) {
      if (current.has(key)) {
        annotations.set(key, current.get(key));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = revision.annotations().fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!KEPT_ANNOTATIONS.contains(field.getKey())) {
        annotations.set(field.getKey(), field.getValue());
      }
    }
    return annotations;
  }

  /**
   * A label selector query for a Deployment's {@code spec.selector}, e.g. {@code app=api,tier in (web)}:
   * the ReplicaSets a Deployment controls carry its selector's labels.
   */
  static String labelSelector(JsonNode selector) {
    List<String> terms = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> labels = selector.path("matchLabels").fields(); labels.hasNext(); ) {
      Map.Entry<String, JsonNode> label = labels.next();
      terms.add(label.getKey() + "=" + label.getValue().asText());
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      List<String> values = new ArrayList<>();
      expression.path("values").forEach(value -> values.add(value.asText()));
      switch (expression.path("operator").asText()) {
        case "In" -> terms.add(key + " in (" + String.join(",", values) + ")");
        case "NotIn" -> terms.add(key + " notin (" + String.join(",", values) + ")");
        case "Exists" -> terms.add(key);
        case "DoesNotExist" -> terms.add("!" + key);
        default -> throw new IllegalArgumentException("unknown selector operator " + expression.path("operator"));
      }
    }
    return String.join(",", terms);
  }
}
