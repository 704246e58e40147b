package dev.opsflow.workflow;

import java.time.Instant;

/**
 * A live snapshot of a run, for progress displays. Immutable. Its JSON ({@link #toJson()}) is
 * documented in {@code docs/result-json.md}, next to the result's; fields are only ever added.
 *
 * @param runId the run's id
 * @param workflow the workflow's name
 * @param state the run's state
 * @param progressPercent overall progress, 0 to 100
 * @param currentStep the step running now, or null
 * @param currentSubTask what that step is doing, or null
 * @param stepsCompleted steps that completed or were skipped
 * @param totalSteps steps in the workflow
 * @param abandonedAttempts attempts of this run's steps that went past their timeout or a cancel,
 *     were abandoned by the engine, and whose threads still run (0 for a run of another engine)
 * @param startedAt when the run started
 * @param updatedAt when this snapshot was taken
 */
public record RunStatus(
    String runId,
    String workflow,
    RunState state,
    int progressPercent,
    String currentStep,
    String currentSubTask,
    int stepsCompleted,
    int totalSteps,
    int abandonedAttempts,
    Instant startedAt,
    Instant updatedAt) {

  /**
   * A snapshot with no abandoned attempt.
   *
   * @param runId the run's id
   * @param workflow the workflow's name
   * @param state the run's state
   * @param progressPercent overall progress, 0 to 100
   * @param currentStep the step running now, or null
   * @param currentSubTask what that step is doing, or null
   * @param stepsCompleted steps that completed or were skipped
   * @param totalSteps steps in the workflow
   * @param startedAt when the run started
   * @param updatedAt when this snapshot was taken
   */
  public RunStatus(
      String runId,
      String workflow,
      RunState state,
      int progressPercent,
      String currentStep,
      String currentSubTask,
      int stepsCompleted,
      int totalSteps,
      Instant startedAt,
      Instant updatedAt) {
    this(
        runId,
        workflow,
        state,
        progressPercent,
        currentStep,
        currentSubTask,
        stepsCompleted,
        totalSteps,
        0,
        startedAt,
        updatedAt);
  }

  /** {@return the snapshot as pretty-printed JSON (null fields left out)} */
  public String toJson() {
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this);
  }

  /**
   * Reads a snapshot from its JSON.
   *
   * @param json a snapshot as {@link #toJson()} wrote it
   * @return the snapshot
   */
  public static RunStatus fromJson(String json) {
    return Json.mapper().readValue(json, RunStatus.class);
  }
}
