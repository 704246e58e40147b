package dev.opsflow.workflow.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How a {@link FileExecutionStore} makes its writes durable: the OS's {@code fsync} and {@code
 * fdatasync} ({@link #OS}), or, in a test, the same with a count of them, so that a test can say
 * how many syncs a run's life costs without timing anything.
 */
interface FileSyncs {
  /** Syncs an open file: its data and size ({@code fdatasync}), or every attribute too. */
  void file(FileChannel ch, boolean allMetadata) throws IOException;

  /** Syncs a directory: its entries (files created, renamed, deleted) become durable. */
  void directory(Path dir) throws IOException;

  /** The operating system's syncs. */
  FileSyncs OS =
      new FileSyncs() {
        @Override
        public void file(FileChannel ch, boolean allMetadata) throws IOException {
          ch.force(allMetadata);
        }

        @Override
        public void directory(Path dir) throws IOException {
          try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
          }
        }
      };
}
