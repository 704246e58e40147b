package dev.opsflow.workflow;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed, named slot in a run's context: {@code Key.of("serverIp", String.class)}.
 *
 * <p>Two keys are equal when their names and types are. Values stored under a key must be
 * serialisable by Jackson so a run can be persisted and resumed. Immutable and thread-safe.
 *
 * @param <T> the type of the value held
 * @param name the slot's name: letters, digits, {@code _ - .}, starting with a letter
 * @param type the type of the value held
 */
public record Key<T>(String name, Class<T> type) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*");

  /**
   * Checks the name.
   *
   * @param name the slot's name: letters, digits, {@code _ - .}, starting with a letter
   * @param type the type of the value held
   * @throws IllegalArgumentException if the name is blank or has characters outside {@code
   *     [A-Za-z0-9_.-]}
   */
  public Key {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(type, "type must not be null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "key name '" + name + "' must start with a letter and hold only letters, digits, _ . -");
    }
  }

  /**
   * The common case: a key named {@code name} holding values of {@code type}.
   *
   * @param <T> the type of the value held
   * @param name the slot's name: letters, digits, {@code _ - .}, starting with a letter
   * @param type the type of the value held
   * @return the key
   */
  public static <T> Key<T> of(String name, Class<T> type) {
    return new Key<>(name, type);
  }

  @Override
  public String toString() {
    return name + ":" + type.getSimpleName();
  }
}
