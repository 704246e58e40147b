package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.BootstrapInfo;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Polls {@code GET /v1/bootstrap} until the bootstrap is {@code completed}, reporting progress;
 * fails at once when it ends in {@code error} (with its {@code error_code} and message), and after
 * {@link RedisEnterpriseKeys#WAIT_TIMEOUT} naming the last state. Skipped when the node was
 * bootstrapped before the run. A {@link PollingStep}: in a started run it holds no thread between
 * polls.
 */
public final class AwaitBootstrapStep extends ClusterStep implements PollingStep {

  /**
   * The step, named {@code await-bootstrap}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public AwaitBootstrapStep(ClusterClientFactory clients) {
    super("await-bootstrap", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return bootstrappedBefore(ctx) ? Optional.of("cluster already bootstrapped") : Optional.empty();
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    var client = client(ctx);
    String what =
        "bootstrap of cluster '"
            + ctx.get(RedisEnterpriseKeys.CLUSTER_NAME).orElse("?")
            + "' at "
            + client.baseUri();
    if (polling.count() == 1) {
      ctx.subTask("Waiting for the " + what);
    }
    var seen = new BootstrapInfo[1];
    try {
      Poll poll =
          Await.<BootstrapInfo>on(ctx, what)
              .every(Duration.ofSeconds(2))
              .backoff(1.5)
              .atMost(Duration.ofSeconds(10))
              .timeout(waitTimeout(ctx))
              .onPoll(
                  info -> {
                    seen[0] = info;
                    ctx.progress(progressOf(info.state()));
                  })
              .failWhen(info -> info.status() != null && info.status().isError())
              .poll(
                  polling,
                  client::bootstrap,
                  info -> info.status() != null && info.status().isCompleted(),
                  info -> info.status() == null ? info.state() : info.status().describe());
      if (poll.isDone()) {
        ctx.put(RedisEnterpriseKeys.BOOTSTRAP_STATE, seen[0].state());
        ctx.progress(100);
      }
      return poll;
    } catch (WorkflowException e) {
      if (e.kind() != ErrorKind.REMOTE_FAILURE) {
        throw e;
      }
      BootstrapInfo last = client.bootstrap();
      var details = new LinkedHashMap<String, Object>(e.details());
      if (last.status() != null && last.status().errorCode() != null) {
        details.put("errorCode", last.status().errorCode());
      }
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          "the "
              + what
              + " ended in "
              + (last.status() == null ? last.state() : last.status().describe()),
          e,
          false,
          details,
          List.of(
              "fix the cause named by the error code (license, paths, memory, time sync),"
                  + " then run init-cluster again: a node in state 'error' may be bootstrapped again"));
    }
  }

  private static int progressOf(String state) {
    return switch (state) {
      case "idle" -> 0;
      case "initiated" -> 10;
      case "completed" -> 100;
      default -> 50;
    };
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait until the bootstrap is completed (GET /v1/bootstrap)";
  }
}
