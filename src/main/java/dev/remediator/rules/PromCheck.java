package dev.remediator.rules;

import java.util.Objects;

/** A PromQL expression and what its value must be, e.g. {@code sum(up{job="api"}) / count(up{job="api"})} {@code >= 0.8}. */
public record PromCheck(String promql, Expectation expect) {
  public PromCheck {
    Objects.requireNonNull(promql, "promql");
    Objects.requireNonNull(expect, "expect");
  }
}
