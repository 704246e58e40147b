package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * The child JVM of {@link GroupCommitKillTest}: creates runs {@code g0} to {@code g<n-1>} in the
 * file store in {@code args[0]} ({@code n = args[1]}) and commits each from a thread of its own in
 * a loop, so that the commits share the journal's syncs, until the parent kills it; prints {@code
 * acked <run id> <version>} after each commit returned.
 */
public final class GroupCommitKillChild {
  static final String ACKED = "acked ";

  private GroupCommitKillChild() {}

  public static void main(String[] args) throws Exception {
    var store = FileExecutionStore.open(Path.of(args[0]));
    int n = Integer.parseInt(args[1]);
    var threads = new ArrayList<Thread>();
    for (int i = 0; i < n; i++) {
      String id = "g" + i;
      Thread t =
          new Thread(
              () -> {
                RunRecord run = store.createUnsynced(StoreSamples.run(id, StoreSamples.T0)).run();
                while (true) {
                  RunRecord next = AppendLoopChild.next(run, 2_000);
                  run =
                      store.commit(
                          next, AppendLoopChild.events(id, run.version() + 1, next.updatedAt()));
                  System.out.println(ACKED + id + " " + run.version());
                }
              },
              id);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
