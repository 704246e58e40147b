package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static dev.opsflow.workflow.store.StoreSamples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs' files come from spares made ahead: no file is created on a run's path while spares are
 * ready, a spare never takes the place of an existing run, a spare with stale bytes (a power cut)
 * is emptied before use, retention recycles deleted files into the pool, and a creation without an
 * idempotency key holds no directory lock. Files made are counted through the pool's creation seam;
 * spares are told by their inodes. The build turns spares off; each test turns them on.
 */
class FileStoreSpareFilesTest {
  @TempDir Path dir;
  private Path real;
  private SpareFiles spares;
  private final ConcurrentLinkedQueue<Path> made = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void spares() throws IOException {
    real = dir.toRealPath();
    spares = SpareFiles.of(real);
    spares.enabled = true;
    spares.creator =
        file -> {
          made.add(file);
          return SpareFiles.Creator.OS.create(file);
        };
  }

  @AfterEach
  void makerIdle() {
    spares.enabled = false;
    spares.awaitIdleForTest();
    Journal.bootIdForTest(null);
  }

  private Path spareDir() {
    return real.resolve(SpareFiles.DIR);
  }

  private Set<Object> spareInodes() throws IOException {
    var out = new HashSet<Object>();
    try (Stream<Path> files = Files.list(spareDir())) {
      for (Path f : files.toList()) {
        out.add(inode(f));
      }
    }
    return out;
  }

  private static Object inode(Path f) throws IOException {
    return Files.readAttributes(f, BasicFileAttributes.class).fileKey();
  }

  private long runFilesMade() {
    return made.stream().filter(p -> p.getParent().equals(real)).count();
  }

  @Test
  void runsTakeSparesAndNoFileIsCreatedOnTheirPath() throws Exception {
    var store = FileExecutionStore.open(dir);
    spares.fillForTest();
    assertThat(spares.readyForTest()).isEqualTo(SpareFiles.TARGET);
    Set<Object> before = spareInodes();
    assertThat(before).hasSize(SpareFiles.TARGET);
    made.clear();

    var created = new ArrayList<RunRecord>();
    for (int i = 0; i < 50; i++) {
      RunRecord r = run("r" + i, T0);
      created.add(i % 2 == 0 ? store.createUnsynced(r).run() : store.create(r).run());
    }

    assertThat(runFilesMade()).as("run files created on the path").isZero();
    for (RunRecord r : created) {
      Path file = real.resolve(FileRecords.runFileName(r.runId()));
      assertThat(before).contains(inode(file));
      assertThat(store.find(r.runId())).contains(r);
      assertThat(ChecksummedFile.parse(FileExecutionStore.RUN, Files.readAllBytes(file)).frames())
          .hasSize(1);
    }
    assertThat(spareInodes()).hasSize(SpareFiles.TARGET - 50);
    // The next commit appends to the spare that became the run's file.
    RunRecord next = store.commit(created.get(0), List.of());
    assertThat(FileExecutionStore.open(dir).find("r0")).contains(next);
  }

  @Test
  void aRunMadeFromASpareCostsOneJournalSyncAndNoDirectorySync() throws Exception {
    var files = new java.util.concurrent.atomic.AtomicInteger();
    var directories = new java.util.concurrent.atomic.AtomicInteger();
    FileSyncs counting =
        new FileSyncs() {
          @Override
          public void file(java.nio.channels.FileChannel ch, boolean allMetadata)
              throws IOException {
            files.incrementAndGet();
            FileSyncs.OS.file(ch, allMetadata);
          }

          @Override
          public void directory(Path d) throws IOException {
            directories.incrementAndGet();
            FileSyncs.OS.directory(d);
          }
        };
    var store = FileExecutionStore.open(dir, counting);
    spares.fillForTest();
    Set<Object> before = spareInodes();
    files.set(0);
    directories.set(0);

    RunRecord r = store.create(run("synced", T0)).run();
    store.commit(store.commitUnsynced(r, List.of()), List.of());

    assertThat(before).contains(inode(real.resolve("synced.run")));
    assertThat(files.get()).as("journal syncs: the creation's, the commit's").isEqualTo(2);
    assertThat(directories.get()).as("directory syncs").isZero();
  }

  @Test
  void withNoSpareReadyTheRunsFileIsCreatedOnItsPathAsBefore() {
    spares.enabled = false;
    var store = FileExecutionStore.open(dir);
    RunRecord r = store.create(run("plain", T0)).run();
    assertThat(runFilesMade()).isEqualTo(1);
    assertThat(store.find("plain")).contains(r);
    assertThat(Files.exists(spareDir())).isFalse();
  }

  @Test
  void aSecondCreateOfARunNeverClobbersItAndLeavesTheSpareInThePool() throws Exception {
    var store = FileExecutionStore.open(dir);
    spares.fillForTest();
    RunRecord first = store.create(run("same", T0)).run();
    RunRecord committed = store.commit(first, StoreSamples.events("same", 1, T0));
    Path file = real.resolve("same.run");
    byte[] bytes = Files.readAllBytes(file);
    int pool = spareInodes().size();

    assertThatThrownBy(() -> store.create(run("same", T0.plusSeconds(1))))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("run same already exists");
    var keyed = run("same", "init-cluster", "key-1", RunState.RUNNING, T0);
    assertThatThrownBy(() -> store.create(keyed))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("run same already exists");

    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    assertThat(store.find("same")).contains(committed);
    assertThat(spareInodes()).hasSize(pool);
    assertThat(store.findByIdempotencyKey("key-1")).isEmpty();
  }

  @Test
  void threadsCreatingOneRunAtOnceMakeItOnceFromOneSpare() throws Exception {
    var store = FileExecutionStore.open(dir);
    spares.fillForTest();
    Set<Object> before = spareInodes();
    int threads = 8;
    var barrier = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      var results = new ArrayList<Future<Boolean>>();
      for (int i = 0; i < threads; i++) {
        RunRecord r = run("contended", T0.plusSeconds(i));
        results.add(
            pool.submit(
                () -> {
                  barrier.await();
                  try {
                    store.createUnsynced(r);
                    return true;
                  } catch (StoreException e) {
                    assertThat(e).hasMessageContaining("already exists");
                    return false;
                  }
                }));
      }
      int won = 0;
      for (Future<Boolean> f : results) {
        won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    Path file = real.resolve("contended.run");
    assertThat(ChecksummedFile.parse(FileExecutionStore.RUN, Files.readAllBytes(file)).frames())
        .hasSize(1);
    assertThat(before).contains(inode(file));
    Set<Object> after = spareInodes();
    assertThat(after).hasSize(before.size() - 1).doesNotContain(inode(file));
  }

  @Test
  void aSpareHoldingBytesAfterAPowerCutIsEmptiedBeforeItBecomesARun() throws Exception {
    var store = FileExecutionStore.open(dir);
    spares.fillForTest();
    RunRecord lost = store.create(run("lost", T0)).run();
    Path lostFile = real.resolve("lost.run");
    Object inode = inode(lostFile);
    Journal.dieForTest(real);
    // The power cut lost the rename that took the spare, not the frame written to it: the file is
    // back in spare/ holding the run's first frame, and lost.run is gone.
    Files.move(lostFile, spareDir().resolve("stale" + SpareFiles.SUFFIX));
    Journal.bootIdForTest("another-boot");

    // A new process adopts spare/ as it is, the stale spare with it.
    spares.enabled = false;
    SpareFiles fresh = freshPool();
    var reopened = FileExecutionStore.open(dir);
    // The journal's record at offset 0 brings the run's file back.
    assertThat(reopened.find("lost")).contains(lost);
    assertThat(inode(lostFile)).isNotEqualTo(inode);

    // Every run it makes reads as itself, one frame each: the stale spare's frame is in none.
    fresh.fillForTest();
    var made = new ArrayList<RunRecord>();
    Path staleRun = null;
    for (int i = 0; i < SpareFiles.TARGET + 10 && staleRun == null; i++) {
      RunRecord r = reopened.createUnsynced(run("n" + i, T0)).run();
      made.add(r);
      Path f = real.resolve(FileRecords.runFileName(r.runId()));
      if (inode(f).equals(inode)) {
        staleRun = f;
      }
    }
    assertThat(staleRun).as("the stale spare was taken").isNotNull();
    for (RunRecord r : made) {
      Path f = real.resolve(FileRecords.runFileName(r.runId()));
      assertThat(reopened.find(r.runId())).contains(r);
      assertThat(ChecksummedFile.parse(FileExecutionStore.RUN, Files.readAllBytes(f)).frames())
          .hasSize(1);
    }
    fresh.enabled = false;
    fresh.awaitIdleForTest();
  }

  /** A pool as a new process starts it on this directory (stores opened after it use it). */
  private SpareFiles freshPool() {
    SpareFiles fresh = SpareFiles.restartForTest(real);
    fresh.enabled = true;
    return fresh;
  }

  @Test
  void aSpareThatIsAlsoARunsFileIsNeverHandedOut() throws Exception {
    spares.enabled = false;
    var store = FileExecutionStore.open(dir);
    RunRecord kept = store.create(run("kept", T0)).run();
    Path file = real.resolve("kept.run");
    byte[] bytes = Files.readAllBytes(file);
    // A rename out of spare/ half lost by a power cut (on a file system without a journal, fsck
    // counts both entries): the run's file also has a spare's name.
    Files.createDirectories(spareDir());
    Files.createLink(spareDir().resolve("twice" + SpareFiles.SUFFIX), file);

    SpareFiles fresh = freshPool();
    fresh.fillForTest();
    var reopened = FileExecutionStore.open(dir);
    for (int i = 0; i < SpareFiles.TARGET + 5; i++) {
      reopened.createUnsynced(run("m" + i, T0));
    }
    assertThat(Files.exists(spareDir().resolve("twice" + SpareFiles.SUFFIX))).isFalse();
    assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    assertThat(reopened.find("kept")).contains(kept);
    fresh.enabled = false;
    fresh.awaitIdleForTest();
  }

  @Test
  void retentionRecyclesDeletedRunsAndKeysFilesIntoEmptySpares() throws Exception {
    spares.enabled = false;
    var store = FileExecutionStore.open(dir);
    var inodes = new HashSet<Object>();
    for (int i = 0; i < 10; i++) {
      String key = i == 0 ? "key-0" : null;
      RunRecord r = store.create(run("old" + i, "init-cluster", key, RunState.RUNNING, T0)).run();
      store.commit(StoreSamples.finished(r, RunState.COMPLETED, T0), List.of());
      inodes.add(inode(real.resolve(FileRecords.runFileName(r.runId()))));
    }
    inodes.add(inode(real.resolve(FileRecords.keyFileName("key-0"))));
    RunRecord young = store.create(run("young", T0.plusSeconds(3600))).run();
    spares.enabled = true;

    assertThat(store.deleteFinishedBefore(T0.plusSeconds(60))).isEqualTo(10);

    assertThat(spareInodes()).isEqualTo(inodes);
    try (Stream<Path> files = Files.list(spareDir())) {
      for (Path f : files.toList()) {
        assertThat(f.getFileName().toString()).endsWith(SpareFiles.SUFFIX);
        assertThat(Files.size(f)).isZero();
      }
    }
    assertThat(store.find("old3")).isEmpty();
    assertThat(store.findByIdempotencyKey("key-0")).isEmpty();
    assertThat(store.find("young")).contains(young);
    // The next creation takes a recycled file: no inode made.
    made.clear();
    RunRecord again = store.createUnsynced(run("old3", T0.plusSeconds(7200))).run();
    assertThat(inodes).contains(inode(real.resolve("old3.run")));
    assertThat(runFilesMade()).isZero();
    assertThat(store.find("old3")).contains(again);
  }

  @Test
  void keylessCreatesRunInParallelWhileKeyedOnesHoldTheDirectoryLock() throws Exception {
    var store = FileExecutionStore.open(dir);
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    // The maker is stalled (no spare is ever ready) and the creation of a.run and k1.run stalls
    // inside the creator, holding whatever locks the store holds around it.
    spares.creator =
        file -> {
          String name = file.getFileName().toString();
          if (name.equals("a.run") || name.equals("k1.run") || name.endsWith(SpareFiles.SUFFIX)) {
            if (!name.endsWith(SpareFiles.SUFFIX)) {
              entered.countDown();
            }
            try {
              if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IOException("not released");
              }
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
          made.add(file);
          return SpareFiles.Creator.OS.create(file);
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<RunRecord> a = pool.submit(() -> store.createUnsynced(run("a", T0)).run());
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      // While a's creation is in flight: another keyless creation, and a keyed one, complete.
      RunRecord b = store.createUnsynced(run("b", T0)).run();
      RunRecord c = store.create(run("c", "init-cluster", "key-c", RunState.RUNNING, T0)).run();
      assertThat(a).isNotDone();
      release.countDown();
      RunRecord created = a.get(30, TimeUnit.SECONDS);
      assertThat(store.find("a")).contains(created);
      assertThat(store.find("b")).contains(b);
      assertThat(store.findByIdempotencyKey("key-c")).contains(c);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aKeyedCreateStillHoldsTheDirectoryLockAgainstAnotherKeyedOne() throws Exception {
    var store = FileExecutionStore.open(dir);
    spares.enabled = false;
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    spares.creator =
        file -> {
          if (file.getFileName().toString().equals("k1.run")) {
            entered.countDown();
            try {
              if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IOException("not released");
              }
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
          return SpareFiles.Creator.OS.create(file);
        };
    var k1 = run("k1", "init-cluster", "key-1", RunState.RUNNING, T0);
    var k2 = run("k2", "init-cluster", "key-2", RunState.RUNNING, T0);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<RunRecord> first = pool.submit(() -> store.create(k1).run());
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      var second = new java.util.concurrent.CompletableFuture<RunRecord>();
      Thread t = new Thread(() -> second.complete(store.create(k2).run()), "second-keyed");
      t.start();
      awaitWaiting(t);
      assertThat(second).isNotDone();
      // A keyless creation does not wait for the directory lock the first keyed one holds.
      RunRecord free = store.createUnsynced(run("free", T0)).run();
      assertThat(store.find("free")).contains(free);
      release.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS).runId()).isEqualTo("k1");
      assertThat(second.get(30, TimeUnit.SECONDS).runId()).isEqualTo("k2");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /** Run {@code s-<i>} owned by {@code owner}: who created it shows in its file. */
  static RunRecord sample(int i, String owner) {
    return run("s-" + i, T0).withLease(owner, T0.plusSeconds(30));
  }

  @Test
  void twoProcessesCreatingTheSameRunsFromSharedSparesMakeEachOnce(@TempDir Path signals)
      throws Exception {
    var store = FileExecutionStore.open(dir);
    spares.fillForTest();
    int n = 300;
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Dopsflow.file.spares=true",
                "-cp",
                System.getProperty("java.class.path"),
                SpareFilesChild.class.getName(),
                dir.toString(),
                signals.toString(),
                Integer.toString(n),
                "child")
            .redirectErrorStream(true)
            .redirectOutput(signals.resolve("child.out").toFile())
            .start();
    int created = 0;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(signals.resolve("ready"))) {
        assertThat(child.isAlive()).as("child alive").isTrue();
        assertThat(System.nanoTime()).as("child ready in time").isLessThan(deadline);
        Thread.onSpinWait();
      }
      Files.createFile(signals.resolve("go"));
      for (int i = 0; i < n; i++) {
        try {
          store.createUnsynced(sample(i, "parent"));
          created++;
        } catch (StoreException e) {
          assertThat(e).hasMessageContaining("already exists");
        }
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
    } finally {
      child.destroyForcibly();
    }
    String out = Files.readString(signals.resolve("child.out"));
    assertThat(child.exitValue()).as(out).isZero();
    int byChild =
        Integer.parseInt(out.substring(out.indexOf("OPSFLOW-CHILD created ") + 22).strip());

    int parentFiles = 0;
    int childFiles = 0;
    var inodes = new HashSet<Object>();
    for (int i = 0; i < n; i++) {
      Path file = real.resolve("s-" + i + ".run");
      assertThat(ChecksummedFile.parse(FileExecutionStore.RUN, Files.readAllBytes(file)).frames())
          .as(file.toString())
          .hasSize(1);
      assertThat(Files.getAttribute(file, "unix:nlink")).isEqualTo(1);
      assertThat(inodes.add(inode(file))).isTrue();
      String owner = store.find("s-" + i).orElseThrow().owner();
      if (owner.equals("parent")) {
        parentFiles++;
      } else {
        assertThat(owner).isEqualTo("child");
        childFiles++;
      }
    }
    assertThat(parentFiles).isEqualTo(created);
    assertThat(childFiles).isEqualTo(byChild);
    assertThat(created + byChild).isEqualTo(n);
  }

  /** Waits (spinning, bounded) until {@code t} parks on a lock. */
  private static void awaitWaiting(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED) {
      assertThat(System.nanoTime())
          .as("%s parks on the directory lock", t.getName())
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
