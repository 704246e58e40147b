package dev.opsflow.workflow.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The local account {@value #NAME} that {@link SshdPeer} logs into when running as root: created
 * with {@code useradd -m} if absent, its random password set with {@code chpasswd} from stdin.
 *
 * <p>Several peers (in this JVM or in others, e.g. parallel module builds) may be alive at once and
 * must agree on the password, so it is kept in a root-only file under {@code java.io.tmpdir} and
 * every change happens under a file lock.
 */
final class SshTestUser {

  /** The account name. */
  static final String NAME = "opsflowtest";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Object LOCK = new Object();

  private SshTestUser() {}

  /** Ensures the account exists with the shared password; returns that password. */
  static String ensure() {
    Path useradd = Peers.require("useradd", "passwd");
    Path chpasswd = Peers.require("chpasswd", "passwd");
    synchronized (LOCK) {
      // Closing the channel releases the lock.
      try (FileChannel channel =
          FileChannel.open(
              stateDir().resolve(NAME + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        channel.lock();
        if (PeerCommand.run(TIMEOUT, "id", "-u", NAME).exitCode() != 0) {
          PeerCommand.run(
                  List.of(
                      useradd.toString(), "-m", "-s", "/bin/sh", "-c", "Opsflow test user", NAME),
                  Map.of(),
                  null,
                  null,
                  TIMEOUT)
              .orThrow();
        }
        String password = readOrCreatePassword(stateDir().resolve(NAME + ".password"));
        PeerCommand.run(
                List.of(chpasswd.toString()), Map.of(), null, NAME + ":" + password + "\n", TIMEOUT)
            .orThrow();
        return password;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String readOrCreatePassword(Path file) throws IOException {
    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      String existing = Files.readString(file).trim();
      if (existing.matches("[A-Za-z0-9_-]{16,}")) {
        return existing;
      }
      Files.delete(file);
    }
    String password = Peers.randomSecret();
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, password + "\n");
    return password;
  }

  /** A private directory of this user's under java.io.tmpdir; refuses one someone else planted. */
  private static Path stateDir() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "opsflow-peers-root");
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Created concurrently; checked below.
      }
    }
    boolean ours =
        Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
            && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals("root")
            && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)
                .equals(PosixFilePermissions.fromString("rwx------"));
    if (!ours) {
      throw new IllegalStateException(dir + " must be a root-owned directory with mode 700");
    }
    return dir;
  }
}
