package dev.opsflow.workflow.batch;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.opsflow.workflow.Json;
import java.time.Instant;

/**
 * Something that happened in a batch. Every event carries the batch id, a sequence number (1, 2,
 * 3... within the batch), a timestamp from the engine's clock and the item counts right after it
 * happened, so a progress display needs nothing else. Immutable, JSON-serialisable with a {@code
 * type} property ({@link #toJson()}), and never holds an input or a secret.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = BatchEvent.BatchStarted.class, name = "batch-started"),
  @JsonSubTypes.Type(value = BatchEvent.ItemStarted.class, name = "item-started"),
  @JsonSubTypes.Type(value = BatchEvent.ItemFinished.class, name = "item-finished"),
  @JsonSubTypes.Type(value = BatchEvent.BatchStopping.class, name = "batch-stopping"),
  @JsonSubTypes.Type(value = BatchEvent.BatchFinished.class, name = "batch-finished"),
})
public sealed interface BatchEvent {

  /** {@return the batch the event belongs to} */
  String batchId();

  /** {@return the event's place in its batch, from 1} */
  long sequence();

  /** {@return when it happened, by the engine's clock} */
  Instant timestamp();

  /** {@return the item counts right after it happened} */
  BatchCounts counts();

  /** {@return the event as one line of JSON} */
  default String toJson() {
    return Json.mapper().writerFor(BatchEvent.class).writeValueAsString(this);
  }

  /**
   * Reads an event from its JSON.
   *
   * @param json an event as {@link #toJson()} wrote it
   * @return the event
   */
  static BatchEvent fromJson(String json) {
    return Json.mapper().readValue(json, BatchEvent.class);
  }

  /**
   * The batch started.
   *
   * @param batchId the batch the event belongs to
   * @param sequence the event's place in its batch, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param counts the item counts right after it happened
   * @param workflow the workflow each item runs
   * @param maxParallel the most item runs in flight
   */
  record BatchStarted(
      String batchId,
      long sequence,
      Instant timestamp,
      BatchCounts counts,
      String workflow,
      int maxParallel)
      implements BatchEvent {}

  /**
   * An item's run started (or, with an id that completed before, gave its stored result).
   *
   * @param batchId the batch the event belongs to
   * @param sequence the event's place in its batch, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param counts the item counts right after it happened
   * @param item the item's key
   * @param runId the item's run id
   */
  record ItemStarted(
      String batchId,
      long sequence,
      Instant timestamp,
      BatchCounts counts,
      String item,
      String runId)
      implements BatchEvent {}

  /**
   * An item's run ended.
   *
   * @param batchId the batch the event belongs to
   * @param sequence the event's place in its batch, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param counts the item counts right after it happened
   * @param item the item's key
   * @param runId the item's run id
   * @param state how it ended
   * @param message the run's one-line message
   */
  record ItemFinished(
      String batchId,
      long sequence,
      Instant timestamp,
      BatchCounts counts,
      String item,
      String runId,
      ItemState state,
      String message)
      implements BatchEvent {}

  /**
   * Nothing new starts any more: failures passed the threshold, or the batch was cancelled.
   *
   * @param batchId the batch the event belongs to
   * @param sequence the event's place in its batch, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param counts the item counts right after it happened
   * @param reason why, in words
   * @param cancellingRunning whether the runs in flight are being cancelled
   */
  record BatchStopping(
      String batchId,
      long sequence,
      Instant timestamp,
      BatchCounts counts,
      String reason,
      boolean cancellingRunning)
      implements BatchEvent {}

  /**
   * The batch ended.
   *
   * @param batchId the batch the event belongs to
   * @param sequence the event's place in its batch, from 1
   * @param timestamp when it happened, by the engine's clock
   * @param counts the item counts right after it happened
   * @param state how it ended
   * @param message one line for a person
   */
  record BatchFinished(
      String batchId,
      long sequence,
      Instant timestamp,
      BatchCounts counts,
      BatchState state,
      String message)
      implements BatchEvent {}
}
