package dev.remediator.action;

import dev.remediator.target.Target;
import java.util.Map;

/**
 * An action whose effect depends on the state it starts from, such as a rollback: "back to the
 * revision before the latest rollout" means something else once someone has rolled back or
 * deployed. The decider asks it to pin that state when the remediation is decided; the pin is
 * recorded with the remediation as its {@link #PARAM} parameter and handed back to
 * {@link Action#execute}, which refuses to act if the target has moved on since.
 */
public interface Pinning {
  /** The parameter the pinned state travels in, from decision to execution. */
  String PARAM = "pinned";

  /**
   * Reads what the action would act from, for the rule's rendered {@code params}, e.g.
   * {@code {from_revision: 7, to_revision: 6}}; never a secret.
   *
   * @throws PinException when the state cannot be read or there is nothing to act on (no
   *     earlier revision); its message says why, and the remediation is skipped with it
   */
  Map<String, Object> pin(Target target, Map<String, Object> params) throws PinException, InterruptedException;

  /** Why no state could be pinned. */
  final class PinException extends Exception {
    public PinException(String message, Throwable cause) {
      super(message, cause);
    }

    public PinException(String message) {
      super(message);
    }
  }
}
