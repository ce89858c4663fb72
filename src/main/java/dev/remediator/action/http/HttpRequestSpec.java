package dev.remediator.action.http;

import dev.remediator.action.ParamChecks;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.PromDuration;
import dev.remediator.rules.Template;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules-file contract of a request to an http target, shared by {@code http} and by
 * {@code restart} and {@code rollback} on http targets (a platform's own API): {@code method}
 * (GET, POST, PUT, PATCH, DELETE or HEAD, written literally), {@code path} (required, starts with
 * a literal {@code /}, resolved under the target's base_url), an optional {@code body} (a string,
 * or a mapping or list sent as JSON; not with GET or HEAD), {@code expect} (the status codes that
 * mean success, default any 2xx) and {@code timeout} (1s to 5m, default 30s). Templates are strict:
 * every label they use needs an allow pattern.
 */
public final class HttpRequestSpec implements ActionSpec {
  public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
  /** Methods that mean the same when repeated, so a failure after sending may be retried. */
  public static final Set<String> IDEMPOTENT = Set.of("GET", "PUT", "DELETE", "HEAD");
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
  private static final List<String> KEYS = List.of("method", "path", "body", "expect", "timeout");
  private static final String PLACEHOLDER = "x";

  private final String name;

  /** @param name the action this spec is for: {@code http}, {@code restart} or {@code rollback} */
  public HttpRequestSpec(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<TargetKind> targetKinds() {
    return Set.of(TargetKind.HTTP);
  }

  @Override
  public boolean strictTemplates() {
    return true;
  }

  @Override
  public List<ParamProblem> validate(Map<String, Object> with) {
    return validate(with, true);
  }

  /**
   * Problems with rendered parameters before a request is built: the same as {@link #validate}
   * except that the path is only required to be a string, since resolving it against the base
   * URL checks it again and says so in its own words.
   */
  List<ParamProblem> validateRendered(Map<String, Object> params) {
    return validate(params, false);
  }

  private List<ParamProblem> validate(Map<String, Object> with, boolean checkPath) {
    List<ParamProblem> problems = new ArrayList<>(ParamChecks.unknownKeys(name, with, KEYS));
    Object method = with.get("method");
    if (method == null) {
      problems.add(new ParamProblem("method", "is required: one of " + String.join(", ", METHODS)));
    } else if (!METHODS.contains(method)) {
      problems.add(new ParamProblem("method",
          "must be one of " + String.join(", ", METHODS) + ", but was " + ParamChecks.describe(method)));
    }
    problems.addAll(pathProblems(with.get("path"), checkPath));
    Object body = with.get("body");
    if (body != null) {
      if (!(body instanceof String) && !(body instanceof Map<?, ?>) && !(body instanceof List<?>)) {
        problems.add(new ParamProblem("body",
            "must be a string, or a mapping or list to send as JSON, but was " + ParamChecks.describe(body)));
      } else if ("GET".equals(method) || "HEAD".equals(method)) {
        problems.add(new ParamProblem("body", "is not allowed with method " + method));
      }
    }
    problems.addAll(expectProblems(with.get("expect")));
    Object timeout = with.get("timeout");
    if (timeout != null) {
      try {
        timeout(timeout);
      } catch (IllegalArgumentException e) {
        problems.add(new ParamProblem("timeout", e.getMessage()));
      }
    }
    return problems;
  }

  /** The method of validated parameters. */
  static String method(Map<String, Object> params) {
    return (String) params.get("method");
  }

  /** The expected status codes of validated parameters; empty means any 2xx. */
  static Set<Integer> expect(Map<String, Object> params) {
    Set<Integer> codes = new LinkedHashSet<>();
    if (params.get("expect") instanceof List<?> list) {
      list.forEach(code -> codes.add((Integer) code));
    }
    return codes;
  }

  /** The timeout of validated parameters, or the default when absent. */
  static Duration timeout(Map<String, Object> params) {
    Object value = params.get("timeout");
    return value == null ? DEFAULT_TIMEOUT : timeout(value);
  }

  private static Duration timeout(Object value) {
    if (!(value instanceof String text)) {
      throw new IllegalArgumentException("must be a duration such as 30s, but was " + ParamChecks.describe(value));
    }
    Duration timeout = PromDuration.parse(text);
    if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("must be between 1s and 5m, but was " + text);
    }
    return timeout;
  }

  /**
   * A path must be a string starting with a literal "/", and its literal text must already pass
   * {@link BasePath#problem}; templated parts are filled with a placeholder here and checked again
   * once rendered. A path whose template does not parse is left to the template check.
   */
  private static List<ParamProblem> pathProblems(Object path, boolean checkText) {
    if (path == null) {
      return List.of(new ParamProblem("path", "is required: the request path under the target's base_url"));
    }
    if (!(path instanceof String text)) {
      return List.of(new ParamProblem("path", "must be a string, but was " + ParamChecks.describe(path)));
    }
    if (!checkText) {
      return List.of();
    }
    if (text.startsWith("{{")) {
      return List.of(new ParamProblem("path", "must start with a literal \"/\", not a template"));
    }
    String filled;
    try {
      filled = Template.parse(text).render(ref -> PLACEHOLDER);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    Optional<String> problem = BasePath.problem(filled);
    return problem.map(message -> List.of(new ParamProblem("path", message + ", but was " + ParamChecks.describe(text))))
        .orElse(List.of());
  }

  private static List<ParamProblem> expectProblems(Object expect) {
    if (expect == null) {
      return List.of();
    }
    if (!(expect instanceof List<?> list) || list.isEmpty()) {
      return List.of(new ParamProblem("expect",
          "must be a non-empty list of HTTP status codes such as [200, 202], but was " + ParamChecks.describe(expect)));
    }
    List<ParamProblem> problems = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object code = list.get(i);
      if (!(code instanceof Integer number) || number < 100 || number > 599) {
        problems.add(new ParamProblem("expect[" + i + "]",
            "must be an HTTP status code from 100 to 599, but was " + ParamChecks.describe(code)));
      }
    }
    return problems;
  }
}
