package dev.remediator.rules;

import java.util.Objects;

/**
 * A rule's parameters could not be rendered safely for one alert: a templated value failed its
 * allow pattern, started with {@code -} where that is refused, or had no pattern where one is
 * required. The remediation stops and the refusal is audited; it is never retried.
 */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String rule;
  private final String reference;

  public TemplateException(String rule, String reference, String message) {
    super(message);
    this.rule = Objects.requireNonNull(rule, "rule");
    this.reference = Objects.requireNonNull(reference, "reference");
  }

  /** The name of the rule whose parameters were being rendered. */
  public String rule() {
    return rule;
  }

  /** The refused reference as written, e.g. {@code labels.service}; empty for the template as a whole. */
  public String reference() {
    return reference;
  }
}
