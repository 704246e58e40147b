package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.DatabaseSecurity;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the database's connection settings as a dotenv file ({@code REDIS_HOST}, {@code
 * REDIS_PORT}, {@code REDIS_PASSWORD}, {@code REDIS_URL}) to the path the caller named, created
 * with mode 0600 before any byte is written and moved into place atomically. The credentials go
 * nowhere else: the output holds only the file's path.
 */
public final class WriteCredentialsStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public WriteCredentialsStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "write-credentials";
  }

  @Override
  public void run(StepContext ctx) throws IOException {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    long id = ((Number) ctx.require(CloudKeys.DATABASE_IDS).values().iterator().next()).longValue();
    Path file = ctx.require(CloudKeys.CREDENTIALS_FILE).toAbsolutePath();
    Database db =
        client
            .fixedDatabase(sub, id)
            .orElseThrow(
                () ->
                    new WorkflowException(
                        ErrorKind.REMOTE_FAILURE,
                        "database " + id + " vanished before its credentials were read"));
    String endpoint =
        db.endpoint()
            .orElseThrow(
                () ->
                    new WorkflowException(
                        ErrorKind.REMOTE_FAILURE,
                        "database " + id + " has no public endpoint yet"));
    int colon = endpoint.lastIndexOf(':');
    DatabaseSecurity sec = db.securityOrNone();
    String password = sec.passwordIfAny().map(s -> s.reveal()).orElse("");
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp =
        Files.createTempFile(
            dir,
            ".credentials-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write("REDIS_HOST=" + endpoint.substring(0, colon) + "\n");
        w.write("REDIS_PORT=" + endpoint.substring(colon + 1) + "\n");
        w.write("REDIS_USERNAME=default\n");
        w.write("REDIS_PASSWORD=" + password + "\n");
        w.write(
            "REDIS_URL="
                + (sec.tls() ? "rediss" : "redis")
                + "://default:"
                + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "@"
                + endpoint
                + "\n");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    ctx.output("credentialsFile", file.toString());
  }

  @Override
  public String describe(StepContext ctx) {
    return "write the connection settings to "
        + ctx.get(CloudKeys.CREDENTIALS_FILE).map(Path::toString).orElse("the credentials file")
        + " (mode 0600)";
  }
}
