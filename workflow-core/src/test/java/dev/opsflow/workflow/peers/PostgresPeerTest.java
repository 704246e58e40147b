package dev.opsflow.workflow.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresPeerTest {

  @Test
  void servesSqlOverTcpWithPasswordAndStopsOnClose() throws Exception {
    long pid;
    Path dataDir;
    try (PostgresPeer pg = PostgresPeer.start()) {
      pid = pg.pid();
      dataDir = pg.dataDir();
      assertThat(Pids.isRunning(pid)).isTrue();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(pg.host(), pg.port()), 2000);
      }
      assertThat(pg.user()).isEqualTo("postgres");
      assertThat(pg.psql("postgres", "select 1")).isEqualTo("1");

      pg.createDatabase("opsflow_test");
      assertThat(pg.psql("opsflow_test", "select current_database()")).isEqualTo("opsflow_test");
      assertThat(pg.jdbcUrl("opsflow_test"))
          .isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/opsflow_test");

      PeerCommand.Result noPassword =
          PeerCommand.run(
              List.of(
                  pg.binDir().resolve("psql").toString(),
                  "-X",
                  "-w",
                  "-h",
                  pg.host(),
                  "-p",
                  Integer.toString(pg.port()),
                  "-U",
                  pg.user(),
                  "-c",
                  "select 1"),
              Map.of("PGPASSWORD", ""),
              null,
              null,
              Duration.ofSeconds(30));
      assertThat(noPassword.ok()).as(noPassword.describe()).isFalse();
      assertThat(RedisServerPeerTest.commandLine(pid)).doesNotContain(pg.password());
    }
    assertThat(Pids.isRunning(pid)).isFalse();
    assertThat(Files.exists(dataDir)).isFalse();
  }
}
