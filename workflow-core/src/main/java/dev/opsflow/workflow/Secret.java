package dev.opsflow.workflow;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value (password, API key, token) that never shows itself by accident.
 *
 * <p>{@link #toString()} and its JSON form are {@code ****}; only {@link #reveal()} gives the
 * value, and code should call it at the last moment (building an auth header, a process's
 * environment). Engines never store a secret: a resumed run gets its secrets again from the host's
 * {@link dev.opsflow.workflow.spi.SecretResolver}. Immutable and thread-safe.
 */
public final class Secret {
  /** How every secret prints. */
  public static final String MASK = "****";

  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  /**
   * A secret holding {@code value}.
   *
   * @param value the secret value in clear
   * @return a secret that shows itself as {@code ****}
   * @throws IllegalArgumentException if {@code value} is null
   */
  public static Secret of(String value) {
    if (value == null) {
      throw new IllegalArgumentException("secret value must not be null");
    }
    return new Secret(value.toCharArray());
  }

  /** {@return the value in clear} Use it where it is needed and nowhere else. */
  public String reveal() {
    return new String(value);
  }

  /** {@return whether the secret is the empty string} */
  public boolean isEmpty() {
    return value.length == 0;
  }

  @JsonValue
  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(value));
  }
}
