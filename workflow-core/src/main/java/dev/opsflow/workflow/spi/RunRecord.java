package dev.opsflow.workflow.spi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.WorkflowResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run as an {@link ExecutionStore} keeps it: enough to report on it and to resume it. Never holds
 * a secret: secret inputs are left out and given again by a {@link SecretResolver} on resume.
 * Immutable; a store returns a new record for each change.
 *
 * @param runId the run's id
 * @param workflow the workflow's name
 * @param workflowVersion the definition's version
 * @param stepNames the definition's step names, to detect an incompatible change on resume
 * @param idempotencyKey the key, or null
 * @param state the run's state
 * @param dryRun whether it is a dry run
 * @param rollbackOnFailure whether compensations run on failure
 * @param timeout the whole run's limit, or null
 * @param inputs the inputs, secrets left out, as JSON-compatible values
 * @param context the context, secrets left out, as JSON-compatible values
 * @param outputs the outputs so far
 * @param steps one outcome per step of the definition, in order (nested steps appended)
 * @param result the result, once finished
 * @param owner the engine instance that runs it now, or null
 * @param leaseUntil until when the owner holds it
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param version the optimistic-locking version, from 1, raised by every save
 * @param attributes small string values kept with the run and given back when it resumes: the
 *     workflow's compliance marking, a trace context (see {@link
 *     dev.opsflow.workflow.event.RunAttributeSource}); never a secret
 */
public record RunRecord(
    String runId,
    String workflow,
    int workflowVersion,
    List<String> stepNames,
    String idempotencyKey,
    RunState state,
    boolean dryRun,
    boolean rollbackOnFailure,
    Duration timeout,
    Map<String, Object> inputs,
    Map<String, Object> context,
    Map<String, Object> outputs,
    List<StepOutcome> steps,
    WorkflowResult result,
    String owner,
    Instant leaseUntil,
    Instant createdAt,
    Instant updatedAt,
    long version,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> attributes) {

  /**
   * Normalises the collections (null: empty) and copies the lists and the attributes (sorted by
   * name, so a stored record reads the same every time).
   *
   * @param runId the run's id
   * @param workflow the workflow's name
   * @param workflowVersion the definition's version
   * @param stepNames the definition's step names, to detect an incompatible change on resume
   * @param idempotencyKey the key, or null
   * @param state the run's state
   * @param dryRun whether it is a dry run
   * @param rollbackOnFailure whether compensations run on failure
   * @param timeout the whole run's limit, or null
   * @param inputs the inputs, secrets left out, as JSON-compatible values
   * @param context the context, secrets left out, as JSON-compatible values
   * @param outputs the outputs so far
   * @param steps one outcome per step of the definition, in order (nested steps appended)
   * @param result the result, once finished
   * @param owner the engine instance that runs it now, or null
   * @param leaseUntil until when the owner holds it
   * @param createdAt when it was created
   * @param updatedAt when it last changed
   * @param version the optimistic-locking version, from 1, raised by every save
   * @param attributes small string values kept with the run and given back when it resumes: the
   *     workflow's compliance marking, a trace context (see {@link
   *     dev.opsflow.workflow.event.RunAttributeSource}); never a secret
   * @throws NullPointerException if an attribute's name or value is null
   */
  public RunRecord {
    stepNames = stepNames == null ? List.of() : List.copyOf(stepNames);
    attributes =
        attributes == null || attributes.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(attributes)));
    inputs = inputs == null ? Map.of() : inputs;
    context = context == null ? Map.of() : context;
    outputs = outputs == null ? Map.of() : outputs;
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /**
   * A record without attributes (the form stores and tests wrote before attributes existed).
   *
   * @param runId the run's id
   * @param workflow the workflow's name
   * @param workflowVersion the definition's version
   * @param stepNames the definition's step names, to detect an incompatible change on resume
   * @param idempotencyKey the key, or null
   * @param state the run's state
   * @param dryRun whether it is a dry run
   * @param rollbackOnFailure whether compensations run on failure
   * @param timeout the whole run's limit, or null
   * @param inputs the inputs, secrets left out, as JSON-compatible values
   * @param context the context, secrets left out, as JSON-compatible values
   * @param outputs the outputs so far
   * @param steps one outcome per step of the definition, in order (nested steps appended)
   * @param result the result, once finished
   * @param owner the engine instance that runs it now, or null
   * @param leaseUntil until when the owner holds it
   * @param createdAt when it was created
   * @param updatedAt when it last changed
   * @param version the optimistic-locking version, from 1, raised by every save
   */
  public RunRecord(
      String runId,
      String workflow,
      int workflowVersion,
      List<String> stepNames,
      String idempotencyKey,
      RunState state,
      boolean dryRun,
      boolean rollbackOnFailure,
      Duration timeout,
      Map<String, Object> inputs,
      Map<String, Object> context,
      Map<String, Object> outputs,
      List<StepOutcome> steps,
      WorkflowResult result,
      String owner,
      Instant leaseUntil,
      Instant createdAt,
      Instant updatedAt,
      long version) {
    this(
        runId,
        workflow,
        workflowVersion,
        stepNames,
        idempotencyKey,
        state,
        dryRun,
        rollbackOnFailure,
        timeout,
        inputs,
        context,
        outputs,
        steps,
        result,
        owner,
        leaseUntil,
        createdAt,
        updatedAt,
        version,
        Map.of());
  }

  /**
   * A copy whose attributes are {@code newAttributes}.
   *
   * @param newAttributes the attributes, replacing all of them
   * @return the copy
   */
  public RunRecord withAttributes(Map<String, String> newAttributes) {
    return new RunRecord(
        runId,
        workflow,
        workflowVersion,
        stepNames,
        idempotencyKey,
        state,
        dryRun,
        rollbackOnFailure,
        timeout,
        inputs,
        context,
        outputs,
        steps,
        result,
        owner,
        leaseUntil,
        createdAt,
        updatedAt,
        version,
        newAttributes);
  }

  /**
   * A copy with a new state, steps, context, outputs and result.
   *
   * @param newState the run's state
   * @param newSteps every step's outcome, in order
   * @param newContext the run's context, JSON-compatible, without secrets
   * @param newOutputs the workflow's outputs
   * @param newResult the result, or null while the run goes on
   * @param now the time of the change, by the engine's clock
   * @return the copy
   */
  public RunRecord withProgress(
      RunState newState,
      List<StepOutcome> newSteps,
      Map<String, Object> newContext,
      Map<String, Object> newOutputs,
      WorkflowResult newResult,
      Instant now) {
    return new RunRecord(
        runId,
        workflow,
        workflowVersion,
        stepNames,
        idempotencyKey,
        newState,
        dryRun,
        rollbackOnFailure,
        timeout,
        inputs,
        newContext,
        newOutputs,
        newSteps,
        newResult,
        owner,
        leaseUntil,
        createdAt,
        now,
        version,
        attributes);
  }

  /**
   * A copy held by {@code newOwner} until {@code until} (null, null: released).
   *
   * @param newOwner the engine that holds the run, or null
   * @param until when its lease ends, or null
   * @return the copy
   */
  public RunRecord withLease(String newOwner, Instant until) {
    return new RunRecord(
        runId,
        workflow,
        workflowVersion,
        stepNames,
        idempotencyKey,
        state,
        dryRun,
        rollbackOnFailure,
        timeout,
        inputs,
        context,
        outputs,
        steps,
        result,
        newOwner,
        until,
        createdAt,
        updatedAt,
        version,
        attributes);
  }

  /**
   * A copy with another version number (stores use it when saving).
   *
   * @param newVersion the version number
   * @return the copy
   */
  public RunRecord withVersion(long newVersion) {
    return new RunRecord(
        runId,
        workflow,
        workflowVersion,
        stepNames,
        idempotencyKey,
        state,
        dryRun,
        rollbackOnFailure,
        timeout,
        inputs,
        context,
        outputs,
        steps,
        result,
        owner,
        leaseUntil,
        createdAt,
        updatedAt,
        newVersion,
        attributes);
  }
}
