package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.event.RunAttributeSource;
import dev.opsflow.workflow.event.WorkflowListener;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine's {@link RunAttributeSource}s took from the thread that asked for a run ({@code
 * engine.run}, {@code start}, {@code resume}, {@code recover}, {@code Batch.start}), handed to each
 * source again when the run starts on the engine's threads. A batch takes it once, as it is
 * started, and starts every item {@link #during} it, so the items' runs see the batch's caller, not
 * the engine thread that happens to start them. Immutable.
 */
public final class CallerContext {
  private static final Logger LOG = LoggerFactory.getLogger("dev.opsflow.workflow.engine");

  /** Nothing taken: the run's sources see a null caller. */
  static final CallerContext NONE = new CallerContext(Map.of());

  private static final ThreadLocal<CallerContext> ENTERED = new ThreadLocal<>();

  private final Map<RunAttributeSource, Object> values;

  private CallerContext(Map<RunAttributeSource, Object> values) {
    this.values = values;
  }

  /**
   * Takes the calling thread's context from every source among {@code listeners}; inside {@link
   * #during}, the context entered there instead.
   */
  public static CallerContext capture(List<WorkflowListener> listeners) {
    CallerContext entered = ENTERED.get();
    if (entered != null) {
      return entered;
    }
    Map<RunAttributeSource, Object> values = null;
    for (WorkflowListener l : listeners) {
      if (l instanceof RunAttributeSource source) {
        try {
          Object value = source.captureCaller();
          if (value != null) {
            if (values == null) {
              values = new IdentityHashMap<>();
            }
            values.put(source, value);
          }
        } catch (RuntimeException | LinkageError e) {
          LOG.warn(
              "attribute source {} threw while taking its caller's context; its runs start without"
                  + " it",
              l.getClass().getName(),
              e);
        }
      }
    }
    return values == null ? NONE : new CallerContext(values);
  }

  /** What {@code source} took, or null. */
  Object of(RunAttributeSource source) {
    return values.get(source);
  }

  /** Calls {@code action} with this context standing for the caller of every run it starts. */
  public <T> T during(Supplier<T> action) {
    CallerContext outer = ENTERED.get();
    ENTERED.set(this);
    try {
      return action.get();
    } finally {
      if (outer == null) {
        ENTERED.remove();
      } else {
        ENTERED.set(outer);
      }
    }
  }
}
