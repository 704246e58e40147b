package dev.opsflow.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The structured result of a run, the contract scripts read. Its JSON ({@link #toJson()}) is
 * documented in {@code docs/result-json.md}; fields are only ever added.
 *
 * @param runId the run's id
 * @param workflow the workflow's name
 * @param version the workflow's version
 * @param success whether the run COMPLETED
 * @param status how the run ended
 * @param message one line for a person
 * @param outputs the workflow's outputs (never secrets)
 * @param steps every step, in order
 * @param error what went wrong, or null on success
 * @param dryRun whether this was a dry run
 * @param startedAt when the run started
 * @param finishedAt when it ended
 */
public record WorkflowResult(
    String runId,
    String workflow,
    int version,
    boolean success,
    RunState status,
    String message,
    Map<String, Object> outputs,
    List<StepOutcome> steps,
    ErrorInfo error,
    boolean dryRun,
    Instant startedAt,
    Instant finishedAt) {

  /**
   * Copies the outputs and steps (null becomes empty), so the result is immutable.
   *
   * @param runId the run's id
   * @param workflow the workflow's name
   * @param version the workflow's version
   * @param success whether the run COMPLETED
   * @param status how the run ended
   * @param message one line for a person
   * @param outputs the workflow's outputs (never secrets)
   * @param steps every step, in order
   * @param error what went wrong, or null on success
   * @param dryRun whether this was a dry run
   * @param startedAt when the run started
   * @param finishedAt when it ended
   */
  public WorkflowResult {
    outputs =
        outputs == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /**
   * The outcome of the step named {@code name}.
   *
   * @param name a step's name
   * @return its outcome, or empty when the workflow has no such step
   */
  public java.util.Optional<StepOutcome> step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * The output {@code name}, cast to {@code type}, or null.
   *
   * @param <T> the type expected
   * @param name the output's name
   * @param type the class of the type expected
   * @return the output, or null when there is none
   */
  public <T> T output(String name, Class<T> type) {
    return Json.mapper().convertValue(outputs.get(name), type);
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
  public static WorkflowResult fromJson(String json) {
    return Json.mapper().readValue(json, WorkflowResult.class);
  }
}
