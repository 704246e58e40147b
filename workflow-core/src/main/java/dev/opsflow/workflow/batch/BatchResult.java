package dev.opsflow.workflow.batch;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.WorkflowResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a batch ended: a summary and every item's run result, in item order. Its JSON ({@link
 * #toJson()}) is documented in {@code docs/batch.md}; fields are only ever added. Immutable.
 *
 * @param batchId the batch's id (give it again to re-run only the unfinished items)
 * @param workflow the workflow each item ran
 * @param state how the batch ended
 * @param success whether every item succeeded
 * @param message one line for a person
 * @param stopReason why the batch stopped early, or null
 * @param counts the summary; {@code pending} counts the items that never started
 * @param items every item, in the batch's order
 * @param startedAt when the batch started
 * @param finishedAt when it ended
 */
public record BatchResult(
    String batchId,
    String workflow,
    BatchState state,
    boolean success,
    String message,
    String stopReason,
    BatchCounts counts,
    List<Item> items,
    Instant startedAt,
    Instant finishedAt) {

  /**
   * Copies the items (null becomes empty), so the result is immutable.
   *
   * @param batchId the batch's id (give it again to re-run only the unfinished items)
   * @param workflow the workflow each item ran
   * @param state how the batch ended
   * @param success whether every item succeeded
   * @param message one line for a person
   * @param stopReason why the batch stopped early, or null
   * @param counts the summary; {@code pending} counts the items that never started
   * @param items every item, in the batch's order
   * @param startedAt when the batch started
   * @param finishedAt when it ended
   */
  public BatchResult {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /**
   * One item's outcome.
   *
   * @param key the item's key
   * @param state where it ended (PENDING: never started)
   * @param runId its run's id, or null if it never started
   * @param result its run's result, or null if it never started
   */
  public record Item(String key, ItemState state, String runId, WorkflowResult result) {}

  /**
   * The item whose key is {@code key}.
   *
   * @param key an item's key
   * @return that item, or empty when the batch has none with that key
   */
  public Optional<Item> item(String key) {
    return items.stream().filter(i -> i.key().equals(key)).findFirst();
  }

  /**
   * The items that ended in {@code state}, in order.
   *
   * @param state how the batch ended
   * @return those items, in the batch's order
   */
  public List<Item> items(ItemState state) {
    return items.stream().filter(i -> i.state() == state).toList();
  }

  /** {@return the result as pretty-printed JSON} */
  public String toJson() {
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this);
  }

  /**
   * Reads a result from its JSON.
   *
   * @param json a result as {@link #toJson()} wrote it
   * @return the result
   */
  public static BatchResult fromJson(String json) {
    return Json.mapper().readValue(json, BatchResult.class);
  }
}
