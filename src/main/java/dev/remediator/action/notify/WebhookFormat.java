package dev.remediator.action.notify;

import java.util.Optional;

/** The body a webhook target expects: Slack's incoming-webhook message or our generic JSON. */
enum WebhookFormat {
  SLACK, JSON;

  /** The format named by a target's {@code format} setting; empty means the default, json. */
  static Optional<WebhookFormat> fromSetting(String value) {
    switch (value) {
      case "":
      case "json":
        return Optional.of(JSON);
      case "slack":
        return Optional.of(SLACK);
      default:
        return Optional.empty();
    }
  }
}
