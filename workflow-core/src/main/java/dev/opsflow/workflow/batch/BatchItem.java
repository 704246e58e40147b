package dev.opsflow.workflow.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One item of a {@link Batch}: a key naming it (a server id, a hostname) and the inputs of its run.
 * The key is unique in its batch and, with the batch id, makes the run's idempotency key, so keep
 * it stable between attempts of the same batch. Immutable.
 *
 * @param key the item's name in its batch: not blank, at most 200 characters, no control characters
 * @param inputs the inputs of the item's run, as for {@link
 *     dev.opsflow.workflow.WorkflowEngine#run}
 */
public record BatchItem(String key, Map<String, Object> inputs) {

  /**
   * Checks the key and copies the inputs.
   *
   * @param key the item's name in its batch: not blank, at most 200 characters, no control
   *     characters
   * @param inputs the inputs of the item's run, as for {@link
   *     dev.opsflow.workflow.WorkflowEngine#run}
   * @throws IllegalArgumentException for a bad key
   * @throws NullPointerException for null inputs
   */
  public BatchItem {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("item key must not be blank");
    }
    if (key.length() > 200 || key.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "item key '"
              + key.replaceAll("\\p{Cntrl}", "?")
              + "' must be at most 200 characters without control characters");
    }
    Objects.requireNonNull(inputs, "inputs of item '" + key + "' must not be null");
    inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
  }

  /**
   * An item named {@code key} whose run gets {@code inputs}.
   *
   * @param key the item's name in its batch: not blank, at most 200 characters, no control
   *     characters
   * @param inputs the inputs of the item's run, as for {@link
   *     dev.opsflow.workflow.WorkflowEngine#run}
   * @return the item
   */
  public static BatchItem of(String key, Map<String, ?> inputs) {
    Objects.requireNonNull(inputs, "inputs of item '" + key + "' must not be null");
    return new BatchItem(key, new LinkedHashMap<>(inputs));
  }

  @Override
  public String toString() {
    // Inputs may hold secrets (printed as ****) and are long: the key names the item.
    return "BatchItem[" + key + "]";
  }
}
