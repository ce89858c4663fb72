package dev.remediator.engine;

import dev.remediator.action.Pinning.PinException;
import java.util.Map;
import java.util.Optional;

/**
 * Pins, when a remediation is decided, the state its action will act from (see
 * {@link dev.remediator.action.Pinning}); in a server, {@code TargetClients::pin}.
 */
@FunctionalInterface
public interface Pins {
  /** For actions that pin nothing. */
  Pins NONE = (action, target, params) -> Optional.empty();

  Optional<Map<String, Object>> pin(String action, String target, Map<String, Object> params)
      throws PinException, InterruptedException;
}
