package dev.opsflow.workflow.peers;

/**
 * A peer's port was taken between {@link FreePorts} and the peer's own bind; the peer retries with
 * a fresh port.
 */
final class PortTaken extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  PortTaken(String message) {
    super(message);
  }
}
