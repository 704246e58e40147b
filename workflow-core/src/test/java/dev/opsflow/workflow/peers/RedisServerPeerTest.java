package dev.opsflow.workflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RedisServerPeerTest {

  @Test
  void answersPingWithoutPasswordAndStopsOnClose() {
    long pid;
    Path dir;
    try (RedisServerPeer redis = RedisServerPeer.start()) {
      pid = redis.pid();
      dir = redis.dir();
      assertThat(redis.host()).isEqualTo("127.0.0.1");
      assertThat(redis.password()).isEmpty();
      assertThat(redis.ping()).isTrue();
      assertThat(redis.commandWithoutAuth("PING")).isEqualTo("+PONG");
      assertThat(redis.command("SET", "greeting", "hello")).isEqualTo("+OK");
      assertThat(redis.command("GET", "greeting")).isEqualTo("hello");
      assertThat(redis.command("CONFIG", "GET", "save")).isEqualTo("save\n");
      assertThat(Pids.isRunning(pid)).isTrue();
    }
    assertThat(Pids.isRunning(pid)).isFalse();
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void requiresAuthWhenAPasswordIsSet() throws Exception {
    long pid;
    try (RedisServerPeer redis = RedisServerPeer.startWithPassword()) {
      pid = redis.pid();
      String password = redis.password().orElseThrow();
      assertThat(redis.commandWithoutAuth("PING")).startsWith("-NOAUTH");
      assertThat(redis.commandWithoutAuth("AUTH", "wrong-" + password)).startsWith("-WRONGPASS");
      assertThat(redis.ping()).isTrue();
      assertThat(commandLine(pid)).contains("redis-server").doesNotContain(password);
    }
    assertThat(Pids.isRunning(pid)).isFalse();
  }

  /** The daemon's command line as {@code ps} shows it (Linux). */
  static String commandLine(long pid) throws Exception {
    return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
  }
}
