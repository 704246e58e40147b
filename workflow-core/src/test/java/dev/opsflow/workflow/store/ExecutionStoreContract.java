package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static dev.opsflow.workflow.store.StoreSamples.events;
import static dev.opsflow.workflow.store.StoreSamples.finished;
import static dev.opsflow.workflow.store.StoreSamples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StaleRunException;
import dev.opsflow.workflow.spi.StoreException;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ExecutionStore} must do. A subclass gives a fresh, empty store per test; the
 * in-memory, file, H2 and PostgreSQL stores all pass it, including an engine resuming a run over
 * the store (context values come back from JSON and are converted to the keys' types).
 */
abstract class ExecutionStoreContract {
  protected ExecutionStore store;

  /** A fresh, empty store. */
  protected abstract ExecutionStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @Test
  void createdRunRoundTripsWithVersionOne() {
    RunRecord r = run("r1", T0);
    var created = store.create(r);
    assertThat(created.created()).isTrue();
    assertThat(created.run()).isEqualTo(r.withVersion(1));
    assertThat(store.find("r1")).contains(r.withVersion(1));
  }

  @Test
  void finishedRunRoundTripsWithItsResultAndInstants() {
    RunRecord r = store.create(run("r1", T0)).run();
    RunRecord done = finished(r, RunState.PARTIAL, T0.plusSeconds(90));
    RunRecord stored = store.commit(done, List.of());
    assertThat(stored).isEqualTo(done.withVersion(2));
    assertThat(store.find("r1")).contains(stored);
    assertThat(store.find("r1").orElseThrow().result().error().details())
        .containsEntry("status", 503);
  }

  @Test
  void unsyncedCreateAndCommitStoreWhatTheSyncedOnesDoAndTheNextCommitFollowsThem() {
    RunRecord r = run("r1", "wf", "key-u", RunState.PENDING, T0);
    var created = store.createUnsynced(r);
    assertThat(created.created()).isTrue();
    assertThat(store.find("r1")).contains(r.withVersion(1));
    assertThat(store.findByIdempotencyKey("key-u")).contains(r.withVersion(1));
    assertThat(store.createUnsynced(run("r2", "wf", "key-u", RunState.PENDING, T0)).created())
        .isFalse();

    RunRecord started = store.commitUnsynced(created.run(), events("r1", 1, T0).subList(0, 1));
    assertThat(started.version()).isEqualTo(2);
    assertThat(store.find("r1")).contains(started);
    assertThatThrownBy(() -> store.commitUnsynced(created.run(), List.of()))
        .isInstanceOf(StaleRunException.class);

    RunRecord step = store.commit(started, events("r1", 1, T0).subList(1, 3));
    assertThat(store.find("r1")).contains(step);
    assertThat(store.events("r1")).hasSize(3);
    assertThatThrownBy(() -> store.createUnsynced(run("r1", T0)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("r1");
  }

  @Test
  void aRunCreatedWithItsFirstEventsKeepsThemAndTheNextCommitFollows() {
    RunRecord r = run("r1", "wf", null, RunState.RUNNING, T0);
    var created = store.createUnsynced(r, events("r1", 1, T0).subList(0, 2));
    assertThat(created.created()).isTrue();
    assertThat(store.find("r1")).contains(created.run());
    assertThat(store.events("r1")).extracting(WorkflowEvent::sequence).containsExactly(1L, 2L);

    RunRecord step = store.commit(created.run(), events("r1", 1, T0).subList(2, 3));
    assertThat(step.version()).isEqualTo(created.run().version() + 1);
    assertThat(store.find("r1")).contains(step);
    assertThat(store.events("r1")).extracting(WorkflowEvent::sequence).containsExactly(1L, 2L, 3L);
    // An id taken: nothing created, no event added to the run that holds it.
    assertThatThrownBy(() -> store.createUnsynced(run("r1", T0), events("r1", 10, T0)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("r1");
    assertThat(store.events("r1")).hasSize(3);
  }

  @Test
  void creatingAnExistingRunIdFails() {
    store.create(run("r1", T0));
    assertThatThrownBy(() -> store.create(run("r1", T0.plusSeconds(1))))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("r1");
  }

  @Test
  void aKeyHeldByALiveRunIsNotTakenAgain() {
    RunRecord first = store.create(run("r1", "wf", "key-1", RunState.RUNNING, T0)).run();
    var second = store.create(run("r2", "wf", "key-1", RunState.PENDING, T0.plusSeconds(1)));
    assertThat(second.created()).isFalse();
    assertThat(second.run()).isEqualTo(first);
    assertThat(store.find("r2")).isEmpty();
    assertThat(store.findByIdempotencyKey("key-1")).contains(first);
  }

  @Test
  void aKeyHeldByACompletedRunReturnsThatRun() {
    RunRecord r = store.create(run("r1", "wf", "key-1", RunState.RUNNING, T0)).run();
    RunRecord done = store.commit(finished(r, RunState.COMPLETED, T0.plusSeconds(5)), List.of());
    var again = store.create(run("r2", "wf", "key-1", RunState.PENDING, T0.plusSeconds(9)));
    assertThat(again.created()).isFalse();
    assertThat(again.run()).isEqualTo(done);
  }

  @Test
  void aKeyHeldByAFailedRunIsTakenOverByTheNewRun() {
    RunRecord r = store.create(run("r1", "wf", "key-1", RunState.RUNNING, T0)).run();
    store.commit(finished(r, RunState.FAILED, T0.plusSeconds(5)), List.of());
    var retry = store.create(run("r2", "wf", "key-1", RunState.PENDING, T0.plusSeconds(9)));
    assertThat(retry.created()).isTrue();
    assertThat(store.findByIdempotencyKey("key-1").map(RunRecord::runId)).contains("r2");
    assertThat(store.find("r1")).isPresent();
  }

  @Test
  void commitRaisesTheVersionAndAppendsEventsInOrder() {
    RunRecord r = store.create(run("r1", T0)).run();
    var firstBatch = events("r1", 1, T0);
    var secondBatch = events("r1", 10, T0.plusSeconds(3));
    RunRecord v2 = store.commit(r, firstBatch);
    RunRecord v3 = store.commit(v2, secondBatch);
    assertThat(v3.version()).isEqualTo(3);
    var all = new ArrayList<>(firstBatch);
    all.addAll(secondBatch);
    assertThat(store.events("r1")).containsExactlyElementsOf(all);
  }

  @Test
  void aCommitOnAMovedVersionIsStaleAndChangesNothing() {
    RunRecord r = store.create(run("r1", T0)).run();
    RunRecord v2 = store.commit(r, events("r1", 1, T0).subList(0, 1));
    assertThatThrownBy(() -> store.commit(r, events("r1", 2, T0)))
        .isInstanceOf(StaleRunException.class)
        .hasMessageContaining("r1")
        .hasMessageContaining("expected version 1, found 2");
    assertThat(store.find("r1")).contains(v2);
    assertThat(store.events("r1")).hasSize(1);
  }

  @Test
  void committingAnUnknownRunFails() {
    assertThatThrownBy(() -> store.commit(run("ghost", T0).withVersion(1), List.of()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("ghost");
  }

  @Test
  void unknownRunsAreEmpty() {
    assertThat(store.find("nope")).isEmpty();
    assertThat(store.findByIdempotencyKey("nope")).isEmpty();
    assertThat(store.events("nope")).isEmpty();
    assertThat(store.claim("nope", "engine-b", T0, Duration.ofSeconds(30))).isEmpty();
  }

  @Test
  void claimTakesAnExpiredLeaseAndRefusesALiveOne() {
    store.create(run("r1", T0));
    Duration lease = Duration.ofSeconds(30);
    assertThat(store.claim("r1", "engine-b", T0.plusSeconds(29), lease)).isEmpty();
    RunRecord claimed = store.claim("r1", "engine-b", T0.plusSeconds(31), lease).orElseThrow();
    assertThat(claimed.owner()).isEqualTo("engine-b");
    assertThat(claimed.leaseUntil()).isEqualTo(T0.plusSeconds(61));
    assertThat(claimed.version()).isEqualTo(2);
    assertThat(store.find("r1")).contains(claimed);
    assertThat(store.claim("r1", "engine-a", T0.plusSeconds(40), lease)).isEmpty();
    assertThat(store.claim("r1", "engine-b", T0.plusSeconds(40), lease)).isPresent();
  }

  @Test
  void aFinishedRunCannotBeClaimed() {
    RunRecord r = store.create(run("r1", T0)).run();
    store.commit(finished(r, RunState.COMPLETED, T0.plusSeconds(1)), List.of());
    assertThat(store.claim("r1", "engine-b", T0.plusSeconds(3600), Duration.ofSeconds(1)))
        .isEmpty();
  }

  @Test
  void aClaimMakesTheOldOwnersCommitStale() {
    RunRecord mine = store.create(run("r1", T0)).run();
    store.claim("r1", "engine-b", T0.plusSeconds(31), Duration.ofSeconds(30)).orElseThrow();
    assertThatThrownBy(() -> store.commit(mine, List.of())).isInstanceOf(StaleRunException.class);
  }

  @Test
  void findExpiredListsUnfinishedRunsWhoseLeaseEndedOldestFirst() {
    store.create(run("late", T0.plusSeconds(2)));
    store.create(run("early", T0));
    store.create(run("live", T0.plusSeconds(100)));
    RunRecord done = store.create(run("done", T0.plusSeconds(1))).run();
    store.commit(finished(done, RunState.COMPLETED, T0.plusSeconds(3)), List.of());
    store.create(
        run("free", "wf", null, RunState.PENDING, T0.plusSeconds(3)).withLease(null, null));
    Instant now = T0.plusSeconds(60);
    assertThat(store.findExpired(now, 10)).containsExactly("early", "late", "free");
    assertThat(store.findExpired(now, 2)).containsExactly("early", "late");
  }

  @Test
  void queryFiltersByWorkflowStateTimeAndKeyNewestFirst() {
    store.create(run("a", "init-cluster", "k-a", RunState.RUNNING, T0));
    store.create(run("b", "init-cluster", "k-b", RunState.PENDING, T0.plusSeconds(10)));
    store.create(run("c", "provision", null, RunState.RUNNING, T0.plusSeconds(20)));
    assertThat(ids(RunQuery.all())).containsExactly("c", "b", "a");
    assertThat(ids(RunQuery.all().withWorkflow("init-cluster"))).containsExactly("b", "a");
    assertThat(ids(RunQuery.all().withState(RunState.RUNNING))).containsExactly("c", "a");
    assertThat(ids(RunQuery.all().createdBetween(T0, T0.plusSeconds(20))))
        .containsExactly("b", "a");
    assertThat(ids(RunQuery.all().createdBetween(T0.plusSeconds(10), null)))
        .containsExactly("c", "b");
    assertThat(ids(RunQuery.all().withIdempotencyKey("k-b"))).containsExactly("b");
    assertThat(ids(RunQuery.all().withLimit(1))).containsExactly("c");
    assertThat(ids(RunQuery.all().withWorkflow("nope"))).isEmpty();
  }

  @Test
  void queryPagesNewestFirstWithACursorTiesOrderedById() {
    store.create(run("a", "wf", null, RunState.RUNNING, T0));
    store.create(run("c", "wf", null, RunState.RUNNING, T0.plusSeconds(10)));
    store.create(run("b", "wf", null, RunState.RUNNING, T0.plusSeconds(10)));
    store.create(run("d", "other", null, RunState.RUNNING, T0.plusSeconds(20)));
    RunQuery page = RunQuery.all().withWorkflow("wf").withLimit(2);

    List<RunRecord> first = store.query(page);
    assertThat(first).extracting(RunRecord::runId).containsExactly("b", "c");
    List<RunRecord> second = store.query(page.after(RunQuery.Cursor.of(first.get(1))));
    assertThat(second).extracting(RunRecord::runId).containsExactly("a");
    assertThat(store.query(page.after(RunQuery.Cursor.of(second.get(0))))).isEmpty();
  }

  @Test
  void queryShowsAStateChangedAfterAnEarlierQuery() {
    RunRecord a = store.create(run("a", "wf", null, RunState.RUNNING, T0)).run();
    assertThat(ids(RunQuery.all().withState(RunState.RUNNING))).containsExactly("a");
    store.commit(finished(a, RunState.COMPLETED, T0.plusSeconds(5)), List.of());

    assertThat(ids(RunQuery.all().withState(RunState.RUNNING))).isEmpty();
    assertThat(ids(RunQuery.all().withState(RunState.COMPLETED))).containsExactly("a");
  }

  @Test
  void deleteFinishedBeforeRemovesOldFinishedRunsTheirJournalsAndKeys() {
    RunRecord old = store.create(run("old", "wf", "k-old", RunState.RUNNING, T0)).run();
    store.commit(finished(old, RunState.COMPLETED, T0.plusSeconds(10)), events("old", 1, T0));
    RunRecord recent = store.create(run("recent", T0.plusSeconds(1))).run();
    store.commit(finished(recent, RunState.FAILED, T0.plusSeconds(100)), List.of());
    store.create(run("running", T0.plusSeconds(2)));

    assertThat(store.deleteFinishedBefore(T0.plusSeconds(50))).isEqualTo(1);

    assertThat(store.find("old")).isEmpty();
    assertThat(store.events("old")).isEmpty();
    assertThat(store.findByIdempotencyKey("k-old")).isEmpty();
    assertThat(ids(RunQuery.all())).containsExactly("running", "recent");
    assertThat(store.create(run("again", "wf", "k-old", RunState.PENDING, T0)).created()).isTrue();
  }

  @Test
  void concurrentCreatesWithOneKeyCreateOneRun() throws Exception {
    List<ExecutionStore.Created> results =
        concurrently(
            8,
            i -> store.create(run("r" + i, "wf", "same-key", RunState.PENDING, T0.plusSeconds(i))));
    assertThat(results).filteredOn(ExecutionStore.Created::created).hasSize(1);
    String winner =
        results.stream()
            .filter(ExecutionStore.Created::created)
            .findFirst()
            .orElseThrow()
            .run()
            .runId();
    assertThat(results).allSatisfy(c -> assertThat(c.run().runId()).isEqualTo(winner));
    assertThat(store.query(RunQuery.all())).hasSize(1);
  }

  @Test
  void concurrentClaimsGiveTheRunToOneOwner() throws Exception {
    store.create(run("r1", T0));
    Instant later = T0.plusSeconds(60);
    var claims =
        concurrently(8, i -> store.claim("r1", "engine-" + i, later, Duration.ofSeconds(30)));
    assertThat(claims).filteredOn(java.util.Optional::isPresent).hasSize(1);
  }

  @Test
  void anEngineResumesARunAtItsFirstUnfinishedStepWithTheContextRestored() {
    var ran = new java.util.concurrent.ConcurrentHashMap<String, Integer>();
    var seen = new java.util.concurrent.atomic.AtomicReference<Server>();
    var wf =
        Workflow.builder("init-cluster")
            .version(3)
            .input(Input.required(Key.of("host", String.class)))
            .input(Input.required(Key.of("nodes", Integer.class)))
            .step(Step.of("bootstrap", ctx -> ran.merge("bootstrap", 1, Integer::sum)))
            .step(
                Step.of(
                    "join",
                    ctx -> {
                      ran.merge("join", 1, Integer::sum);
                      seen.set(ctx.require(SERVER));
                      ctx.output("nodes", ctx.require(COUNT) + 1);
                    }))
            .build();
    RunRecord crashed = run("r1", T0);
    store.create(crashed);
    var clock = new ManualClock(T0.plusSeconds(3600));
    try (var engine =
        WorkflowEngine.builder()
            .store(store)
            .clock(clock)
            .sleeper(clock)
            .ownerId("engine-b")
            .build()) {
      var taken = engine.recover(java.util.Map.of("init-cluster", wf));
      assertThat(taken).hasSize(1);
      var result = taken.get(0).await(Duration.ofSeconds(20));
      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(result.output("nodes", Integer.class)).isEqualTo(3);
      assertThat(result.output("clusterId", String.class)).isEqualTo("c-1");
    }
    assertThat(ran).containsExactly(java.util.Map.entry("join", 1));
    assertThat(seen.get()).isEqualTo(new Server("10.0.0.5", 22));
    assertThat(store.find("r1").orElseThrow().owner()).isNull();
    assertThat(store.events("r1"))
        .first()
        .isInstanceOfSatisfying(
            WorkflowEvent.RunStarted.class, e -> assertThat(e.resumed()).isTrue());
  }

  @Test
  void aCancelRequestIsKeptForAnUnfinishedRunUntilWithdrawn() {
    store.create(run("r1", T0));
    RunRecord done = store.create(run("r2", T0)).run();
    store.commit(finished(done, RunState.COMPLETED, T0.plusSeconds(1)), List.of());

    assertThat(store.cancelRequested("r1")).isFalse();
    assertThat(store.requestCancel("r1", T0.plusSeconds(2))).isTrue();
    assertThat(store.requestCancel("r1", T0.plusSeconds(3))).as("asked twice").isTrue();
    assertThat(store.cancelRequested("r1")).isTrue();
    assertThat(store.requestCancel("r2", T0.plusSeconds(2))).as("finished").isFalse();
    assertThat(store.requestCancel("nope", T0.plusSeconds(2))).as("unknown").isFalse();
    assertThat(store.cancelRequested("r2")).isFalse();

    store.withdrawCancelRequest("r1");
    assertThat(store.cancelRequested("r1")).isFalse();
  }

  @Test
  void anEngineCancelsItsRunWhenTheStoreSaysSomeoneAskedAndAResumeStartsAfresh() throws Exception {
    var inside = new java.util.concurrent.CountDownLatch(1);
    var blocking = new java.util.concurrent.atomic.AtomicBoolean(true);
    var wf =
        Workflow.builder("cancel-me")
            .step(
                "wait",
                ctx -> {
                  inside.countDown();
                  if (blocking.get()) {
                    Thread.sleep(60_000);
                  }
                })
            .step("after", ctx -> {})
            .build();
    // A short lease: the heartbeat that polls the requests beats every sixth of it.
    try (var engine = WorkflowEngine.builder().store(store).lease(Duration.ofMillis(600)).build()) {
      var run = engine.start(wf, java.util.Map.of());
      assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

      // As another process does: through the store only, not through this engine.
      assertThat(store.requestCancel(run.runId(), Instant.now())).isTrue();

      assertThat(run.await(Duration.ofSeconds(30)).status()).isEqualTo(RunState.CANCELLED);
      blocking.set(false);
      var resumed = engine.resume(run.runId(), wf).await(Duration.ofSeconds(30));
      assertThat(resumed.status()).isEqualTo(RunState.COMPLETED);
      assertThat(store.cancelRequested(run.runId())).isFalse();
    }
  }

  /** A typed context value, stored as a JSON object. */
  record Server(String ip, int port) {}

  private static final Key<Server> SERVER = Key.of("server", Server.class);
  private static final Key<Integer> COUNT = Key.of("count", Integer.class);

  /** Work for the i-th of several threads. */
  interface Indexed<T> {
    T apply(int i) throws Exception;
  }

  private static <T> List<T> concurrently(int n, Indexed<T> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      var futures = new ArrayList<Future<T>>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<T> task =
            () -> {
              start.await();
              return work.apply(index);
            };
        futures.add(pool.submit(task));
      }
      start.countDown();
      var out = new ArrayList<T>();
      for (Future<T> f : futures) {
        out.add(f.get(30, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> ids(RunQuery q) {
    return store.query(q).stream().map(RunRecord::runId).toList();
  }
}
