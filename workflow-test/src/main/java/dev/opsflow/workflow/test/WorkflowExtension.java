package dev.opsflow.workflow.test;

import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.SecretResolver;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import dev.opsflow.workflow.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives a test what it needs to run workflows, as parameters of its test
 * methods (or of {@code @BeforeEach}, {@code @BeforeAll} or the constructor):
 *
 * <ul>
 *   <li>{@link WorkflowEngine}: an engine on a {@link ManualClock} (its clock and sleeper), with a
 *       fresh store and an {@link EventLog} as listener, so a step that waits 30 minutes takes
 *       milliseconds;
 *   <li>{@link ManualClock}, {@link ExecutionStore}, {@link EventLog}: the engine's;
 *   <li>the simulators of the adapters on the test's class path: {@code RedisEnterpriseSimulator},
 *       {@code RedisCloudSimulator}, {@code MaasSimulator}, {@code RedfishSimulator}, started on
 *       the same manual clock.
 * </ul>
 *
 * <p>Everything lives as long as the scope that first asked for it: asked by a test method, it is
 * created for that test and closed after it (engine closed, simulators stopped, file store's
 * directory deleted); asked by {@code @BeforeAll}, it is shared by the class's tests and closed
 * after them.
 *
 * <pre>{@code
 * @ExtendWith(WorkflowExtension.class)
 * class CreateDatabaseTest {
 *   @Test
 *   void createsOnce(WorkflowEngine engine, RedisEnterpriseSimulator cluster) { ... }
 * }
 *
 * // or, configured:
 * @RegisterExtension
 * static final WorkflowExtension opsflow = WorkflowExtension.durable().withListener(metrics);
 * }</pre>
 *
 * <p>Thread-safe as JUnit requires; an extension instance is immutable.
 */
public final class WorkflowExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(WorkflowExtension.class);

  private final boolean durable;
  private final List<WorkflowListener> listeners;
  private final SecretResolver secrets;

  /** An extension whose engines keep runs in memory (what {@code @ExtendWith} creates). */
  public WorkflowExtension() {
    this(false, List.of(), SecretResolver.none());
  }

  private WorkflowExtension(
      boolean durable, List<WorkflowListener> listeners, SecretResolver secrets) {
    this.durable = durable;
    this.listeners = List.copyOf(listeners);
    this.secrets = secrets;
  }

  /**
   * An extension whose engines keep runs in a {@link FileExecutionStore} in a fresh temporary
   * directory: for resumes, compliance-sensitive workflows (they need a durable journal) and
   * history.
   *
   * @return the extension, to register with {@code @RegisterExtension}
   */
  public static WorkflowExtension durable() {
    return new WorkflowExtension(true, List.of(), SecretResolver.none());
  }

  /**
   * A copy whose engines also deliver events to {@code listener}.
   *
   * @param listener told about every run of the engines the extension makes
   * @return the copy
   */
  public WorkflowExtension withListener(WorkflowListener listener) {
    var more = new ArrayList<>(listeners);
    more.add(Objects.requireNonNull(listener, "listener must not be null"));
    return new WorkflowExtension(durable, more, secrets);
  }

  /**
   * A copy whose engines give resumed runs their secrets from {@code resolver}.
   *
   * @param resolver gives resumed runs their secret inputs
   * @return the copy
   */
  public WorkflowExtension withSecretResolver(SecretResolver resolver) {
    return new WorkflowExtension(
        durable, listeners, Objects.requireNonNull(resolver, "resolver must not be null"));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == WorkflowEngine.class
        || type == ManualClock.class
        || type == ExecutionStore.class
        || type == EventLog.class
        || Simulators.isSimulator(type);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    TestEnvironment env = environment(context);
    if (type == WorkflowEngine.class) {
      return env.engine();
    }
    if (type == ManualClock.class) {
      return env.clock();
    }
    if (type == ExecutionStore.class) {
      return env.engine().store();
    }
    if (type == EventLog.class) {
      return env.events();
    }
    try {
      return context
          .getStore(NS)
          .getOrComputeIfAbsent(
              type, t -> Simulators.start(type, env.clock()), AutoCloseable.class);
    } catch (RuntimeException | LinkageError e) {
      throw new ParameterResolutionException(
          "cannot start " + type.getSimpleName() + " for " + context.getDisplayName() + ": " + e,
          e);
    }
  }

  private TestEnvironment environment(ExtensionContext context) {
    return context
        .getStore(NS)
        .getOrComputeIfAbsent(
            TestEnvironment.class,
            k ->
                TestEnvironment.create(
                    durable ? null : new InMemoryExecutionStore(), listeners, secrets),
            TestEnvironment.class);
  }
}
