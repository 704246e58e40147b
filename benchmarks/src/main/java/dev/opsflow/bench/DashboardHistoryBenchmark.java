package dev.opsflow.bench;

import dev.opsflow.dashboard.Dashboard;
import dev.opsflow.dashboard.DashboardServer;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dashboard's history with {@value #RUNS} finished runs in the store (5 steps and a 12-event
 * journal each; every 10th FAILED), over HTTP on loopback: the API's first page of 50, a page deep
 * in the history (after run 9,000, by cursor), a page filtered by state, and the history page as a
 * browser loads it (the HTML, the workflow list for the filter, the first page). Baselines in the
 * same run: a static file over the same server (the HTTP floor), and the store's unpaged query of
 * every run (what a history without paging costs per request; before paging, the file store read
 * every run file for any query).
 *
 * <p>The file store is {@code opsflow-dashboard-history-10000} under {@code -Dopsflow.bench.dir}
 * (default {@code java.io.tmpdir}), filled by the first fork and kept (delete it to refill).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DashboardHistoryBenchmark {
  static final int RUNS = 10_000;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Param({"file", "memory"})
  public String store;

  Path dir;
  ExecutionStore executionStore;
  WorkflowEngine engine;
  DashboardServer dashboard;
  HttpClient http;
  String deepCursorQuery;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (store.equals("file")) {
      // Filled once (two fsyncs a run) and kept for the next forks and runs: JMH forks a JVM per
      // benchmark. Delete the directory to fill it again.
      Path base =
          Path.of(System.getProperty("opsflow.bench.dir", System.getProperty("java.io.tmpdir")));
      dir = base.resolve("opsflow-dashboard-history-" + RUNS);
      Path filled = dir.resolve("filled.txt");
      boolean ready = Files.exists(filled);
      executionStore = FileExecutionStore.open(dir);
      if (!ready) {
        fill(executionStore);
        Files.writeString(filled, RUNS + " finished runs\n");
      }
    } else {
      executionStore = new InMemoryExecutionStore();
      fill(executionStore);
    }
    engine = WorkflowEngine.builder().store(executionStore).build();
    var registry = new WorkflowRegistry();
    registry.register(
        () ->
            Workflow.builder("provision-server")
                .step("bootstrap", ctx -> {})
                .step("join", ctx -> {})
                .build());
    dashboard = Dashboard.builder(engine, registry).port(0).start();
    http = HttpClient.newHttpClient();
    // The cursor of the 9,000th newest run: the page after it is the 9,001st to 9,050th.
    RunRecord at = executionStore.query(RunQuery.all().withLimit(9_000)).get(8_999);
    deepCursorQuery = "/api/runs?limit=50&after=" + cursor(at);
  }

  private static String cursor(RunRecord r) {
    String plain = r.createdAt() + "|" + r.runId();
    return URLEncoder.encode(
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(plain.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  /** {@value #RUNS} finished runs, created one second apart, on 4 threads. */
  private static void fill(ExecutionStore s) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      var futures = new ArrayList<java.util.concurrent.Future<?>>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = first; i < RUNS; i += 4) {
                    finished(s, i);
                  }
                }));
      }
      for (var f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void finished(ExecutionStore s, int i) {
    Instant created = T0.plusSeconds(i);
    Instant ended = created.plusSeconds(7);
    RunRecord run =
        s.create(StoreBenchmarkData.newRun(String.format("run-%05d", i), created)).run();
    RunState state = i % 10 == 9 ? RunState.FAILED : RunState.COMPLETED;
    var steps = new ArrayList<StepOutcome>();
    var events = new ArrayList<WorkflowEvent>();
    long seq = 0;
    events.add(
        new WorkflowEvent.RunStarted(
            run.runId(), ++seq, created, run.workflow(), 1, 5, false, false));
    for (String step : StoreBenchmarkData.STEPS) {
      steps.add(
          new StepOutcome(step, StepStatus.COMPLETED, 1, 1200, created, ended, null, null, null));
      events.add(new WorkflowEvent.StepStarted(run.runId(), ++seq, created, step, 1));
      events.add(new WorkflowEvent.StepSucceeded(run.runId(), ++seq, ended, step, 1, 1200));
    }
    events.add(new WorkflowEvent.RunFinished(run.runId(), ++seq, ended, state, "done"));
    var result =
        new WorkflowResult(
            run.runId(),
            run.workflow(),
            1,
            state == RunState.COMPLETED,
            state,
            "done",
            run.outputs(),
            steps,
            null,
            false,
            created,
            ended);
    s.commit(
        run.withProgress(state, steps, run.context(), run.outputs(), result, ended)
            .withLease(null, null),
        events);
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(dashboard.url() + path.substring(1))).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  @Benchmark
  public String apiFirstPage() throws Exception {
    return get("/api/runs?limit=50");
  }

  @Benchmark
  public String apiDeepPage() throws Exception {
    return get(deepCursorQuery);
  }

  @Benchmark
  public String apiFailedFilter() throws Exception {
    return get("/api/runs?limit=50&state=FAILED");
  }

  @Benchmark
  public int historyPageLoad() throws Exception {
    return get("/history").length()
        + get("/api/workflows").length()
        + get("/api/runs?limit=50").length();
  }

  @Benchmark
  public String baselineStaticFile() throws Exception {
    return get("/assets/app.css");
  }

  @Benchmark
  public int baselineUnpagedQuery() {
    return executionStore.query(RunQuery.all().withLimit(RUNS)).size();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    dashboard.close();
    engine.close();
  }

  /** For a quick look without JMH: the sizes of what each benchmark reads. */
  public static void main(String[] args) throws Exception {
    var b = new DashboardHistoryBenchmark();
    b.store = args.length > 0 ? args[0] : "memory";
    b.setUp();
    try {
      System.out.println(
          List.of(b.apiFirstPage().length(), b.apiDeepPage().length(), b.baselineUnpagedQuery()));
    } finally {
      b.tearDown();
    }
  }
}
