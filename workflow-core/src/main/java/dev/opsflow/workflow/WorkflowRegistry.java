package dev.opsflow.workflow;

import dev.opsflow.workflow.internal.InputBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Workflows by name, so a host application or a CLI can list them and run one with string {@code
 * key=value} arguments, converted to the declared input types (a bad value is a {@link
 * ValidationException} naming the input and what it expects). Thread-safe.
 */
public final class WorkflowRegistry {
  /**
   * What a CLI shows about one input.
   *
   * @param name the input's (or workflow's) name
   * @param type the input's type, as a simple class name
   * @param required whether it must be given
   * @param defaultValue its default as text, or null
   * @param secret whether it is a secret
   * @param description what it is, or null
   * @param expects what its check expects, or null
   */
  public record ParameterSpec(
      String name,
      String type,
      boolean required,
      String defaultValue,
      boolean secret,
      String description,
      String expects) {}

  /**
   * What a CLI shows about one workflow.
   *
   * @param name the input's (or workflow's) name
   * @param description what it is, or null
   * @param parameters the workflow's inputs, in declaration order
   */
  public record WorkflowInfo(String name, String description, List<ParameterSpec> parameters) {}

  private final Map<String, Supplier<Workflow>> factories = new ConcurrentHashMap<>();

  /**
   * Registers a workflow factory under the name of the workflow it builds.
   *
   * @param factory builds a new definition of the workflow on each call
   * @return this registry
   * @throws IllegalArgumentException if that name is taken
   */
  public WorkflowRegistry register(Supplier<Workflow> factory) {
    Workflow sample = Objects.requireNonNull(factory, "factory must not be null").get();
    return register(sample.name(), factory);
  }

  /**
   * Registers a workflow factory under {@code name}.
   *
   * @param name the name to register it under
   * @param factory builds a new definition of the workflow on each call
   * @return this registry
   * @throws IllegalArgumentException if the name is taken
   */
  public WorkflowRegistry register(String name, Supplier<Workflow> factory) {
    Objects.requireNonNull(factory, "factory must not be null");
    if (factories.putIfAbsent(name, factory) != null) {
      throw new IllegalArgumentException("a workflow named '" + name + "' is registered already");
    }
    return this;
  }

  /** {@return the registered names, sorted} */
  public List<String> names() {
    return new TreeMap<>(factories).keySet().stream().toList();
  }

  /**
   * A new definition of the workflow {@code name}.
   *
   * @param name a registered name
   * @return a new definition from its factory, or empty for an unknown name
   */
  public Optional<Workflow> get(String name) {
    return Optional.ofNullable(factories.get(name)).map(Supplier::get);
  }

  /** {@return every workflow with its parameters, sorted by name} */
  public List<WorkflowInfo> describe() {
    return names().stream().map(n -> info(get(n).orElseThrow())).toList();
  }

  private static WorkflowInfo info(Workflow wf) {
    var params =
        wf.inputs().values().stream()
            .map(
                i ->
                    new ParameterSpec(
                        i.name(),
                        i.key().type().getSimpleName(),
                        i.required(),
                        i.defaultValue() == null ? null : String.valueOf(i.defaultValue()),
                        i.secret(),
                        i.description(),
                        InputBinder.expectation(i)))
            .toList();
    return new WorkflowInfo(wf.name(), wf.description(), params);
  }

  /**
   * Runs the workflow {@code name} with string arguments.
   *
   * @param engine the engine to run it on
   * @param name a registered name
   * @param args the inputs as strings ({@code name=value} from a command line), converted to the
   *     inputs' types
   * @param options the run's options
   * @return how the run ended
   * @throws ValidationException for an unknown name or a bad argument; nothing ran
   */
  public WorkflowResult run(
      WorkflowEngine engine, String name, Map<String, String> args, RunOptions options) {
    return engine.run(definition(name), args, options);
  }

  /**
   * Starts the workflow {@code name} with string arguments.
   *
   * @param engine the engine to start it on
   * @param name a registered name
   * @param args the inputs as strings ({@code name=value} from a command line), converted to the
   *     inputs' types
   * @param options the run's options
   * @return a handle to await, watch or cancel the run
   * @throws ValidationException for an unknown name or a bad argument; nothing ran
   */
  public WorkflowRun start(
      WorkflowEngine engine, String name, Map<String, String> args, RunOptions options) {
    return engine.start(definition(name), args, options);
  }

  private Workflow definition(String name) {
    return get(name)
        .orElseThrow(
            () ->
                new ValidationException(
                    "unknown workflow '" + name + "': registered are " + names()));
  }

  /** An empty registry. */
  public WorkflowRegistry() {}
}
