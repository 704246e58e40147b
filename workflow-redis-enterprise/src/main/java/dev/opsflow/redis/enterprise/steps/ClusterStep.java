package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The base of the Redis Enterprise steps: a name and the {@link ClusterClientFactory} that gives
 * each execution its client. Subclasses are stateless; per-run state goes in the context under
 * {@link RedisEnterpriseKeys}.
 */
public abstract class ClusterStep implements Step {
  /** The default limit of a wait when {@link RedisEnterpriseKeys#WAIT_TIMEOUT} is not set. */
  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(10);

  private final String name;
  private final ClusterClientFactory clients;

  /**
   * A step named {@code name} that gets its cluster client from {@code clients}.
   *
   * @param name the step's name
   * @param clients how the step gets the client of the run's cluster
   */
  protected ClusterStep(String name, ClusterClientFactory clients) {
    this.name = Objects.requireNonNull(name, "name must not be null");
    this.clients = Objects.requireNonNull(clients, "clients must not be null");
  }

  @Override
  public final String name() {
    return name;
  }

  /**
   * The client for this run's cluster.
   *
   * @param ctx the step's context
   * @return the client
   */
  protected RedisEnterpriseClient client(StepContext ctx) {
    return clients.client(ctx);
  }

  /**
   * The wait limit of this run.
   *
   * @param ctx the step's context
   * @return the {@code waitTimeout} input, or its default
   */
  protected static Duration waitTimeout(StepContext ctx) {
    return ctx.get(RedisEnterpriseKeys.WAIT_TIMEOUT).orElse(DEFAULT_WAIT);
  }

  /**
   * The database a uid or a name refers to.
   *
   * @param client the client of the cluster
   * @param ref the database's uid or name
   * @param input the input the reference came from, for the message
   * @return the database
   * @throws WorkflowException VALIDATION naming the reference when there is none
   */
  protected static dev.opsflow.redis.enterprise.client.Database resolveDatabase(
      RedisEnterpriseClient client, String ref, String input) {
    String trimmed = ref.trim();
    var all = client.databases();
    return all.stream()
        .filter(d -> trimmed.equals(d.name()) || trimmed.equals(Integer.toString(d.uid())))
        .findFirst()
        .orElseThrow(
            () ->
                new dev.opsflow.workflow.ValidationException(
                    input
                        + " '"
                        + trimmed
                        + "' names no database of "
                        + client.baseUri()
                        + "; expected a uid or a name among "
                        + all.stream().map(d -> d.uid() + " (" + d.name() + ")").toList()));
  }

  /**
   * Whether the run asked to skip the database.
   *
   * @param ctx the step's context
   * @return true when the run was asked to skip the database
   */
  protected static boolean skipDatabase(StepContext ctx) {
    return ctx.get(RedisEnterpriseKeys.SKIP_DATABASE).orElse(false);
  }

  /**
   * Whether the node was bootstrapped before this run (as the inspection found it).
   *
   * @param ctx the step's context
   * @return true when the node was bootstrapped before the run
   */
  protected static boolean bootstrappedBefore(StepContext ctx) {
    return ctx.get(RedisEnterpriseKeys.BOOTSTRAP_STATE).map("completed"::equals).orElse(false);
  }

  /**
   * {@code error} with recovery steps for a failure after the cluster was bootstrapped: the cluster
   * itself is usable, so a re-run continues where this one stopped.
   *
   * @param ctx the step's context
   * @param error the failure
   * @param specific the recovery steps for this failure
   * @return the failure with the recovery steps as suggestions
   */
  protected static WorkflowException afterBootstrap(
      StepContext ctx, Throwable error, String... specific) {
    WorkflowException classified = Retries.classify(error);
    var suggestions = new ArrayList<String>(List.of(specific));
    suggestions.add(
        "the cluster at "
            + ctx.get(RedisEnterpriseKeys.URL).orElse("?")
            + " is bootstrapped and kept: once the cause is fixed, run the workflow again; it skips"
            + " the work already done (bootstrap, an existing database) and continues");
    return classified.withSuggestions(suggestions);
  }
}
