package dev.remediator.action.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.remediator.action.kubernetes.Workload.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes/rbac.yaml grants exactly the calls the kubernetes actions make, and nothing more. */
class RbacManifestTest {
  private static final Path MANIFEST = Path.of("deploy/kubernetes/rbac.yaml");
  private static List<JsonNode> documents;

  @BeforeAll
  static void read() throws Exception {
    documents = new ArrayList<>();
    try (MappingIterator<JsonNode> values = new YAMLMapper().readerFor(JsonNode.class).readValues(MANIFEST.toFile())) {
      values.forEachRemaining(documents::add);
    }
  }

  private static JsonNode document(String kind) {
    return documents.stream().filter(document -> document.path("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError(MANIFEST + " has no " + kind));
  }

  /** Every (group, resource, verb) the Role grants, as {@code apps deployments get}. */
  private static Set<String> grants() {
    Set<String> grants = new TreeSet<>();
    for (JsonNode rule : document("Role").path("rules")) {
      rule.path("apiGroups").forEach(group -> rule.path("resources").forEach(resource -> rule.path("verbs")
          .forEach(verb -> grants.add(group.asText() + " " + resource.asText() + " " + verb.asText()))));
    }
    return grants;
  }

  @Test
  void holdsAServiceAccountARoleAndItsBindingOnly() {
    assertThat(documents).extracting(document -> document.path("kind").asText())
        .containsExactly("ServiceAccount", "Role", "RoleBinding");
  }

  @Test
  void roleGrantsExactlyWhatRestartRollbackAndScaleNeed() {
    assertThat(grants()).containsExactlyInAnyOrder(
        "apps deployments get", "apps deployments patch",
        "apps statefulsets get", "apps statefulsets patch",
        "apps deployments/scale get", "apps deployments/scale update",
        "apps statefulsets/scale get", "apps statefulsets/scale update",
        "apps replicasets list");
  }

  @Test
  void everyCallTheActionsMakeIsGrantedAndEveryGrantIsUsed() {
    Set<String> calls = new TreeSet<>();
    for (Kind kind : Kind.values()) {
      Workload workload = new Workload(kind, "prod", "api");
      for (Call call : List.of(Call.read(workload), Call.patch(workload), Call.readScale(workload),
          Call.updateScale(workload))) {
        calls.add("apps " + call.resource() + " " + call.verb());
      }
    }
    calls.add("apps " + Call.listReplicaSets(new Workload(Kind.DEPLOYMENT, "prod", "api")).resource() + " list");

    assertThat(grants()).isEqualTo(calls);
  }

  @Test
  void grantsNoWildcardNoSecretsAndNothingClusterWide() {
    List<String> values = new ArrayList<>();
    documents.forEach(document -> collect(document, values));

    assertThat(values).contains("deployments", "get").doesNotContain("*", "secrets", "pods", "ClusterRole", "ClusterRoleBinding")
        .noneMatch(value -> value.contains("*"));
    assertThat(document("Role").path("rules")).allSatisfy(rule ->
        assertThat(rule.path("apiGroups")).extracting(JsonNode::asText).containsExactly("apps"));
  }

  private static void collect(JsonNode node, List<String> values) {
    if (node.isValueNode()) {
      values.add(node.asText());
    }
    node.forEach(child -> collect(child, values));
  }

  @Test
  void bindingGivesTheRoleToTheServiceAccountInTheRolesNamespace() {
    JsonNode role = document("Role");
    JsonNode binding = document("RoleBinding");
    JsonNode account = document("ServiceAccount");

    assertThat(binding.path("metadata").path("namespace")).isEqualTo(role.path("metadata").path("namespace"));
    assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
    assertThat(binding.path("roleRef").path("name")).isEqualTo(role.path("metadata").path("name"));
    assertThat(binding.path("subjects")).hasSize(1);
    JsonNode subject = binding.path("subjects").get(0);
    assertThat(subject.path("kind").asText()).isEqualTo("ServiceAccount");
    assertThat(subject.path("name")).isEqualTo(account.path("metadata").path("name"));
    assertThat(subject.path("namespace")).isEqualTo(account.path("metadata").path("namespace"));
  }

  @Test
  void saysToCopyTheRoleIntoEveryNamespace() throws Exception {
    assertThat(Files.readString(MANIFEST)).contains("Copy this Role and the RoleBinding below into every namespace");
  }
}
