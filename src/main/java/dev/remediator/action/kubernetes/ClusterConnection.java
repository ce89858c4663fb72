package dev.remediator.action.kubernetes;

import dev.remediator.config.Redaction;
import dev.remediator.target.Target;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.Utils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * How one kubernetes target reaches its API server, set up once when its actions are opened:
 * <ul>
 *   <li>{@code api_url}, with an optional {@code token_file} (read on every request) and
 *       {@code ca_file};</li>
 *   <li>{@code kubeconfig}, a file, with its current context or {@code context};</li>
 *   <li>neither: fabric8's auto-configuration, i.e. {@code KUBECONFIG} or {@code ~/.kube/config}
 *       (with {@code context} if set), else the pod's service account token, CA and namespace.</li>
 * </ul>
 * Tokens, client certificates and exec plugins of a kubeconfig are fabric8's to handle. A target
 * whose settings cannot be used keeps the reason, and every action on it fails with it, rather
 * than failing the other targets' actions.
 */
final class ClusterConnection implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final String targetName;
  private final KubernetesClient client;
  private final String problem;
  private final String apiBase;
  private final Optional<String> namespace;
  private final List<String> knownSecrets;
  private final TokenFile tokenFile;

  private ClusterConnection(String targetName, KubernetesClient client, String problem, Config config,
                            TokenFile tokenFile) {
    this.targetName = targetName;
    this.client = client;
    this.problem = problem;
    this.tokenFile = tokenFile;
    if (client == null) {
      this.apiBase = "";
      this.namespace = Optional.empty();
      this.knownSecrets = List.of();
    } else {
      String master = client.getMasterUrl().toString();
      this.apiBase = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
      this.namespace = Optional.ofNullable(config.getNamespace()).filter(name -> !name.isBlank());
      List<String> secrets = new ArrayList<>();
      secrets.add(config.getOauthToken());
      secrets.add(config.getAutoOAuthToken());
      secrets.add(config.getPassword());
      secrets.removeIf(Objects::isNull);
      this.knownSecrets = List.copyOf(secrets);
    }
  }

  /** The connection for {@code target}, deriving its HTTP client from {@code base}; never throws. */
  static ClusterConnection open(Target target, OkHttpClient base) {
    TokenFile tokenFile = target.setting("token_file").isEmpty() ? null
        : new TokenFile(Path.of(target.setting("token_file")));
    Config config;
    try {
      config = config(target, tokenFile);
    } catch (IllegalArgumentException e) {
      return new ClusterConnection(target.name(), null, e.getMessage(), null, null);
    } catch (RuntimeException e) {
      return new ClusterConnection(target.name(), null, "cannot configure the Kubernetes client: "
          + Redaction.url(String.valueOf(e.getMessage())), null, null);
    }
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new ForkedOkHttpClientFactory(base))
        .build();
    return new ClusterConnection(target.name(), client, null, config, tokenFile);
  }

  private static Config config(Target target, TokenFile tokenFile) {
    String apiUrl = target.setting("api_url");
    String kubeconfig = target.setting("kubeconfig");
    String context = target.setting("context");
    String caFile = target.setting("ca_file");
    if (!apiUrl.isEmpty() && !(kubeconfig.isEmpty() && context.isEmpty())) {
      throw new IllegalArgumentException("set either api_url (with token_file and ca_file) or kubeconfig"
          + " (with context), not both");
    }
    if (apiUrl.isEmpty() && (tokenFile != null || !caFile.isEmpty())) {
      throw new IllegalArgumentException("token_file and ca_file go with api_url, which is not set");
    }
    Config config;
    if (!apiUrl.isEmpty()) {
      if (HttpUrl.parse(apiUrl) == null) {
        throw new IllegalArgumentException("api_url must be an http or https URL, but was " + Redaction.url(apiUrl));
      }
      if (!caFile.isEmpty() && !Files.isReadable(Path.of(caFile))) {
        throw new IllegalArgumentException("cannot read ca_file " + caFile);
      }
      config = Config.empty();
      config.setMasterUrl(apiUrl);
      if (!caFile.isEmpty()) {
        config.setCaCertFile(caFile);
      }
      config.setOauthTokenProvider(tokenFile);
    } else if (!kubeconfig.isEmpty()) {
      if (!Files.isReadable(Path.of(kubeconfig))) {
        throw new IllegalArgumentException("cannot read kubeconfig " + kubeconfig);
      }
      config = Config.fromKubeconfig(context.isEmpty() ? null : context, new File(kubeconfig));
      requireContext(config, context, "kubeconfig " + kubeconfig);
    } else {
      config = Config.autoConfigure(context.isEmpty() ? null : context);
      requireContext(config, context, "the kubeconfig (" + String.join(", ", Config.getKubeconfigFilenames()) + ")");
      if (config.getCurrentContext() == null && !inCluster()) {
        throw new IllegalArgumentException("no kubeconfig found (" + String.join(", ", Config.getKubeconfigFilenames())
            + ") and not running in a cluster; set kubeconfig or api_url on the target");
      }
    }
    if (!target.setting("namespace").isEmpty()) {
      config.setNamespace(target.setting("namespace"));
    }
    config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
    config.setRequestRetryBackoffLimit(0);
    return config;
  }

  /** fabric8 falls back to the current context when the one asked for is missing; a target must not. */
  private static void requireContext(Config config, String context, String where) {
    if (context.isEmpty()) {
      return;
    }
    String found = config.getCurrentContext() == null ? null : config.getCurrentContext().getName();
    if (!context.equals(found)) {
      throw new IllegalArgumentException("context \"" + context + "\" is not in " + where);
    }
  }

  private static boolean inCluster() {
    return Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_SERVICE_HOST_PROPERTY, (String) null) != null
        || Utils.getSystemPropertyOrEnvVar(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, (String) null) != null;
  }

  String targetName() {
    return targetName;
  }

  /** Why this target cannot be reached, when its settings could not be used. */
  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** The HTTP client that adds the target's credentials; only when there is no {@link #problem()}. */
  HttpClient http() {
    return client.getHttpClient();
  }

  /** The API server's URL without a trailing slash, e.g. {@code https://10.0.0.1:6443}. */
  String apiBase() {
    return apiBase;
  }

  /** The namespace of the target, its kubeconfig context or its service account, if any. */
  Optional<String> defaultNamespace() {
    return namespace;
  }

  /** {@code text} without URL credentials or any token or password this target uses. */
  String redact(String text) {
    List<String> secrets = new ArrayList<>(knownSecrets);
    if (tokenFile != null) {
      secrets.add(tokenFile.last());
    }
    return Redaction.secrets(Redaction.url(text), secrets);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
