package dev.remediator.action.kubernetes;

import java.util.Objects;

/**
 * One workload an action acts on, e.g. {@code deployment prod/api}: its kind, namespace and name,
 * already checked to be valid Kubernetes names, so they can go into a URL path as they are.
 */
record Workload(Kind kind, String namespace, String name) {
  /** The workload kinds the actions know, with their rules-file key and API resource. */
  enum Kind {
    DEPLOYMENT("deployment", "deployments"),
    STATEFULSET("statefulset", "statefulsets");

    private final String key;
    private final String resource;

    Kind(String key, String resource) {
      this.key = key;
      this.resource = resource;
    }

    /** The {@code with} key that names a workload of this kind: {@code deployment}. */
    String key() {
      return key;
    }

    /** The plural API resource: {@code deployments}. */
    String resource() {
      return resource;
    }
  }

  Workload {
    Objects.requireNonNull(kind, "kind");
    KubernetesNames.requireNamespace(namespace);
    KubernetesNames.requireObjectName(name);
  }

  /** The workload's API path, {@code /apis/apps/v1/namespaces/prod/deployments/api}. */
  String path() {
    return "/apis/apps/v1/namespaces/" + namespace + "/" + kind.resource() + "/" + name;
  }

  /** The API path of the namespace's collection of {@code resource}, e.g. replicasets. */
  String collectionPath(String resource) {
    return "/apis/apps/v1/namespaces/" + namespace + "/" + resource;
  }

  /** {@code deployment prod/api}, as messages name it. */
  @Override
  public String toString() {
    return kind.key() + " " + namespace + "/" + name;
  }
}
