package dev.opsflow.workflow;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A declared input of a workflow: its key (name and type), whether it is required, its default,
 * whether it is a secret, and a check with the expectation it enforces. Inputs are validated before
 * any step runs. Immutable.
 *
 * <pre>{@code
 * Input.required(HOST).describedAs("the cluster's address")
 * Input.optional(MEMORY_GB, 1).check(v -> v > 0, "a positive number of GB")
 * Input.secret(PASSWORD)
 * }</pre>
 *
 * @param <T> the value's type
 * @param key the input's name and type; the value is put in the context under it
 * @param required whether the caller must give it
 * @param defaultValue the value when not given, or null
 * @param secret whether the value is a secret (type {@link Secret}): never stored, logged or
 *     returned
 * @param description what it is, for help texts
 * @param check a check of the value, or null
 * @param expectation what the check expects, for the error message
 */
public record Input<T>(
    Key<T> key,
    boolean required,
    T defaultValue,
    boolean secret,
    String description,
    Predicate<? super T> check,
    String expectation) {

  /**
   * Checks that a secret input holds a {@link Secret} and that a check comes with its expectation.
   *
   * @param key the input's name and type; the value is put in the context under it
   * @param required whether the caller must give it
   * @param defaultValue the value when not given, or null
   * @param secret whether the value is a secret (type {@link Secret})
   * @param description what it is, for help texts
   * @param check a check of the value, or null
   * @param expectation what the check expects, for the error message
   * @throws IllegalArgumentException if a secret's type is not {@link Secret}, or a check has no
   *     expectation
   */
  public Input {
    Objects.requireNonNull(key, "key must not be null");
    if (secret && key.type() != Secret.class) {
      throw new IllegalArgumentException(
          "secret input '" + key.name() + "' must have type Secret, not " + key.type().getName());
    }
    if (check != null && expectation == null) {
      throw new IllegalArgumentException(
          "a check on input '" + key.name() + "' needs the expectation it enforces");
    }
  }

  /**
   * An input the caller must give.
   *
   * @param <T> the value's type
   * @param key the input's name and type; the value is put in the context under it
   * @return a required input without a default
   */
  public static <T> Input<T> required(Key<T> key) {
    return new Input<>(key, true, null, false, null, null, null);
  }

  /**
   * An input that may be left out; then it is {@code defaultValue} (null: absent).
   *
   * @param <T> the value's type
   * @param key the input's name and type; the value is put in the context under it
   * @param defaultValue the value when not given, or null
   * @return an optional input
   */
  public static <T> Input<T> optional(Key<T> key, T defaultValue) {
    return new Input<>(key, false, defaultValue, false, null, null, null);
  }

  /**
   * A required secret input.
   *
   * @param key the input's name and type; the value is put in the context under it
   * @return a required input whose value is never stored, logged or returned
   */
  public static Input<Secret> secret(Key<Secret> key) {
    return new Input<>(key, true, null, true, null, null, null);
  }

  /** {@return the input's name} */
  public String name() {
    return key.name();
  }

  /**
   * A copy with a description.
   *
   * @param text what the input is, shown in help texts
   * @return a copy with that description
   */
  public Input<T> describedAs(String text) {
    return new Input<>(key, required, defaultValue, secret, text, check, expectation);
  }

  /** {@return a copy that may be left out (a secret stays a secret)} */
  public Input<T> optional() {
    return new Input<>(key, false, defaultValue, secret, description, check, expectation);
  }

  /**
   * A copy whose value must pass {@code test}; {@code expects} says what it wants.
   *
   * @param test true for a valid value
   * @param expects what a valid value is, for the error message ("a positive number of GB")
   * @return a copy with that check
   */
  public Input<T> check(Predicate<? super T> test, String expects) {
    return new Input<>(key, required, defaultValue, secret, description, test, expects);
  }
}
