package dev.remediator.action.railway;

import java.util.Objects;

/** One Railway service in one environment of one project, by their ids. */
record ServiceRef(String project, String environment, String service) {
  ServiceRef {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(service, "service");
  }

  /** E.g. {@code service 5e1f... in environment 9a0b...}, for messages. */
  @Override
  public String toString() {
    return "service " + service + " in environment " + environment;
  }
}
