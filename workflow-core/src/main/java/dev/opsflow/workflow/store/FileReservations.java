package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.Reservations;
import dev.opsflow.workflow.spi.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reservations of a {@link FileExecutionStore}, in its directory under {@code reservations/}:
 * one directory per pool, one small file per reserved resource holding its holder (names
 * percent-encoded). A file is written to a temp file, fsynced and renamed into place, then the
 * directory is fsynced, so a reservation survives a crash once {@link #reserve} returned. Changes
 * hold a JVM lock and an OS lock ({@code reservations/.lock}), so threads and processes sharing the
 * directory never both reserve one resource. Thread-safe.
 */
final class FileReservations implements Reservations {
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path dir;

  FileReservations(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  @Override
  public String reserve(String pool, String resource, String holder) {
    Reservations.checkName("pool", pool);
    Reservations.checkName("resource", resource);
    Reservations.checkName("holder", holder);
    return locked(
        "reserve " + resource + " of pool " + pool,
        () -> {
          Path file = file(pool, resource);
          Optional<String> held = read(file);
          if (held.isPresent()) {
            return held.get();
          }
          Files.createDirectories(file.getParent());
          Path temp = file.resolveSibling("." + UUID.randomUUID() + ".tmp");
          try (FileChannel out =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)));
            out.force(true);
          }
          Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
          fsyncDirectory(file.getParent());
          return holder;
        });
  }

  @Override
  public Optional<String> holder(String pool, String resource) {
    Reservations.checkName("pool", pool);
    Reservations.checkName("resource", resource);
    try {
      return read(file(pool, resource));
    } catch (IOException e) {
      throw new StoreException("cannot read reservation " + resource + " of pool " + pool, e);
    }
  }

  @Override
  public Map<String, String> list(String pool) {
    Reservations.checkName("pool", pool);
    var held = new TreeMap<String, String>();
    Path poolDir = dir.resolve(encode(pool));
    if (!Files.isDirectory(poolDir)) {
      return Map.of();
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(poolDir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.startsWith(".")) {
          read(f).ifPresent(h -> held.put(decode(name), h));
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot list the reservations of pool " + pool, e);
    }
    return Collections.unmodifiableMap(held);
  }

  @Override
  public boolean release(String pool, String resource, String holder) {
    Reservations.checkName("pool", pool);
    Reservations.checkName("resource", resource);
    return locked(
        "release " + resource + " of pool " + pool,
        () -> {
          Path file = file(pool, resource);
          if (!read(file).filter(holder::equals).isPresent()) {
            return false;
          }
          Files.delete(file);
          fsyncDirectory(file.getParent());
          return true;
        });
  }

  private interface Io<T> {
    T run() throws IOException;
  }

  private <T> T locked(String what, Io<T> action) {
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    jvm.lock();
    try {
      Files.createDirectories(dir);
      // A channel per change: an interrupt that closes it spoils only this change.
      try (FileChannel lock =
              FileChannel.open(
                  dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          var ignored = lock.lock()) {
        return action.run();
      }
    } catch (IOException e) {
      throw new StoreException("cannot " + what + " in " + dir, e);
    } finally {
      jvm.unlock();
    }
  }

  private Path file(String pool, String resource) {
    return dir.resolve(encode(pool)).resolve(encode(resource));
  }

  private static Optional<String> read(Path file) throws IOException {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      // A file without its newline was never renamed into place whole: not a reservation.
      return text.endsWith("\n") ? Optional.of(text.strip()) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Letters, digits, {@code - _} as they are; every other byte as {@code %XX}. */
  static String encode(String name) {
    var out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static String decode(String encoded) {
    var bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
