package dev.opsflow.workflow;

import java.time.Instant;

/**
 * A live snapshot of a run, for progress displays. Immutable.
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
public record RunStatus(
    String runId,
    String workflow,
    RunState state,
    int progressPercent,
    String currentStep,
    String currentSubTask,
    int stepsCompleted,
    int totalSteps,
    Instant startedAt,
    Instant updatedAt) {}
