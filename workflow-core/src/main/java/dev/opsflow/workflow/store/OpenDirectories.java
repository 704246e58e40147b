package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many open {@link FileExecutionStore} instances of this JVM use each directory. They share the
 * directory's {@link Journal}, {@link LiveOwners} and {@link DirectoryLock}: the last one to close
 * finishes those, while an open of the same directory waits, then starts them afresh. Thread-safe.
 */
final class OpenDirectories {
  private static final Map<Path, Users> OPEN = new ConcurrentHashMap<>();

  private OpenDirectories() {}

  /** The stores open on one directory. */
  static final class Users {
    // Guarded by this.
    private int stores;
    private boolean finished;
  }

  /**
   * Counts a store opening on {@code realDir}; returns the count it joined (give it to {@link
   * #leave}). Waits while the directory's last store is finishing the shared parts.
   */
  static Users join(Path realDir) {
    while (true) {
      // Not computeIfAbsent with a lambda: a JVM's start-up spins a class for each lambda.
      Users users = OPEN.get(realDir);
      if (users == null) {
        Users made = new Users();
        users = OPEN.putIfAbsent(realDir, made);
        if (users == null) {
          users = made;
        }
      }
      synchronized (users) {
        if (!users.finished) {
          users.stores++;
          return users;
        }
      }
      // Its last store closed meanwhile (and removed it): join a new count.
    }
  }

  /**
   * Counts a store of {@code realDir} closing; if it was the last, runs {@code finish} (while a
   * store opening on the directory waits), then forgets the count.
   */
  static void leave(Path realDir, Users users, DirectoryLock.IoWork<?> finish) throws IOException {
    synchronized (users) {
      if (users.finished || --users.stores > 0) {
        return;
      }
      users.finished = true;
      try {
        finish.run();
      } finally {
        OPEN.remove(realDir, users);
      }
    }
  }

  /**
   * Test seam: forgets the stores open on {@code realDir} as if their process died (their close
   * then finishes nothing); a store opened next counts afresh.
   */
  static void forgetForTest(Path realDir) {
    Users users = OPEN.remove(realDir);
    if (users != null) {
      synchronized (users) {
        users.finished = true;
      }
    }
  }
}
