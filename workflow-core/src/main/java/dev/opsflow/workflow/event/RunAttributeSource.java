package dev.opsflow.workflow.event;

import java.time.Instant;
import java.util.Map;

/**
 * Gives a run attributes as it starts: small string values kept with the run in its store ({@link
 * dev.opsflow.workflow.spi.RunRecord#attributes()}) and shown to the source again when the run
 * resumes, in this JVM or in another one after a crash. A tracing integration keeps the run's trace
 * context this way, so a resumed run continues the trace it began.
 *
 * <p>An engine uses every {@link WorkflowListener} it was given that also implements this
 * interface. It calls {@link #attributes} on the run's thread right before the run's {@code
 * RunStarted} event, for a new run and for each resumption; the attributes are stored with the
 * run's first commit. A source that throws is logged and ignored, and the run goes on. Must be
 * thread-safe: runs start concurrently.
 *
 * <p>A run often executes on another thread than the one that asked for it ({@code engine.start},
 * {@code resume}, {@code recover}, a batch's items). What the source needs from the asking thread
 * (a tracing context, say) it takes in {@link #captureCaller}, which the engine calls on that
 * thread as the run is asked for, and receives back in {@link RunStart#caller()}.
 */
public interface RunAttributeSource {

  /**
   * The attributes to add to the run or to replace in it.
   *
   * @param run the run that starts
   * @return names and values to add or replace, never null (empty: none); never a secret, since
   *     they are stored in clear
   */
  Map<String, String> attributes(RunStart run);

  /**
   * Takes what this source needs from the thread that asks for a run, on that thread, at the moment
   * it asks: in {@code engine.run}, {@code start}, {@code resume} and {@code recover}, and in
   * {@code Batch.start} for all of the batch's items. The value is never stored; it is handed back,
   * on the run's thread, as {@link RunStart#caller()}. A source that throws is logged and ignored.
   *
   * @return the caller's context as this source represents it (an OpenTelemetry {@code Context},
   *     say), or null for nothing; the default takes nothing
   */
  default Object captureCaller() {
    return null;
  }

  /**
   * A run about to start or resume.
   *
   * @param runId the run's id
   * @param workflow the workflow's name
   * @param resumed whether the run resumes (then {@code attributes} holds what was kept before)
   * @param at the time of its {@code RunStarted} event, by the engine's clock
   * @param attributes the run's attributes now (never null; may be empty)
   * @param caller what this source's {@link #captureCaller()} took from the thread that asked for
   *     the run, or null when it took nothing
   */
  record RunStart(
      String runId,
      String workflow,
      boolean resumed,
      Instant at,
      Map<String, String> attributes,
      Object caller) {

    /**
     * A run whose caller's context was not taken.
     *
     * @param runId the run's id
     * @param workflow the workflow's name
     * @param resumed whether the run resumes
     * @param at the time of its {@code RunStarted} event, by the engine's clock
     * @param attributes the run's attributes now (never null; may be empty)
     */
    public RunStart(
        String runId,
        String workflow,
        boolean resumed,
        Instant at,
        Map<String, String> attributes) {
      this(runId, workflow, resumed, at, attributes, null);
    }
  }
}
