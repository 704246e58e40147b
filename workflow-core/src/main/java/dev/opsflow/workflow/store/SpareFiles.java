package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empty files made ahead in a {@link FileExecutionStore}'s {@code spare/} directory, so that a
 * run's creation allocates no inode on its path: it renames a spare to the run's name ({@link
 * #take}). Creating a file costs the kernel an inode allocation, which on ext4 without a journal
 * scans past every inode deleted in the last minutes of the block group (about 1 ms a file in a
 * directory that saw many deletions, against 31 µs for a rename). A background thread of the
 * store's own makes spares when asked to ({@code -Dopsflow.file.spares.ahead=true}: from the first
 * create on, keeping about {@value #TARGET}, refilling below {@value #LOW}); retention, always,
 * {@linkplain #recycle recycles} deleted runs' files into the pool (up to {@value #CAP}), so a
 * steady store allocates no inodes at all, with no thread of its own.
 *
 * <p>Every process on the directory shares {@code spare/}: a spare is taken by renaming it, which
 * only one taker can do (the others find it gone and take the next). A spare never has two names: a
 * hard link taken in place of the rename would leave one if the spare's unlink were lost (a crash
 * between the two calls), and a later taker would then empty a run's file. A spare is emptied by
 * its taker if it holds bytes (a power cut can lose the rename that took it after its frame was
 * written: the journal's replay then recreates the run's file elsewhere). Nothing reads {@code
 * spare/} but this class: scans, replay, retention and the takeover list {@code *.run} of the store
 * directory only.
 *
 * <p>Making spares ahead is off by default: its thread writes into the store's directory after the
 * calls that started it returned, so a caller that deletes the directory right after its last
 * create (a test's temporary directory) would race it. Without it, the spares a JVM takes are the
 * ones retention recycled, and those earlier processes left (adopted once, on the caller's thread,
 * at the first creation that finds none ready). Everything is off with {@code
 * -Dopsflow.file.spares=false} (runs' files are then created on their path and retention deletes
 * them). One per directory per JVM; thread-safe.
 */
final class SpareFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SpareFiles.class);
  static final String DIR = "spare";
  static final String SUFFIX = ".spare";

  /** A retired run file being emptied (retention's): never taken; a crash may leave it. */
  static final String RECYCLING = ".recycling";

  static final int TARGET = 128;
  static final int LOW = TARGET / 2;

  /** At most this many spares in {@code spare/}: retention deletes the files beyond. */
  static final int CAP = 4096;

  private static final Map<Path, SpareFiles> SHARED = new ConcurrentHashMap<>();

  /** Makes every directory's spares, one file at a time (never the common pool: it may block). */
  private static final ExecutorService MAKER = StoreThreads.pool("opsflow-spare-files", 1);

  /** How a new, empty file is made: the OS's {@code O_CREAT|O_EXCL}; a test's counts or stalls. */
  @FunctionalInterface
  interface Creator {
    /** Creates {@code file}, which must not exist, and returns it open for writing. */
    FileChannel create(Path file) throws IOException;

    /** The operating system's creation ({@code O_CREAT|O_EXCL}). */
    Creator OS =
        new Creator() {
          // Not a lambda: a JVM's start-up spins a class for each lambda.
          @Override
          public FileChannel create(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          }
        };
  }

  private final Path spareDir;
  private final ConcurrentLinkedQueue<Path> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger readyCount = new AtomicInteger();
  private final AtomicBoolean making = new AtomicBoolean();
  private volatile boolean adopted;

  /** Whether spares are made and taken (a test turns them on where the build turns them off). */
  volatile boolean enabled = !"false".equals(System.getProperty("opsflow.file.spares"));

  /** Whether a background thread makes spares ahead (off by default: see the class comment). */
  volatile boolean ahead = "true".equals(System.getProperty("opsflow.file.spares.ahead"));

  /** How spares, and the files of runs created without one, are made (a test's seam). */
  volatile Creator creator = Creator.OS;

  private SpareFiles(Path storeDir) {
    this.spareDir = storeDir.resolve(DIR);
  }

  /** The pool of {@code realDir}, shared by the JVM's stores on it; starts nothing. */
  static SpareFiles of(Path realDir) {
    // Not computeIfAbsent with a lambda: a JVM's start-up spins a class for each lambda.
    SpareFiles spares = SHARED.get(realDir);
    if (spares == null) {
      SpareFiles made = new SpareFiles(realDir);
      spares = SHARED.putIfAbsent(realDir, made);
      if (spares == null) {
        spares = made;
      }
    }
    return spares;
  }

  /**
   * Renames a spare to {@code target} and returns it open for writing, empty; null when none is
   * ready (the caller creates the file itself: it never waits for the maker). The rename does not
   * clobber: the caller holds the lock that every creator of {@code target} takes (the run's), and
   * the rename is refused if {@code target} exists. Starts the maker when the pool runs low.
   *
   * @throws FileAlreadyExistsException if {@code target} exists (the spare stays in the pool)
   */
  FileChannel take(Path target) throws IOException {
    if (!enabled) {
      return null;
    }
    if (!adopted && !ahead) {
      // What spare/ holds, taken over before the first poll (the maker does it when it runs).
      refill();
    }
    Path spare;
    while ((spare = ready.poll()) != null) {
      if (readyCount.decrementAndGet() < LOW) {
        refill();
      }
      try {
        Files.move(spare, target);
      } catch (FileAlreadyExistsException e) {
        giveBack(spare);
        throw e;
      } catch (NoSuchFileException e) {
        if (Files.exists(spare)) {
          // The target's directory is gone: the caller's own creation reports it.
          giveBack(spare);
          return null;
        }
        // Taken by another process on the directory (they share spare/), or removed by hand.
        continue;
      }
      return emptied(target);
    }
    refill();
    return null;
  }

  private static FileChannel emptied(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
    try {
      // Bytes in a spare: a power cut lost the rename that took it after its frame was written.
      if (ch.size() != 0) {
        ch.truncate(0);
      }
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(file);
      throw e;
    }
  }

  private void giveBack(Path spare) {
    ready.add(spare);
    readyCount.incrementAndGet();
  }

  /**
   * Starts the maker unless it runs already; without making ahead, adopts what {@code spare/} holds
   * once, on the caller's thread.
   */
  private void refill() {
    if (enabled && !ahead) {
      if (!adopted && making.compareAndSet(false, true)) {
        try {
          adopt();
          adopted = true;
        } catch (IOException | RuntimeException e) {
          LOG.debug("cannot adopt the spare files in {}: {}", spareDir, e.toString());
        } finally {
          making.set(false);
        }
      }
      return;
    }
    if (enabled && making.compareAndSet(false, true)) {
      try {
        MAKER.execute(() -> make(false));
      } catch (RuntimeException e) {
        making.set(false);
        throw e;
      }
    }
  }

  /**
   * The maker's work: adopts what {@code spare/} holds (once), then makes spares up to TARGET while
   * making ahead is on, or {@code always}.
   */
  private void make(boolean always) {
    try {
      if (!adopted) {
        adopt();
        adopted = true;
      }
      while (enabled && (ahead || always) && readyCount.get() < TARGET) {
        Path file = spareDir.resolve(newName() + SUFFIX);
        try {
          creator.create(file).close();
        } catch (FileAlreadyExistsException e) {
          continue;
        } catch (NoSuchFileException e) {
          if (!madeDirectory()) {
            return;
          }
          continue;
        }
        giveBack(file);
      }
    } catch (IOException | RuntimeException e) {
      // Runs' files are then created on their path, as without spares.
      LOG.debug("cannot make spare files in {}: {}", spareDir, e.toString());
    } finally {
      synchronized (this) {
        making.set(false);
        // A closing store waits for this (closeShared).
        notifyAll();
      }
    }
  }

  /**
   * Stops making spares in {@code realDir} for this JVM, when the last store of the JVM on it
   * closes: no spare is made from then on, and the one being made (if any) is finished first; the
   * spares made stay in {@code spare/} for the next process. A store opened later starts afresh.
   *
   * @param realDir the store directory
   * @return null
   * @throws IOException if interrupted while waiting for the maker (the interrupt is kept)
   */
  static Void closeShared(Path realDir) throws IOException {
    SpareFiles pool = SHARED.remove(realDir);
    if (pool != null) {
      pool.enabled = false;
      synchronized (pool) {
        while (pool.making.get()) {
          try {
            pool.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the spare files of " + realDir + " stop", e);
          }
        }
      }
    }
    return null;
  }

  /**
   * Takes over the spares {@code spare/} holds (left by earlier processes, or recycled). A spare
   * with a second name is a run's file whose rename out of {@code spare/} a power cut half lost:
   * only its spare name is removed.
   */
  private void adopt() throws IOException {
    if (!Files.isDirectory(spareDir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(spareDir, "*" + SUFFIX)) {
      for (Path f : files) {
        Object links = Files.getAttribute(f, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (links instanceof Integer n && n > 1) {
          Files.deleteIfExists(f);
        } else {
          giveBack(f);
        }
      }
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // No unix attribute view: no spares on such a file system.
      enabled = false;
    }
  }

  /** Makes {@code spare/}; false when the store's directory itself is gone (nothing to do). */
  private boolean madeDirectory() throws IOException {
    try {
      Files.createDirectory(spareDir);
      return true;
    } catch (FileAlreadyExistsException e) {
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /**
   * How many more files {@link #recycle} may add (lists {@code spare/}); 0 when spares are off.
   * Call holding the directory lock, which every recycler holds.
   */
  int room() throws IOException {
    if (!enabled) {
      return 0;
    }
    if (!Files.isDirectory(spareDir)) {
      return CAP;
    }
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(spareDir)) {
      for (Path f : files) {
        if (f.getFileName().toString().endsWith(RECYCLING)) {
          // Left by a retention a crash interrupted (only retention, under this lock, makes them).
          Files.deleteIfExists(f);
        } else {
          n++;
        }
      }
    }
    return Math.max(0, CAP - n);
  }

  /**
   * Moves {@code file} (a deleted run's or key's) into the pool, emptied; false if it was absent.
   * It is first moved to a name no taker takes, emptied there, then renamed a spare: a crash leaves
   * the file under its old name whole, or out of the way, never empty under its old name. Call
   * holding the directory lock and the file's own lock (a run's).
   */
  boolean recycle(Path file) throws IOException {
    String name = newName();
    Path staging = spareDir.resolve(name + RECYCLING);
    try {
      Files.move(file, staging);
    } catch (NoSuchFileException e) {
      if (!Files.exists(file)) {
        return false;
      }
      madeDirectory();
      Files.move(file, staging);
    }
    try (FileChannel ch =
        FileChannel.open(staging, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      // Emptied on open.
    }
    Path spare = spareDir.resolve(name + SUFFIX);
    Files.move(staging, spare);
    if (enabled) {
      giveBack(spare);
    }
    return true;
  }

  /** {@return the spares this JVM holds ready, for tests} */
  int readyForTest() {
    return readyCount.get();
  }

  /** Test seam: makes spares up to TARGET on the caller's thread, as the maker would. */
  void fillForTest() {
    while (!making.compareAndSet(false, true)) {
      Thread.onSpinWait();
    }
    make(true);
  }

  /** Test seam: waits until the maker is idle (spinning, bounded by the test's own timeout). */
  void awaitIdleForTest() {
    while (making.get()) {
      Thread.onSpinWait();
    }
  }

  /**
   * Test seam: this JVM's pool on {@code realDir} starts afresh, as a new process's would (stores
   * opened from now on use the new one); the old one stops making spares.
   */
  static SpareFiles restartForTest(Path realDir) {
    SpareFiles old = SHARED.remove(realDir);
    if (old != null) {
      old.enabled = false;
      old.awaitIdleForTest();
    }
    return of(realDir);
  }

  private static String newName() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toUnsignedString(r.nextLong(), 36) + Long.toUnsignedString(r.nextLong(), 36);
  }
}
