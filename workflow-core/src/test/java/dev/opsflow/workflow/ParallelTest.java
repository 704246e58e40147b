package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Key<List<String>> HOSTS = (Key) Key.of("hosts", List.class);

  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Key<List<Object>> LENGTHS = (Key) Key.of("lengths", List.class);

  final WorkflowEngine engine = WorkflowEngine.builder().build();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();

  @AfterEach
  void close() {
    engine.close();
  }

  private Workflow overHosts(int maxParallel, Parallel.ItemAction<String, Object> work) {
    return Workflow.builder("fan-out")
        .input(Input.required(HOSTS))
        .parallel(
            Parallel.over("probe", HOSTS, String.class)
                .maxParallel(maxParallel)
                .each(work)
                .collectInto(LENGTHS))
        .step("sum", ctx -> ctx.output("lengths", ctx.require(LENGTHS)))
        .build();
  }

  private Object measured(String host) throws InterruptedException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    Thread.sleep(5);
    inFlight.decrementAndGet();
    return host.length();
  }

  @Test
  void fansOutWithinTheLimitAndFansInResultsInItemOrder() {
    List<String> hosts = IntStream.range(0, 40).mapToObj(i -> "h" + "x".repeat(i % 5)).toList();

    WorkflowResult result =
        engine.run(overHosts(4, (ctx, h) -> measured(h)), Map.of("hosts", hosts));

    assertThat(result.success()).isTrue();
    assertThat(maxInFlight.get()).isBetween(2, 4);
    assertThat(result.outputs().get("lengths"))
        .isEqualTo(hosts.stream().map(String::length).toList());
  }

  @Test
  void aFailedItemFailsTheGroupNamingItAndStartsNoNewItems() {
    List<String> hosts = IntStream.range(0, 50).mapToObj(i -> "host" + i).toList();
    var started = new AtomicInteger();

    WorkflowResult result =
        engine.run(
            overHosts(
                1,
                (ctx, h) -> {
                  started.incrementAndGet();
                  if (h.equals("host3")) {
                    throw new IllegalStateException("BMC unreachable");
                  }
                  return 1;
                }),
            Map.of("hosts", hosts));

    assertThat(result.status()).isEqualTo(RunState.FAILED);
    assertThat(result.error().step()).isEqualTo("probe");
    assertThat(result.error().message()).contains("item 3 (host3)").contains("BMC unreachable");
    assertThat(started).hasValue(4);
  }

  @Test
  void eachItemIsRetriedOnItsOwn() {
    var attempts = new java.util.concurrent.ConcurrentHashMap<String, AtomicInteger>();
    var wf =
        Workflow.builder("retry-items")
            .input(Input.required(HOSTS))
            .parallel(
                Parallel.over("probe", HOSTS, String.class)
                    .maxParallel(3)
                    .each(
                        (ctx, h) -> {
                          if (attempts
                                  .computeIfAbsent(h, k -> new AtomicInteger())
                                  .incrementAndGet()
                              < 2) {
                            throw new java.io.IOException("transient " + h);
                          }
                          return h;
                        }),
                StepOptions.defaults()
                    .withRetry(
                        Retries.exponential(
                            3, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2))))
            .build();

    WorkflowResult result = engine.run(wf, Map.of("hosts", List.of("a", "b", "c")));

    assertThat(result.success()).isTrue();
    assertThat(attempts.values()).allSatisfy(a -> assertThat(a).hasValue(2));
  }

  @Test
  void aWorkflowCanRunPerItem() {
    var perHost =
        Workflow.builder("per-host")
            .step("configure", ctx -> ctx.output("configured-" + ctx.item(), true))
            .build();
    var wf =
        Workflow.builder("fleet")
            .input(Input.required(HOSTS))
            .parallel(
                Parallel.over("configure-all", HOSTS, String.class)
                    .maxParallel(2)
                    .eachWorkflow(perHost)
                    .collectInto(LENGTHS))
            .build();

    WorkflowResult result = engine.run(wf, Map.of("hosts", List.of("a", "b")));

    assertThat(result.success()).isTrue();
    assertThat(result.outputs())
        .containsEntry("configured-a", true)
        .containsEntry("configured-b", true);
    assertThat(result.steps())
        .extracting(StepOutcome::name)
        .contains("configure-all[a]/configure", "configure-all[b]/configure");
  }
}
