package dev.remediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.remediator.action.catalog.ActionCatalog;
import dev.remediator.rules.RulesLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The files under deploy/ describe one consistent deployment: the Kubernetes manifests parse and
 * hang together (selectors, probes, secrets, rules, service account), and the Compose file, the
 * systemd unit and the Dockerfile give a stop more time than remediator's 25 s shutdown grace.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");
  private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);
  private static final YAMLMapper YAML = new YAMLMapper();
  private static List<JsonNode> manifests;

  @BeforeAll
  static void read() throws IOException {
    manifests = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(KUBERNETES)) {
      files = listing.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
          .sorted().toList();
    }
    for (Path file : files) {
      try (MappingIterator<JsonNode> values = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
        values.forEachRemaining(document -> {
          if (!document.isNull() && !document.isMissingNode()) {
            manifests.add(document);
          }
        });
      }
    }
  }

  private static JsonNode manifest(String kind) {
    List<JsonNode> found = manifests.stream().filter(document -> document.path("kind").asText().equals(kind)).toList();
    assertThat(found).as("%s in %s", kind, KUBERNETES).hasSize(1);
    return found.get(0);
  }

  private static JsonNode podSpec() {
    return manifest("Deployment").path("spec").path("template").path("spec");
  }

  private static JsonNode container() {
    JsonNode containers = podSpec().path("containers");
    assertThat(containers).as("the Deployment's containers").hasSize(1);
    return containers.get(0);
  }

  private static Optional<String> env(String name) {
    for (JsonNode variable : container().path("env")) {
      if (variable.path("name").asText().equals(name)) {
        return Optional.of(variable.path("value").asText());
      }
    }
    return Optional.empty();
  }

  /** The volume mounted at the directory holding {@code file}, and the key {@code file} names in it. */
  private static Map.Entry<JsonNode, String> volumeHolding(String file) {
    for (JsonNode mount : container().path("volumeMounts")) {
      String directory = mount.path("mountPath").asText() + "/";
      if (file.startsWith(directory) && !file.substring(directory.length()).contains("/")) {
        for (JsonNode volume : podSpec().path("volumes")) {
          if (volume.path("name").equals(mount.path("name"))) {
            return Map.entry(volume, file.substring(directory.length()));
          }
        }
      }
    }
    throw new AssertionError("no volume of the Deployment is mounted where " + file + " is");
  }

  @Test
  void kubernetesDirectoryHoldsEveryKindADeploymentNeeds() {
    assertThat(manifests).extracting(document -> document.path("kind").asText()).containsExactlyInAnyOrder(
        "ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget",
        "ServiceAccount", "Role", "RoleBinding");
  }

  @Test
  void deploymentServiceAndDisruptionBudgetSelectTheDeploymentsPods() {
    JsonNode deployment = manifest("Deployment");
    JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
    assertThat(labels.size()).as("pod template labels").isPositive();

    assertThat(deployment.path("spec").path("selector").path("matchLabels")).isEqualTo(labels);
    assertThat(manifest("PodDisruptionBudget").path("spec").path("selector").path("matchLabels")).isEqualTo(labels);
    JsonNode serviceSelector = manifest("Service").path("spec").path("selector");
    assertThat(serviceSelector.size()).as("Service selector").isPositive();
    serviceSelector.fields().forEachRemaining(entry ->
        assertThat(labels.path(entry.getKey())).as("pod label %s", entry.getKey()).isEqualTo(entry.getValue()));
  }

  @Test
  void twoReplicasOfWhichTheDisruptionBudgetKeepsOne() {
    assertThat(manifest("Deployment").path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(manifest("PodDisruptionBudget").path("spec").path("minAvailable").asInt()).isEqualTo(1);
  }

  @Test
  void serviceAndContainerUsePort9095() {
    assertThat(manifest("Service").path("spec").path("ports")).anySatisfy(port -> {
      assertThat(port.path("port").asInt()).isEqualTo(9095);
      assertThat(port.path("targetPort").asInt()).isEqualTo(9095);
    });
    assertThat(container().path("ports")).extracting(port -> port.path("containerPort").asInt()).containsExactly(9095);
    assertThat(env("REMEDIATOR_LISTEN")).contains("0.0.0.0:9095");
  }

  @Test
  void livenessProbesHealthyAndReadinessProbesReadyOnPort9095() {
    JsonNode liveness = container().path("livenessProbe").path("httpGet");
    JsonNode readiness = container().path("readinessProbe").path("httpGet");

    assertThat(liveness.path("path").asText()).isEqualTo("/-/healthy");
    assertThat(liveness.path("port").asInt()).isEqualTo(9095);
    assertThat(readiness.path("path").asText()).isEqualTo("/-/ready");
    assertThat(readiness.path("port").asInt()).isEqualTo(9095);
  }

  @Test
  void containerRequestsAndLimitsMemoryAndBoundsTheHeap() {
    JsonNode resources = container().path("resources");

    assertThat(resources.path("requests").path("memory").asText()).as("memory request").isNotEmpty();
    assertThat(resources.path("requests").path("cpu").asText()).as("cpu request").isNotEmpty();
    assertThat(resources.path("limits").path("memory").asText()).as("memory limit").isNotEmpty();
    assertThat(env("JAVA_TOOL_OPTIONS")).as("JAVA_TOOL_OPTIONS")
        .hasValueSatisfying(options -> assertThat(options).containsAnyOf("-XX:MaxRAMPercentage=", "-Xmx"));
  }

  @Test
  void terminationGraceOutlastsTheShutdownGrace() {
    assertThat(env("REMEDIATOR_SHUTDOWN_GRACE")).contains("25s");
    assertThat(podSpec().path("terminationGracePeriodSeconds").asLong())
        .as("terminationGracePeriodSeconds").isGreaterThan(SHUTDOWN_GRACE.toSeconds());
  }

  @Test
  void podRunsAsTheServiceAccountOfRbacYaml() {
    JsonNode account = manifest("ServiceAccount");

    assertThat(podSpec().path("serviceAccountName")).isEqualTo(account.path("metadata").path("name"));
    assertThat(manifest("Deployment").path("metadata").path("namespace"))
        .isEqualTo(account.path("metadata").path("namespace"));
  }

  @Test
  void podRunsAsNonRootOnAReadOnlyRootWithAWritableTmp() {
    assertThat(podSpec().path("securityContext").path("runAsNonRoot").asBoolean()).as("runAsNonRoot").isTrue();
    JsonNode security = container().path("securityContext");
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as("readOnlyRootFilesystem").isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as("allowPrivilegeEscalation").isFalse();

    Map.Entry<JsonNode, String> tmp = volumeHolding("/tmp/x");
    assertThat(tmp.getKey().has("emptyDir")).as("/tmp is an emptyDir").isTrue();
  }

  @Test
  void secretFilesComeFromTheSecretAndNameKeysItHolds() {
    JsonNode secret = manifest("Secret");
    for (String variable : List.of("REMEDIATOR_DATABASE_URL_FILE", "REMEDIATOR_WEBHOOK_TOKEN_FILE",
        "REMEDIATOR_OPERATOR_TOKEN_FILE")) {
      String file = env(variable).orElseThrow(() -> new AssertionError("the Deployment does not set " + variable));
      Map.Entry<JsonNode, String> volume = volumeHolding(file);

      assertThat(volume.getKey().path("secret").path("secretName")).as(variable).isEqualTo(secret.path("metadata").path("name"));
      assertThat(secret.path("stringData").has(volume.getValue())).as("Secret key %s for %s", volume.getValue(), variable).isTrue();
    }
    assertThat(env("REMEDIATOR_DATABASE_URL")).as("the database URL is read from a file only").isEmpty();
    assertThat(secret.path("stringData").path("database-url").asText()).startsWith("jdbc:postgresql://");
  }

  @Test
  void rulesComeFromTheConfigMapAndAreTheKubernetesExample() throws IOException {
    String file = env("REMEDIATOR_RULES").orElseThrow(() -> new AssertionError("the Deployment does not set REMEDIATOR_RULES"));
    Map.Entry<JsonNode, String> volume = volumeHolding(file);
    JsonNode configMap = manifest("ConfigMap");

    assertThat(file).isEqualTo("/etc/remediator/rules.yml");
    assertThat(volume.getKey().path("configMap").path("name")).isEqualTo(configMap.path("metadata").path("name"));
    String rules = configMap.path("data").path(volume.getValue()).asText();
    assertThat(rules).isEqualTo(Files.readString(Path.of("rules/examples/kubernetes.yml")));
    assertThat(new RulesLoader(ActionCatalog.specs(), Map.of()).parse("ConfigMap remediator-rules", rules).rules())
        .isNotEmpty();
  }

  @Test
  void composeFileParsesAndChecksRemediatorsHealth() throws IOException {
    JsonNode compose = YAML.readTree(DEPLOY.resolve("docker-compose.yml").toFile());
    JsonNode remediator = compose.path("services").path("remediator");

    assertThat(compose.path("services").has("postgres")).as("a postgres service").isTrue();
    assertThat(remediator.path("healthcheck").path("test").toString()).contains("/-/healthy");
    assertThat(compose.path("services").path("postgres").path("healthcheck").isObject()).as("postgres healthcheck").isTrue();
    assertThat(remediator.path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
    assertThat(remediator.path("environment").path("REMEDIATOR_WEBHOOK_TOKEN_FILE").asText()).startsWith("/run/secrets/");
    assertThat(remediator.path("secrets")).extracting(JsonNode::asText).contains("webhook-token", "database-url");
    assertThat(compose.path("secrets").path("webhook-token").path("file").asText()).isNotEmpty();
    assertThat(duration(remediator.path("stop_grace_period").asText())).isGreaterThan(SHUTDOWN_GRACE);
  }

  @Test
  void systemdUnitOutlastsTheShutdownGraceAndIsHardened() throws IOException {
    String unit = Files.readString(DEPLOY.resolve("systemd/remediator.service"));

    assertThat(duration(setting(unit, "TimeoutStopSec"))).isGreaterThan(SHUTDOWN_GRACE);
    assertThat(setting(unit, "EnvironmentFile")).isEqualTo("/etc/remediator/remediator.env");
    assertThat(setting(unit, "Restart")).isEqualTo("on-failure");
    assertThat(setting(unit, "NoNewPrivileges")).isEqualTo("yes");
    assertThat(setting(unit, "ProtectSystem")).isEqualTo("strict");
    assertThat(setting(unit, "StateDirectory")).isEqualTo("remediator");
    assertThat(setting(unit, "WorkingDirectory")).isEqualTo("/var/lib/remediator");
    assertThat(setting(unit, "ExecStart")).endsWith("remediator.jar serve");
  }

  @Test
  void dockerfileRunsServeAsANonRootUserWithAHealthcheck() throws IOException {
    List<String> runtime = lastStage(Files.readString(DEPLOY.resolve("Dockerfile")));

    assertThat(instruction(runtime, "USER")).isNotEmpty().doesNotStartWith("root").doesNotStartWith("0");
    assertThat(instruction(runtime, "HEALTHCHECK")).contains("/-/healthy").contains("9095");
    assertThat(instruction(runtime, "ENTRYPOINT"))
        .isEqualTo("[\"java\", \"-jar\", \"/opt/remediator/remediator.jar\", \"serve\"]");
    assertThat(instruction(runtime, "EXPOSE")).isEqualTo("9095");
    assertThat(instruction(runtime, "COPY")).isNotEmpty();
    assertThat(runtime).anyMatch(line -> line.equals("COPY rules/remediation.yml /etc/remediator/rules.yml"));
    assertThat(instruction(runtime, "ENV")).contains("REMEDIATOR_RULES=/etc/remediator/rules.yml");
  }

  /** The last value of {@code key=} in a unit file. */
  private static String setting(String unit, String key) {
    String value = null;
    for (String line : unit.split("\n")) {
      if (line.startsWith(key + "=")) {
        value = line.substring(key.length() + 1).trim();
      }
    }
    if (value == null) {
      throw new AssertionError("the systemd unit does not set " + key);
    }
    return value;
  }

  /** A duration such as {@code 40s}, {@code 40}, {@code 1min} or {@code 1m30s}. */
  private static Duration duration(String text) {
    Matcher part = Pattern.compile("(\\d+)\\s*(min|m|s|sec|h)?").matcher(text.trim());
    Duration total = Duration.ZERO;
    int end = 0;
    while (part.find() && part.start() == end) {
      long amount = Long.parseLong(part.group(1));
      String unit = part.group(2) == null ? "s" : part.group(2);
      total = total.plus(switch (unit) {
        case "h" -> Duration.ofHours(amount);
        case "m", "min" -> Duration.ofMinutes(amount);
        default -> Duration.ofSeconds(amount);
      });
      end = part.end();
    }
    if (end == 0 || end != text.trim().length()) {
      throw new AssertionError("not a duration: " + text);
    }
    return total;
  }

  /** The instructions after the last FROM, continuation lines joined, comments dropped. */
  private static List<String> lastStage(String dockerfile) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("#") || trimmed.isEmpty() && current.length() == 0) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      instructions.add(current.append(trimmed).toString().replaceAll("\\s+", " "));
      current.setLength(0);
    }
    int from = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).startsWith("FROM ")) {
        from = i;
      }
    }
    return instructions.subList(from, instructions.size());
  }

  /** The arguments of the last {@code name} instruction, or "" when there is none. */
  private static String instruction(List<String> stage, String name) {
    String found = "";
    for (String line : stage) {
      if (line.startsWith(name + " ")) {
        found = line.substring(name.length() + 1).trim();
      }
    }
    return found;
  }
}
