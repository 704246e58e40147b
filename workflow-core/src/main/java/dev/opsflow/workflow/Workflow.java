package dev.opsflow.workflow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable workflow definition: a name, a version, declared inputs and ordered steps, each with
 * its {@link StepOptions}. Build one with {@link #builder(String)}; run it with a {@link
 * WorkflowEngine}. One definition serves any number of concurrent runs. Thread-safe.
 */
public final class Workflow {
  private final String name;
  private final int version;
  private final String description;
  private final Map<String, Input<?>> inputs;
  private final List<Node> nodes;
  private final List<String> stepNames;
  private final Compliance compliance;

  /**
   * A step of the workflow with its options.
   *
   * @param step the step
   * @param options its retry, timeout and condition
   */
  public record Node(Step step, StepOptions options) {}

  private Workflow(Builder b) {
    this.name = b.name;
    this.version = b.version;
    this.description = b.description;
    this.inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.inputs));
    this.nodes = List.copyOf(b.nodes);
    this.stepNames = nodes.stream().map(n -> n.step().name()).toList();
    this.compliance = b.compliance;
  }

  /**
   * A builder for a workflow named {@code name}.
   *
   * @param name the workflow's name: how runs, results and the store name it
   * @return a builder for the workflow
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** {@return the workflow's name} */
  public String name() {
    return name;
  }

  /**
   * {@return the definition's version; a resumed run checks it (see {@link WorkflowEngine#resume})}
   */
  public int version() {
    return version;
  }

  /** {@return what the workflow does} */
  public String description() {
    return description;
  }

  /** {@return the declared inputs, by name, in declaration order} */
  public Map<String, Input<?>> inputs() {
    return inputs;
  }

  /** {@return the steps in order, with their options} */
  public List<Node> nodes() {
    return nodes;
  }

  /** {@return the names of the steps, in order} */
  public List<String> stepNames() {
    return stepNames;
  }

  /** {@return the workflow's compliance marking, if it is compliance-sensitive} */
  public Optional<Compliance> compliance() {
    return Optional.ofNullable(compliance);
  }

  /**
   * The node whose step is named {@code stepName}.
   *
   * @param stepName a step's name
   * @return the step's node in the workflow's tree, or empty when no step has that name
   */
  public Optional<Node> node(String stepName) {
    return nodes.stream().filter(n -> n.step().name().equals(stepName)).findFirst();
  }

  @Override
  public String toString() {
    return "Workflow[" + name + " v" + version + ", steps=" + stepNames() + "]";
  }

  /** Builds a {@link Workflow}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private int version = 1;
    private String description = "";
    private final Map<String, Input<?>> inputs = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private Compliance compliance;

    private Builder(String name) {
      if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_.\\-]*")) {
        throw new IllegalArgumentException(
            "workflow name '"
                + name
                + "' must start with a letter and hold letters, digits, _ . -");
      }
      this.name = name;
    }

    /**
     * The definition's version (default 1). Raise it when steps change incompatibly.
     *
     * @param v the version, from 1
     * @return this builder
     */
    public Builder version(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("version must be >= 1, was " + v);
      }
      this.version = v;
      return this;
    }

    /**
     * What the workflow does.
     *
     * @param text a sentence or two, shown in help texts and the dashboard
     * @return this builder
     */
    public Builder description(String text) {
      this.description = Objects.requireNonNull(text, "description must not be null");
      return this;
    }

    /**
     * Marks the workflow compliance-sensitive: every run records the marking, and one that needs an
     * audit runs only on a durable store (see {@link Compliance}).
     *
     * @param marking the category and whether an audit is required
     * @return this builder
     */
    public Builder compliance(Compliance marking) {
      this.compliance = Objects.requireNonNull(marking, "compliance must not be null");
      return this;
    }

    /**
     * Declares an input.
     *
     * @param input the input, with its key, default and check
     * @return this builder
     */
    public Builder input(Input<?> input) {
      if (inputs.putIfAbsent(input.name(), input) != null) {
        throw new IllegalArgumentException("input '" + input.name() + "' is declared twice");
      }
      return this;
    }

    /**
     * Adds a step with default options.
     *
     * @param step the step to add after the others
     * @return this builder
     */
    public Builder step(Step step) {
      return step(step, StepOptions.defaults());
    }

    /**
     * Adds a step with options.
     *
     * @param step the step to add after the others
     * @param options its retry, timeout and condition
     * @return this builder
     */
    public Builder step(Step step, StepOptions options) {
      Objects.requireNonNull(step, "step must not be null");
      Objects.requireNonNull(options, "options must not be null");
      nodes.add(new Node(step, options));
      return this;
    }

    /**
     * Adds a step from a lambda.
     *
     * @param stepName the step's name, unique within the workflow
     * @param action the step's work
     * @return this builder
     */
    public Builder step(String stepName, StepAction action) {
      return step(Step.of(stepName, action));
    }

    /**
     * Adds a step from a lambda, with options.
     *
     * @param stepName the step's name, unique within the workflow
     * @param action the step's work
     * @param options its retry, timeout and condition
     * @return this builder
     */
    public Builder step(String stepName, StepAction action, StepOptions options) {
      return step(Step.of(stepName, action), options);
    }

    /**
     * Adds a parallel group (fan-out over items, fan-in of their results).
     *
     * @param group the group, with its items and work
     * @return this builder
     */
    public Builder parallel(Parallel<?, ?> group) {
      return step(group, StepOptions.defaults());
    }

    /**
     * Adds a parallel group with options; the retry and timeout apply to each item.
     *
     * @param group the group, with its items and work
     * @param options the retry and timeout of each item, and the group's condition
     * @return this builder
     */
    public Builder parallel(Parallel<?, ?> group, StepOptions options) {
      return step(group, options);
    }

    /**
     * Adds another workflow as one step. Its steps run in this run, sharing its context; its
     * compensations join this run's rollback.
     *
     * @param stepName the name of the step that stands for the child in this workflow
     * @param child the workflow to run as one step
     * @return this builder
     */
    public Builder subWorkflow(String stepName, Workflow child) {
      return step(new SubWorkflow(stepName, child), StepOptions.defaults());
    }

    /**
     * Builds the workflow.
     *
     * @return the workflow, immutable
     * @throws IllegalStateException if there is no step or two steps share a name
     */
    public Workflow build() {
      if (nodes.isEmpty()) {
        throw new IllegalStateException("workflow '" + name + "' has no step");
      }
      var seen = new HashSet<String>();
      for (Node n : nodes) {
        if (!seen.add(n.step().name())) {
          throw new IllegalStateException(
              "workflow '" + name + "' has two steps named '" + n.step().name() + "'");
        }
      }
      return new Workflow(this);
    }
  }
}
