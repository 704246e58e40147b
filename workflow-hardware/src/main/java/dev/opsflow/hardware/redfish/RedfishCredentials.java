package dev.opsflow.hardware.redfish;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.http.RequestSigner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The per-request headers of a {@link RedfishClient}: none before login, {@code X-Auth-Token} after
 * a session is created, or HTTP basic when the service offers no sessions. Thread-safe.
 */
final class RedfishCredentials implements RequestSigner {
  enum Mode {
    NONE,
    SESSION,
    BASIC
  }

  private final String username;
  private final Secret password;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NONE);
  private final AtomicReference<Secret> token = new AtomicReference<>();

  RedfishCredentials(String username, Secret password) {
    this.username = username;
    this.password = password;
  }

  @Override
  public Map<String, String> sign(String method, URI uri) {
    return switch (mode.get()) {
      case NONE -> Map.of();
      case SESSION -> Map.of("X-Auth-Token", token.get().reveal());
      case BASIC ->
          Map.of(
              "Authorization",
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (username + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8)));
    };
  }

  void useSession(String value) {
    token.set(Secret.of(value));
    mode.set(Mode.SESSION);
  }

  void useBasic() {
    mode.set(Mode.BASIC);
  }

  void clear() {
    mode.set(Mode.NONE);
    token.set(null);
  }

  Mode mode() {
    return mode.get();
  }

  String username() {
    return username;
  }

  Secret password() {
    return password;
  }

  @Override
  public String toString() {
    return "RedfishCredentials[" + username + ", " + mode.get() + "]";
  }
}
