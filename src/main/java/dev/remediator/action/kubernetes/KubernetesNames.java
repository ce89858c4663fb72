package dev.remediator.action.kubernetes;

import dev.remediator.action.ParamChecks;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes' own rules for names (DNS-1123), checked before a name goes into a request path:
 * a namespace is a label, a deployment or statefulset name a subdomain. Alert labels are hostile,
 * and these rules leave no room for "/", "..", "?" or "%" in a path.
 */
final class KubernetesNames {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN = Pattern.compile(
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int MAX_LABEL = 63;
  private static final int MAX_SUBDOMAIN = 253;

  private KubernetesNames() {}

  /** Why {@code value} is not a namespace name, or empty when it is one. */
  static Optional<String> namespaceProblem(Object value) {
    if (value instanceof String text && text.length() <= MAX_LABEL && LABEL.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of("must be a namespace name (DNS-1123 label: at most 63 lowercase letters, digits or \"-\","
        + " starting and ending with a letter or digit), but was " + ParamChecks.describe(value));
  }

  /** Why {@code value} is not a deployment or statefulset name, or empty when it is one. */
  static Optional<String> objectNameProblem(Object value) {
    if (value instanceof String text && text.length() <= MAX_SUBDOMAIN && SUBDOMAIN.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of("must be an object name (DNS-1123 subdomain: at most 253 lowercase letters, digits, \"-\""
        + " or \".\", starting and ending with a letter or digit), but was " + ParamChecks.describe(value));
  }

  static void requireNamespace(String value) {
    namespaceProblem(value).ifPresent(problem -> {
      throw new IllegalArgumentException("namespace " + problem);
    });
  }

  static void requireObjectName(String value) {
    objectNameProblem(value).ifPresent(problem -> {
      throw new IllegalArgumentException("name " + problem);
    });
  }
}
